"""The outbox: signed transactions waiting for the county, the only source of truth for what to send.

A transaction is appended inside the same database transaction as the domain change it records, and takes
the next `seq` there, so `seq` has no gaps and a crash leaves either both or neither. A row leaves the
`queued`/`published` states only on the county's `ack`; rejected rows keep their reason and are never dropped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from kiosk.errors import StoreError
from kiosk.tx.envelope import Envelope


class OutboxState(StrEnum):
    QUEUED = "queued"  # written, not yet taken by the broker
    PUBLISHED = "published"  # the broker has it (PUBACK), the county has not acknowledged
    COMMITTED = "committed"  # the county committed it and we hold the verified receipt
    REJECTED = "rejected"  # the county refused it; the reason is kept and shown


class Priority(IntEnum):
    """Lower goes first: command results, then transactions, then telemetry (which may be dropped)."""

    COMMAND_RESULT = 0
    TRANSACTION = 1
    TELEMETRY = 2


@dataclass(frozen=True, slots=True)
class OutboxItem:
    seq: int
    id: str
    type: str
    priority: int
    envelope: bytes
    state: OutboxState
    created_ms: int
    attempts: int
    reject_reason: str | None


_COLUMNS = "seq, id, type, priority, envelope, state, created_ms, attempts, reject_reason"


def _item(row: tuple[object, ...] | sqlite3.Row) -> OutboxItem:
    seq, tx_id, tx_type, priority, envelope, state, created, attempts, reason = tuple(row)
    return OutboxItem(
        int(seq),
        str(tx_id),
        str(tx_type),
        int(priority),
        bytes(envelope),
        OutboxState(state),
        int(created),
        int(attempts),
        None if reason is None else str(reason),
    )


def next_seq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox").fetchone()
    return int(row[0])


def append(
    conn: sqlite3.Connection,
    build: Callable[[int], Envelope],
    priority: Priority = Priority.TRANSACTION,
) -> Envelope:
    """Take the next seq, build and sign the envelope with it, and insert it — in the caller's transaction."""
    if not conn.in_transaction:
        raise StoreError("outbox.append must run inside a transaction")
    seq = next_seq(conn)
    env = build(seq)
    if env.seq != seq:
        raise StoreError("the envelope was built with another seq than the outbox gave it")
    conn.execute(
        "INSERT INTO outbox (seq, id, type, priority, envelope, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
        (seq, env.id, env.type, int(priority), env.to_bytes(), env.ts),
    )
    return env


def get(conn: sqlite3.Connection, tx_id: str) -> OutboxItem | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (tx_id,)).fetchone()  # noqa: S608
    return _item(row) if row else None


def pending(conn: sqlite3.Connection, limit: int) -> list[OutboxItem]:
    """What to send next: not yet acknowledged, by priority and then oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state IN ('queued', 'published') "  # noqa: S608
        "ORDER BY priority, seq LIMIT ?",
        (limit,),
    ).fetchall()
    return [_item(r) for r in rows]


def pending_from(conn: sqlite3.Connection, after: tuple[int, int] | None, limit: int) -> list[OutboxItem]:
    """Like `pending`, but only rows placed after `(priority, seq)` — the sync pump's cursor.

    Two index range reads (same priority and later seq, then later priorities) rather than one row-value
    comparison, which SQLite turns into a scan of everything before the cursor.
    """
    if after is None:
        return pending(conn, limit)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE state IN ('queued', 'published') "  # noqa: S608
        "AND priority = ? AND seq > ? ORDER BY priority, seq LIMIT ?",
        (after[0], after[1], limit),
    ).fetchall()
    if len(rows) < limit:
        rows += conn.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE state IN ('queued', 'published') "  # noqa: S608
            "AND priority > ? ORDER BY priority, seq LIMIT ?",
            (after[0], limit - len(rows)),
        ).fetchall()
    return [_item(r) for r in rows]


def depth(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'published')").fetchone()[0])


def rejected(conn: sqlite3.Connection) -> list[OutboxItem]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE state = 'rejected' ORDER BY seq").fetchall()  # noqa: S608
    return [_item(r) for r in rows]


# --- state transitions, driven by the sync daemon ---------------------------------------------------


def mark_published(conn: sqlite3.Connection, tx_ids: list[str], now_ms: int) -> int:
    """The broker has these (PUBACK). Counts an attempt; a committed or rejected row is left as it is."""
    if not tx_ids:
        return 0
    marks = ",".join("?" * len(tx_ids))
    cur = conn.execute(
        f"UPDATE outbox SET state = 'published', published_ms = ?, attempts = attempts + 1 "  # noqa: S608
        f"WHERE id IN ({marks}) AND state IN ('queued', 'published')",
        (now_ms, *tx_ids),
    )
    return cur.rowcount


def mark_committed(conn: sqlite3.Connection, tx_id: str, receipt: bytes, now_ms: int) -> bool:
    """The county committed it and its receipt verified. True if this changed the row (False: already so)."""
    cur = conn.execute(
        "UPDATE outbox SET state = 'committed', committed_ms = ?, receipt = ?, reject_reason = NULL "
        "WHERE id = ? AND state IN ('queued', 'published')",
        (now_ms, receipt, tx_id),
    )
    return cur.rowcount == 1


def mark_rejected(conn: sqlite3.Connection, tx_id: str, reason: str, now_ms: int) -> bool:
    """The county refused it: the reason is kept and shown, the row is never dropped."""
    cur = conn.execute(
        "UPDATE outbox SET state = 'rejected', committed_ms = ?, reject_reason = ? "
        "WHERE id = ? AND state IN ('queued', 'published')",
        (now_ms, reason[:500], tx_id),
    )
    return cur.rowcount == 1


def receipt_of(conn: sqlite3.Connection, tx_id: str) -> bytes | None:
    row = conn.execute("SELECT receipt FROM outbox WHERE id = ? AND state = 'committed'", (tx_id,)).fetchone()
    return None if row is None else bytes(row[0])


def oldest_pending_ms(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT MIN(created_ms) FROM outbox WHERE state IN ('queued', 'published')").fetchone()
    return None if row[0] is None else int(row[0])
