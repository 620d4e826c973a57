"""A clock that tests and the demo set by hand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from kiosk.ports import ClockReading, ClockSource


class FakeClock:
    def __init__(self, start: datetime | None = None, source: ClockSource = ClockSource.NTP) -> None:
        self._at = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        self._mono = 1000.0
        self.source = source
        self._lock = threading.Lock()

    def now(self) -> ClockReading:
        with self._lock:
            return ClockReading(self._at, self.source)

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._at += timedelta(seconds=seconds)
            self._mono += seconds

    def set(self, at: datetime, source: ClockSource | None = None) -> None:
        """Jump the wall clock (not the monotonic one), as a bad RTC or an NTP step would."""
        with self._lock:
            self._at = at
            if source is not None:
                self.source = source
