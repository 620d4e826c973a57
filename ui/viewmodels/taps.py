"""The hidden entries' tap pattern, Qt-free: five taps within three seconds on one spot of the top bar."""

from __future__ import annotations

from collections.abc import Callable

TAPS_TO_OPEN = 5
TAP_WINDOW_S = 3.0


class TapCounter:
    """Counts taps; the one that makes `taps` within `window_s` seconds opens, and the count starts again."""

    def __init__(self, now: Callable[[], float], taps: int = TAPS_TO_OPEN, window_s: float = TAP_WINDOW_S) -> None:
        self._now = now
        self._taps = taps
        self._window = window_s
        self._times: list[float] = []

    def tap(self) -> bool:
        now = self._now()
        self._times = [x for x in self._times if now - x <= self._window] + [now]
        if len(self._times) >= self._taps:
            self._times = []
            return True
        return False
