"""The kiosk's SQLite database: WAL, synchronous=FULL, forward-only migrations, explicit transactions.

UI and sync are separate processes sharing this file. Every write happens inside `Database.transaction()`
(BEGIN IMMEDIATE), so a domain change and the outbox row that records it commit together or not at all,
and with synchronous=FULL a commit the villager was shown as saved survives a power cut.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kiosk.errors import StoreError

logger = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
BUSY_TIMEOUT_MS = 10_000


class StoreFull(StoreError):
    """The disk or the database is full: nothing was written."""


class StoreCorrupt(StoreError):
    """The database file is damaged or is not a kiosk database."""


class SchemaTooNew(StoreError):
    """The database was written by a newer release than this one (after a rollback, say)."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The migrations shipped in kiosk/store/migrations, in order, numbered 1, 2, 3 … without gaps."""
    found = []
    for entry in resources.files("kiosk.store").joinpath("migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda mig: mig.version)
    for expected, mig in enumerate(found, start=1):
        if mig.version != expected:
            raise StoreError(f"migration numbers must run 1, 2, 3 …: expected {expected}, found {mig.version}")
    return found


def translate(exc: sqlite3.Error) -> StoreError:
    """Our error for a sqlite3 one: the callers and the UI only ever see StoreError."""
    text = str(exc).lower()
    if "full" in text:
        return StoreFull("the disk or database is full; nothing was written")
    if "malformed" in text or "not a database" in text or "file is not a database" in text:
        return StoreCorrupt(f"the database is damaged: {exc}")
    return StoreError(f"database error: {exc}")


class Database:
    """One connection to the kiosk database. One thread uses it at a time (the owner's worker thread)."""

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so no implicit transactions surprise us.
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise StoreError(f"could not switch the database to WAL (got {mode})")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        if migrate:
            self.migrate()

    # --- transactions ------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; rolled back on any exception, which is re-raised (sqlite3 ones as ours)."""
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate(exc) from exc
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise translate(exc) from exc
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            # After some errors (disk full) SQLite has already rolled back; nothing more to undo.
            logger.debug("rollback after error found no open transaction")

    def read(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cur = self.conn.execute(sql, params)
                cur.row_factory = sqlite3.Row
                return list(cur.fetchall())
            except sqlite3.Error as exc:
                raise translate(exc) from exc

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # --- schema --------------------------------------------------------------------------------

    @property
    def user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> int:
        """Apply the migrations this database lacks; copy the file first if it already held data."""
        migrations = load_migrations()
        current = self.user_version
        latest = migrations[-1].version if migrations else 0
        if current > latest:
            raise SchemaTooNew(f"database schema {current} is newer than this release knows ({latest})")
        todo = [m for m in migrations if m.version > current]
        if not todo:
            return current
        if current > 0:
            self._backup(current)
        for mig in todo:
            self._apply(mig)
            logger.info("database migrated to %d (%s)", mig.version, mig.name)
        return self.user_version

    def _apply(self, mig: Migration) -> None:
        # executescript would COMMIT on its own; run the statements inside our transaction instead.
        with self.transaction() as conn:
            for statement in _split_sql(mig.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {mig.version:d}")

    def _backup(self, version: int) -> Path:
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        with self._lock:
            dest = sqlite3.connect(target)
            try:
                self.conn.backup(dest)
            except sqlite3.Error as exc:
                raise translate(exc) from exc
            finally:
                dest.close()
        logger.info("database copied to %s before migrating", target.name)
        return target


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements; triggers keep their inner semicolons (sqlite3.complete_statement)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise StoreError("a migration ends with an incomplete statement")
    return statements


def schema_dump(conn: sqlite3.Connection) -> str:
    """The schema as SQL, in a stable order: what `schema.sql` must equal after migrating."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, name"
    ).fetchall()
    return "".join(f"{sql};\n\n" for _type, _name, sql in rows)
