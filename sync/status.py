"""The `sync_status` row: how the link is, written by the daemon, read by the UI and lxt-diag."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from kiosk.store.db import Database


@dataclass(frozen=True, slots=True)
class LinkState:
    online: bool
    session: int
    broker: str
    connected_ms: int | None
    last_ack_ms: int | None
    last_error: str | None
    updated_ms: int
    rtt_ms: int | None = None  # the broker's PUBACK time for the daemon's last probe, this session


_STATUS_SQL = (
    "SELECT online, session, broker, connected_ms, last_ack_ms, last_error, updated_ms, rtt_ms "
    "FROM sync_status WHERE id = 1"
)


def read_status(db: Database) -> LinkState:
    return _state(tuple(db.read(_STATUS_SQL)[0]))


def read_status_conn(conn: sqlite3.Connection) -> LinkState:
    """The same, on a connection the caller holds (inside its transaction)."""
    return _state(tuple(conn.execute(_STATUS_SQL).fetchone()))


def _state(row: tuple[object, ...]) -> LinkState:
    return LinkState(bool(row[0]), int(row[1]), str(row[2]), row[3], row[4], row[5], int(row[6]), row[7])  # type: ignore[call-overload, arg-type]


class SyncStatus:
    def __init__(self, db: Database) -> None:
        self._db = db

    def session(self) -> int:
        """The last session number used, so the next connection's is higher even after a restart."""
        return read_status(self._db).session

    def went_online(self, conn: sqlite3.Connection, session: int, broker: str, now_ms: int) -> None:
        conn.execute(
            "UPDATE sync_status SET online = 1, session = ?, broker = ?, connected_ms = ?, last_error = NULL, "
            "rtt_ms = NULL, updated_ms = ? WHERE id = 1",
            (session, broker, now_ms, now_ms),
        )

    def went_offline(self, conn: sqlite3.Connection, reason: str, now_ms: int) -> None:
        conn.execute(
            "UPDATE sync_status SET online = 0, last_error = ?, updated_ms = ? WHERE id = 1", (reason[:300], now_ms)
        )

    def acked(self, conn: sqlite3.Connection, now_ms: int) -> None:
        conn.execute("UPDATE sync_status SET last_ack_ms = ?, updated_ms = ? WHERE id = 1", (now_ms, now_ms))

    def round_trip(self, conn: sqlite3.Connection, rtt_ms: int, now_ms: int) -> None:
        """How long the broker took to acknowledge the daemon's last probe (the technician's RTT)."""
        conn.execute("UPDATE sync_status SET rtt_ms = ?, updated_ms = ? WHERE id = 1", (max(0, rtt_ms), now_ms))

    def heartbeat(self, conn: sqlite3.Connection, now_ms: int) -> None:
        """The daemon is alive: readers treat an `online` row not refreshed for a while as offline."""
        conn.execute("UPDATE sync_status SET updated_ms = ? WHERE id = 1", (now_ms,))
