"""The append-only, hash-chained audit log of every security-relevant action.

Each row's hash covers its own fields and the previous row's hash; the newest hash is also kept in `meta`,
so editing, deleting, inserting or cutting off rows is found by `verify`. Rows hold no personal data:
subjects are DIDs or person references (HMACs), never names or ID numbers.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from kiosk.crypto import canonical
from kiosk.errors import StoreError
from kiosk.ports import ClockReading

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


class AuditAction(StrEnum):
    PROVISIONED = "device.provisioned"
    ENROLLED = "identity.enrolled"
    ENROLMENT_CANCELLED = "identity.enrolment_cancelled"
    RECOVERED = "identity.recovered"
    PIN_FAILED = "pin.failed"
    KEY_LOCKED = "key.locked"
    KEY_UNLOCKED = "key.unlocked"
    CADRE_ACTION = "cadre.action"
    CONSENT = "consent.given"
    COMMAND_APPLIED = "command.applied"
    COMMAND_REFUSED = "command.refused"
    SIGNATURE_REFUSED = "signature.refused"
    TECHNICIAN_ADMITTED = "technician.admitted"
    TECHNICIAN_REFUSED = "technician.refused"
    TECHNICIAN_LEFT = "technician.left"
    CREDENTIAL_RECEIVED = "credential.received"
    CREDENTIAL_REFUSED = "credential.refused"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    ts_ms: int
    clock: str
    action: str
    actor: str
    subject: str
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str = ""


def _entry_hash(seq: int, ts_ms: int, clock: str, action: str, actor: str, subject: str, detail: str, prev: str) -> str:
    fields = {
        "seq": seq,
        "ts": ts_ms,
        "clock": clock,
        "action": action,
        "actor": actor,
        "subject": subject,
        "detail": detail,
        "prev": prev,
    }
    return hashlib.sha256(canonical.dumps(fields)).hexdigest()


def append(
    conn: sqlite3.Connection,
    when: ClockReading,
    action: AuditAction,
    actor: str,
    subject: str,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Add one row, inside the caller's transaction (so the action and its record commit together)."""
    if not conn.in_transaction:
        raise StoreError("audit.append must run inside a transaction")
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    ts_ms = int(when.at.timestamp() * 1000)
    detail_text = canonical.dumps(dict(detail or {})).decode("utf-8")
    digest = _entry_hash(seq, ts_ms, when.source.value, action.value, actor, subject, detail_text, prev)
    conn.execute(
        "INSERT INTO audit (seq, ts_ms, clock, action, actor, subject, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, ts_ms, when.source.value, action.value, actor, subject, detail_text, prev, digest),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, f"{seq}:{digest}"),
    )
    return AuditEntry(seq, ts_ms, when.source.value, action.value, actor, subject, detail_text, prev, digest)


def entries(conn: sqlite3.Connection, since: int = 0) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT seq, ts_ms, clock, action, actor, subject, detail, prev_hash, hash FROM audit "
        "WHERE seq > ? ORDER BY seq",
        (since,),
    ).fetchall()
    return [AuditEntry(*r) for r in rows]


def verify(conn: sqlite3.Connection) -> AuditVerdict:
    """Walk the chain; name the first row that does not follow from the one before."""
    prev, expected_seq, checked = GENESIS, 1, 0
    for e in entries(conn):
        if e.seq != expected_seq:
            return AuditVerdict(False, checked, expected_seq, f"row {expected_seq} is missing")
        if e.prev_hash != prev:
            return AuditVerdict(False, checked, e.seq, f"row {e.seq} does not link to row {e.seq - 1}")
        digest = _entry_hash(e.seq, e.ts_ms, e.clock, e.action, e.actor, e.subject, e.detail, e.prev_hash)
        if digest != e.hash:
            return AuditVerdict(False, checked, e.seq, f"row {e.seq} was changed after it was written")
        prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
    head = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    expected_head = f"{expected_seq - 1}:{prev}" if checked else None
    if (head[0] if head else None) != expected_head:
        return AuditVerdict(False, checked, expected_seq, f"rows after {expected_seq - 1} were removed")
    return AuditVerdict(True, checked)
