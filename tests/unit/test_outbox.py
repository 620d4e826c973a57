"""The outbox: gap-free seq, priority order, and the state transitions the sync daemon drives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.crypto.suites import get_suite
from kiosk.errors import StoreError
from kiosk.ports import ClockReading, ClockSource
from kiosk.store import outbox
from kiosk.store.db import Database
from kiosk.store.outbox import OutboxState, Priority
from kiosk.tx import envelope
from kiosk.tx.envelope import RoleSigner, SignerRole

WHEN = ClockReading(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), ClockSource.NTP)
SIGNER = RoleSigner(SignerRole.DEVICE, "kiosk:410225:k", get_suite("ed25519").signer(get_suite("ed25519").generate()))


def _add(db: Database, n: int = 1, priority: Priority = Priority.TRANSACTION) -> list[str]:
    ids = []
    for i in range(n):
        with db.transaction() as conn:
            env = outbox.append(
                conn,
                lambda seq, i=i: envelope.build(  # type: ignore[misc]
                    "test.tx", county="410225", kiosk="k", seq=seq, when=WHEN, body={"i": i}, signers=[SIGNER]
                ),
                priority,
            )
            ids.append(env.id)
    return ids


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "k.sqlite3")


def test_append_needs_a_transaction(db: Database) -> None:
    with pytest.raises(StoreError):
        outbox.append(
            db.conn, lambda seq: envelope.build("t", county="1", kiosk="k", seq=seq, when=WHEN, body={}, signers=[])
        )


def test_seq_is_gap_free_even_after_a_rolled_back_append(db: Database) -> None:
    _add(db, 2)
    with pytest.raises(RuntimeError), db.transaction() as conn:
        outbox.append(
            conn, lambda seq: envelope.build("t", county="1", kiosk="k", seq=seq, when=WHEN, body={}, signers=[SIGNER])
        )
        raise RuntimeError("the domain change failed after the outbox write")
    _add(db, 1)
    assert [i.seq for i in outbox.pending(db.conn, 10)] == [1, 2, 3]


def test_pending_is_by_priority_then_oldest(db: Database) -> None:
    tx = _add(db, 2)
    tele = _add(db, 1, Priority.TELEMETRY)
    cmd = _add(db, 1, Priority.COMMAND_RESULT)
    assert [i.id for i in outbox.pending(db.conn, 10)] == cmd + tx + tele


def test_transitions(db: Database) -> None:
    a, b, c = _add(db, 3)
    with db.transaction() as conn:
        assert outbox.mark_published(conn, [a, b], 1000) == 2
        assert outbox.mark_committed(conn, a, b'{"receipt":1}', 2000)
        assert not outbox.mark_committed(conn, a, b'{"receipt":2}', 3000)  # already committed: unchanged
        assert outbox.mark_rejected(conn, b, "bad_signature: the device signature does not verify", 2000)
        assert not outbox.mark_rejected(conn, a, "late", 4000)  # a committed row stays committed
        assert outbox.mark_published(conn, [a], 5000) == 0
    conn = db.conn
    assert outbox.depth(conn) == 1
    assert outbox.get(conn, a).state is OutboxState.COMMITTED  # type: ignore[union-attr]
    assert outbox.receipt_of(conn, a) == b'{"receipt":1}'
    [rejected] = outbox.rejected(conn)
    assert rejected.id == b
    assert rejected.reject_reason is not None
    assert rejected.reject_reason.startswith("bad_signature")
    assert outbox.get(conn, c).attempts == 0  # type: ignore[union-attr]
    assert outbox.oldest_pending_ms(conn) == WHEN.at.timestamp() * 1000
