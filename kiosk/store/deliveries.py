"""What the county sent down, as the UI and lxt-diag read it: broadcasts, inbox items, commands, lock state.

The sync daemon writes these tables (sync/downlink.py); everything else only reads them through this module,
so the UI never imports the sync code.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from kiosk.crypto import canonical

LOCKED_KEY = "locked"
LINK_STALE_MS = 90_000  # lxt-sync touches its status row every 20 s; three missed beats mean it is not running
CONFIG_KEY = "config_overlay"


@dataclass(frozen=True, slots=True)
class Broadcast:
    kind: str
    version: int
    payload: Any
    received_ms: int


@dataclass(frozen=True, slots=True)
class InboxItem:
    id: str
    kind: str
    payload: Any
    received_ms: int
    handled_ms: int | None


@dataclass(frozen=True, slots=True)
class LockState:
    locked: bool
    reason: str
    changed_ms: int | None


def broadcast(conn: sqlite3.Connection, kind: str) -> Broadcast | None:
    row = conn.execute("SELECT kind, version, payload, received_ms FROM broadcast WHERE kind = ?", (kind,)).fetchone()
    return None if row is None else Broadcast(str(row[0]), int(row[1]), canonical.loads(row[2]), int(row[3]))


def broadcast_versions(conn: sqlite3.Connection) -> dict[str, int]:
    return {str(k): int(v) for k, v in conn.execute("SELECT kind, version FROM broadcast ORDER BY kind")}


def inbox(conn: sqlite3.Connection, kind: str | None = None, *, unhandled: bool = False) -> list[InboxItem]:
    sql = "SELECT id, kind, payload, received_ms, handled_ms FROM inbox WHERE 1 = 1"
    params: list[object] = []
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    if unhandled:
        sql += " AND handled_ms IS NULL"
    # rowid is the order of arrival: two deliveries of one millisecond (an office that answers "received" and
    # "approved" in one pass) keep the order they were sent in, not the order of their random ids.
    rows = conn.execute(sql + " ORDER BY received_ms, rowid", params).fetchall()
    return [InboxItem(str(r[0]), str(r[1]), canonical.loads(r[2]), int(r[3]), r[4]) for r in rows]


def mark_handled(conn: sqlite3.Connection, item_id: str, now_ms: int) -> bool:
    cur = conn.execute("UPDATE inbox SET handled_ms = ? WHERE id = ? AND handled_ms IS NULL", (now_ms, item_id))
    return cur.rowcount == 1


def _state(conn: sqlite3.Connection, key: str) -> tuple[str, int] | None:
    row = conn.execute("SELECT value, changed_ms FROM kiosk_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def set_state(conn: sqlite3.Connection, key: str, value: str, now_ms: int) -> None:
    conn.execute(
        "INSERT INTO kiosk_state (key, value, changed_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_ms = excluded.changed_ms",
        (key, value, now_ms),
    )


def lock_state(conn: sqlite3.Connection) -> LockState:
    """Whether the county has locked this kiosk (the UI shows the lock screen while it is)."""
    found = _state(conn, LOCKED_KEY)
    if found is None:
        return LockState(False, "", None)
    data = json.loads(found[0])
    return LockState(bool(data.get("locked")), str(data.get("reason", "")), found[1])


def config_overlay(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Settings the county changed remotely (see kiosk.config.with_overlay); empty if none."""
    found = _state(conn, CONFIG_KEY)
    if found is None:
        return {}
    data = json.loads(found[0])
    return data if isinstance(data, dict) else {}


def last_cmd_seq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT COALESCE(MAX(cmd_seq), 0) FROM command WHERE status IN ('done', 'failed')").fetchone()
    return int(row[0])


def link_online(conn: sqlite3.Connection, now_ms: int) -> bool:
    """Online as the sync daemon last said, and it said so recently (a crashed daemon leaves `online` set)."""
    row = conn.execute("SELECT online, updated_ms FROM sync_status WHERE id = 1").fetchone()
    return row is not None and bool(row[0]) and now_ms - int(row[1]) <= LINK_STALE_MS
