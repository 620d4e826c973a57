"""Kiosk time: the system clock, never allowed to run behind the newest time this kiosk has seen.

Kiosks may boot with a dead RTC battery and a clock in 1970. The time floor (persisted in `meta`) is the
newest time ever seen; a reading behind it is replaced by the floor and marked FLOOR, so timestamps never
go backwards and every one says where it came from.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sqlite3
import threading
import time
from datetime import UTC, datetime

from kiosk.ports import Clock, ClockReading, ClockSource

FLOOR_KEY = "time_floor_ms"


def to_ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


class TimeService:
    def __init__(self, clock: Clock, floor_ms: int = 0) -> None:
        self._clock = clock
        self._floor_ms = floor_ms
        self._lock = threading.Lock()

    @classmethod
    def load(cls, clock: Clock, conn: sqlite3.Connection) -> TimeService:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (FLOOR_KEY,)).fetchone()
        return cls(clock, int(row[0]) if row else 0)

    @property
    def floor_ms(self) -> int:
        return self._floor_ms

    def now(self) -> ClockReading:
        reading = self._clock.now()
        ms = to_ms(reading.at)
        with self._lock:
            if ms < self._floor_ms:
                return ClockReading(from_ms(self._floor_ms), ClockSource.FLOOR)
            self._floor_ms = ms
        return reading

    def observe(self, at: datetime) -> None:
        """Raise the floor to a trusted time seen elsewhere (a county-signed block header, say)."""
        with self._lock:
            self._floor_ms = max(self._floor_ms, to_ms(at))

    def persist(self, conn: sqlite3.Connection) -> None:
        """Write the floor, inside the caller's transaction; it only ever moves forward."""
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
            "CAST(MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
            (FLOOR_KEY, str(self._floor_ms)),
        )

    def monotonic(self) -> float:
        return self._clock.monotonic()


# --- the system clock ---------------------------------------------------------------------------

_TIME_ERROR = 5  # adjtimex() returns TIME_ERROR while the clock is not synchronised


class _Timex(ctypes.Structure):
    # struct timex from <sys/timex.h> on Linux: 208 bytes is enough for every libc we run on; we only read
    # the return value of adjtimex, with modes = 0 (a read-only query).
    _fields_ = [("modes", ctypes.c_uint), ("_rest", ctypes.c_byte * 204)]


def _kernel_synchronised() -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        state = int(libc.adjtimex(ctypes.byref(_Timex())))
    except (OSError, AttributeError):
        return False
    return state not in (-1, _TIME_ERROR)


class SystemClock:
    """Wall time from the system; NTP when the kernel reports a synchronised clock, else RTC."""

    def __init__(self, recheck_s: float = 60.0) -> None:
        self._recheck_s = recheck_s
        self._checked_at = -recheck_s
        self._synced = False

    def now(self) -> ClockReading:
        mono = time.monotonic()
        if mono - self._checked_at >= self._recheck_s:
            self._synced = _kernel_synchronised()
            self._checked_at = mono
        return ClockReading(datetime.now(tz=UTC), ClockSource.NTP if self._synced else ClockSource.RTC)

    def monotonic(self) -> float:
        return time.monotonic()
