"""The idle timeout of UI.md "Time": after 60 s without a touch, "还在吗？" counts 20 s down, then the session ends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class IdlePhase(StrEnum):
    OFF = "off"  # a screen without personal data (home, lock): no timeout
    WATCHING = "watching"
    WARNING = "warning"  # "还在吗？" with the countdown
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class IdleState:
    phase: IdlePhase
    seconds_left: int  # in WARNING: whole seconds shown on the countdown


class IdleWatch:
    """Pure logic: the app feeds it touches and ticks with a monotonic time; it says what to show."""

    def __init__(self, now: Callable[[], float], idle_s: float = 60.0, countdown_s: float = 20.0) -> None:
        self._now = now
        self.idle_s = idle_s
        self.countdown_s = countdown_s
        self._last = now()
        self._phase = IdlePhase.OFF

    def arm(self, personal: bool) -> None:
        """A screen opened: watch only if it holds personal data."""
        self._last = self._now()
        self._phase = IdlePhase.WATCHING if personal else IdlePhase.OFF

    def touched(self) -> None:
        """Any touch (or voice playing on a reading-heavy screen) restarts the wait, except once expired."""
        if self._phase in (IdlePhase.WATCHING, IdlePhase.WARNING):
            self._last = self._now()
            self._phase = IdlePhase.WATCHING

    def tick(self) -> IdleState:
        if self._phase in (IdlePhase.OFF, IdlePhase.EXPIRED):
            return IdleState(self._phase, 0)
        quiet = self._now() - self._last
        if quiet < self.idle_s:
            self._phase = IdlePhase.WATCHING
            return IdleState(self._phase, 0)
        left = self.idle_s + self.countdown_s - quiet
        if left <= 0:
            self._phase = IdlePhase.EXPIRED
            return IdleState(self._phase, 0)
        self._phase = IdlePhase.WARNING
        return IdleState(self._phase, int(left + 0.999))
