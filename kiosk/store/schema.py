"""Print the schema that the migrations produce: `python -m kiosk.store.schema > kiosk/store/schema.sql`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kiosk.store.db import Database, schema_dump

HEADER = (
    "-- The schema after every migration, as SQLite stores it. Generated; a test checks it stays true:\n"
    "-- after changing a migration, regenerate with `python -m kiosk.store.schema > kiosk/store/schema.sql`.\n\n"
)


def migrated_schema() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "schema.sqlite3")
        try:
            return HEADER + schema_dump(db.conn)
        finally:
            db.close()


if __name__ == "__main__":
    sys.stdout.write(migrated_schema())
