"""The store: pragmas, migrations, the committed schema, transactions, and the audit chain."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from drivers.fake.clock import FakeClock
from kiosk.errors import StoreError
from kiosk.store import audit
from kiosk.store.db import Database, SchemaTooNew, StoreCorrupt, load_migrations
from kiosk.store.schema import migrated_schema


def test_pragmas(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_migrations_are_numbered_and_named() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(len(m.name) > 8 for m in migrations)


def test_migrated_schema_equals_committed_schema_sql() -> None:
    committed = resources.files("kiosk.store").joinpath("schema.sql").read_text(encoding="utf-8")
    assert migrated_schema() == committed, "run: python -m kiosk.store.schema > kiosk/store/schema.sql"


def test_a_first_version_database_migrates_and_is_copied_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    first = load_migrations()[0]
    # A database exactly as the first release left it, with a row in it.
    conn = sqlite3.connect(path)
    conn.executescript(first.sql)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta (key, value) VALUES ('time_floor_ms', '1700000000000')")
    conn.commit()
    conn.close()

    db = Database(path)
    assert db.user_version == len(load_migrations())
    assert db.conn.execute("SELECT value FROM meta").fetchone()[0] == "1700000000000"
    db.close()
    backup = tmp_path / "old.sqlite3.v1.bak"
    assert backup.exists()
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    copy.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew):
        Database(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreCorrupt):
        Database(path)


def test_transaction_rolls_back_everything_on_error(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        raise Boom
    assert db.read("SELECT COUNT(*) FROM meta")[0][0] == 0
    with pytest.raises(StoreError), db.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '2')")  # primary key clash
    assert db.read("SELECT COUNT(*) FROM meta")[0][0] == 0
    db.close()


# --- audit ------------------------------------------------------------------------------------------


def _audited_db(tmp_path: Path, rows: int = 5) -> Database:
    db = Database(tmp_path / "a.sqlite3")
    clock = FakeClock()
    for i in range(rows):
        with db.transaction() as conn:
            audit.append(conn, clock.now(), audit.AuditAction.PIN_FAILED, "did:x", "did:x", {"n": i})
        clock.advance(1)
    return db


def test_audit_chain_verifies(tmp_path: Path) -> None:
    db = _audited_db(tmp_path)
    verdict = audit.verify(db.conn)
    assert verdict.ok and verdict.checked == 5
    db.close()


def test_audit_is_append_only_in_the_database(tmp_path: Path) -> None:
    db = _audited_db(tmp_path)
    with pytest.raises(StoreError, match="append-only"), db.transaction() as conn:
        conn.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 2")
    with pytest.raises(StoreError, match="append-only"), db.transaction() as conn:
        conn.execute("DELETE FROM audit WHERE seq = 5")
    db.close()


def test_audit_append_needs_a_transaction(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.sqlite3")
    with pytest.raises(StoreError):
        audit.append(db.conn, FakeClock().now(), audit.AuditAction.CONSENT, "a", "b")
    db.close()


def _tamper(db: Database, sql: str, params: tuple[object, ...] = ()) -> None:
    """What an attacker with the file could do: drop the guards, change rows behind the chain's back."""
    db.conn.executescript("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
    db.conn.execute(sql, params)


@pytest.mark.parametrize(
    ("sql", "first_broken"),
    [
        ("UPDATE audit SET detail = '{\"n\":99}' WHERE seq = 3", 3),
        ("UPDATE audit SET actor = 'did:y' WHERE seq = 1", 1),
        ("UPDATE audit SET ts_ms = ts_ms - 1 WHERE seq = 4", 4),
        ("UPDATE audit SET action = 'pin.ok' WHERE seq = 2", 2),
        ("DELETE FROM audit WHERE seq = 3", 3),
        ("DELETE FROM audit WHERE seq = 5", 5),
        ("UPDATE audit SET hash = 'x' WHERE seq = 5", 5),
    ],
)
def test_any_tampering_is_found_and_named(tmp_path: Path, sql: str, first_broken: int) -> None:
    db = _audited_db(tmp_path)
    _tamper(db, sql)
    verdict = audit.verify(db.conn)
    assert not verdict.ok
    assert verdict.first_broken == first_broken
    db.close()


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(tmp_path: Path) -> None:
    db = _audited_db(tmp_path)
    row = audit.entries(db.conn)[1]
    forged = audit._entry_hash(
        row.seq, row.ts_ms, row.clock, row.action, "did:y", row.subject, row.detail, row.prev_hash
    )
    _tamper(db, "UPDATE audit SET actor = 'did:y', hash = ? WHERE seq = 2", (forged,))
    verdict = audit.verify(db.conn)
    assert not verdict.ok and verdict.first_broken == 3
    db.close()


def test_inbox_items_of_one_millisecond_keep_their_order_of_arrival(tmp_path: Path) -> None:
    # An office answers "received" and "approved" in one pass; their random ids must not reorder them.
    from kiosk.store import deliveries

    db = Database(tmp_path / "k.sqlite3")
    try:
        with db.transaction() as conn:
            for item_id, status in (("ff" * 8, "received"), ("00" * 8, "approved"), ("77" * 8, "disbursed")):
                conn.execute(
                    "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, 'loan_status', ?, 1000)",
                    (item_id, f'{{"status":"{status}"}}'),
                )
        got = [i.payload["status"] for i in deliveries.inbox(db.conn, "loan_status")]
        assert got == ["received", "approved", "disbursed"]
    finally:
        db.close()
