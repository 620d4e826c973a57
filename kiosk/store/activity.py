"""What cadre mode shows: the kiosk's queue to the county, and what the kiosk did today, without personal data.

Read from the outbox and the audit log. An item says what kind of thing was sent and how it was done (本人 /
协助 / 代办), when, and where it is; never whose it was. A rejected item carries the county's reason; the one
rejection a resend can cure (the county did not know this kiosk, `unknown_kiosk`: it may be registered again
since) can be queued again, and the resend is audited.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from kiosk.crypto import canonical
from kiosk.errors import CanonicalJsonError
from kiosk.store.audit import AuditAction
from kiosk.store.outbox import OutboxState
from kiosk.tx.receipt import RejectCode, reject_code

CHINA = timezone(timedelta(hours=8), "CST")  # the county's day; China keeps no daylight saving
RETRYABLE = frozenset({RejectCode.UNKNOWN_KIOSK})
QUEUE_LIMIT = 50
TODAY_LIMIT = 200


class QueueState(StrEnum):
    PENDING = "pending"  # 待上报: queued, or with the broker and not yet acknowledged
    SENT = "sent"  # 已上报: the county committed it
    REJECTED = "rejected"  # 被退回, with the county's reason


_STATE = {
    OutboxState.QUEUED: QueueState.PENDING,
    OutboxState.PUBLISHED: QueueState.PENDING,
    OutboxState.COMMITTED: QueueState.SENT,
    OutboxState.REJECTED: QueueState.REJECTED,
}


@dataclass(frozen=True, slots=True)
class QueueItem:
    tx_id: str
    seq: int
    tx_type: str
    mode: str | None  # self / assisted / proxy, for an enrolment
    state: QueueState
    created_ms: int
    reason: str | None
    code: RejectCode | None

    @property
    def retryable(self) -> bool:
        return self.state is QueueState.REJECTED and self.code in RETRYABLE


@dataclass(frozen=True, slots=True)
class QueueCounts:
    pending: int
    sent: int
    rejected: int


def _mode(envelope: bytes) -> str | None:
    try:
        body = json.loads(envelope).get("body", {})
    except (ValueError, AttributeError):
        return None  # not ours to judge here; lxt-diag reports malformed rows
    mode = body.get("mode") if isinstance(body, dict) else None
    return mode if isinstance(mode, str) else None


def queue_counts(conn: sqlite3.Connection) -> QueueCounts:
    counts = {QueueState.PENDING: 0, QueueState.SENT: 0, QueueState.REJECTED: 0}
    for state, n in conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"):
        counts[_STATE[OutboxState(state)]] += int(n)
    return QueueCounts(counts[QueueState.PENDING], counts[QueueState.SENT], counts[QueueState.REJECTED])


def queue(conn: sqlite3.Connection, limit: int = QUEUE_LIMIT) -> list[QueueItem]:
    """Rejected items first (they need someone), then what waits, then what went; newest first within each."""
    rows = conn.execute(
        "SELECT id, seq, type, envelope, state, created_ms, reject_reason FROM outbox "
        "ORDER BY CASE state WHEN 'rejected' THEN 0 WHEN 'queued' THEN 1 WHEN 'published' THEN 1 ELSE 2 END, "
        "seq DESC LIMIT ?",
        (limit,),
    ).fetchall()
    items = []
    for tx_id, seq, tx_type, envelope, state, created, reason in rows:
        items.append(
            QueueItem(
                str(tx_id),
                int(seq),
                str(tx_type),
                _mode(bytes(envelope)),
                _STATE[OutboxState(state)],
                int(created),
                None if reason is None else str(reason),
                None if reason is None else reject_code(str(reason)),
            )
        )
    return items


def requeue_rejected(conn: sqlite3.Connection, tx_id: str) -> str | None:
    """Send a rejected item again, if a resend can cure its rejection. Returns the reason it had, else None.

    Runs in the caller's transaction (which also writes the audit row that keeps the reason).
    """
    row = conn.execute("SELECT reject_reason FROM outbox WHERE id = ? AND state = 'rejected'", (tx_id,)).fetchone()
    if row is None or row[0] is None or reject_code(str(row[0])) not in RETRYABLE:
        return None
    conn.execute(
        "UPDATE outbox SET state = 'queued', reject_reason = NULL, committed_ms = NULL WHERE id = ? "
        "AND state = 'rejected'",
        (tx_id,),
    )
    return str(row[0])


# --- today ----------------------------------------------------------------------------------------------


class ActivityKind(StrEnum):
    ENROLLED = "enrolled"
    RECOVERED = "recovered"  # a locked or lost key replaced, with a cadre
    KEY_LOCKED = "key_locked"
    CADRE_ENTERED = "cadre_entered"
    CADRE_REFUSED = "cadre_refused"
    RESENT = "resent"
    COUNTY_COMMAND = "county_command"


@dataclass(frozen=True, slots=True)
class ActivityItem:
    at_ms: int
    kind: ActivityKind
    mode: str | None = None


@dataclass(frozen=True, slots=True)
class Today:
    enrolled: dict[str, int]  # by mode: self / assisted / proxy
    items: list[ActivityItem]  # newest first

    @property
    def enrolled_total(self) -> int:
        return sum(self.enrolled.values())


def day_start_ms(now: datetime) -> int:
    local = now.astimezone(CHINA)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return int(midnight.timestamp() * 1000)


_CADRE_KINDS = {
    "entered": ActivityKind.CADRE_ENTERED,
    "refused": ActivityKind.CADRE_REFUSED,
    "retried": ActivityKind.RESENT,
}


def _activity(ts_ms: int, action: str, detail_text: str) -> ActivityItem | None:
    try:
        detail = canonical.loads(detail_text.encode("utf-8"))
    except CanonicalJsonError:
        detail = {}
    detail = detail if isinstance(detail, dict) else {}
    if action == AuditAction.ENROLLED.value:
        mode = detail.get("mode")
        return ActivityItem(ts_ms, ActivityKind.ENROLLED, mode if isinstance(mode, str) else None)
    if action == AuditAction.RECOVERED.value:
        return ActivityItem(ts_ms, ActivityKind.RECOVERED)
    if action == AuditAction.KEY_LOCKED.value:
        return ActivityItem(ts_ms, ActivityKind.KEY_LOCKED)
    if action == AuditAction.COMMAND_APPLIED.value:
        return ActivityItem(ts_ms, ActivityKind.COUNTY_COMMAND)
    if action == AuditAction.CADRE_ACTION.value:
        kind = _CADRE_KINDS.get(str(detail.get("action")))
        return None if kind is None else ActivityItem(ts_ms, kind)
    return None  # the rest (wrong PINs, views, refusals of forged notices) is for lxt-diag, not the cadre


def today(conn: sqlite3.Connection, now: datetime, limit: int = TODAY_LIMIT) -> Today:
    """What this kiosk did since midnight, county time: enrolments by mode, and a list of what happened."""
    rows = conn.execute(
        "SELECT ts_ms, action, detail FROM audit WHERE ts_ms >= ? ORDER BY seq DESC", (day_start_ms(now),)
    ).fetchall()
    enrolled = {"self": 0, "assisted": 0, "proxy": 0}
    items: list[ActivityItem] = []
    for ts_ms, action, detail in rows:
        item = _activity(int(ts_ms), str(action), str(detail))
        if item is None:
            continue
        if item.kind is ActivityKind.ENROLLED and item.mode in enrolled:
            enrolled[item.mode] += 1
        if len(items) < limit:
            items.append(item)
    return Today(enrolled, items)
