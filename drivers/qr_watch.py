"""Scanning camera frames for QR codes: at most N decodes a second, and each code reported once while shown."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.ports import Frame, QrPayload, QrScanner


@dataclass(frozen=True, slots=True)
class WatchSettings:
    # A camera gives 15-30 frames a second; decoding 5 of them keeps one core free for the face and the UI
    # and still answers a villager within a fifth of a second.
    max_decodes_per_s: float = 5.0
    # A code still in view (or missed for a frame or two by the decoder) is the same showing of the code;
    # one that has been out of view this long may be shown again on purpose.
    hold_off_s: float = 2.0

    def __post_init__(self) -> None:
        if self.max_decodes_per_s <= 0 or self.hold_off_s < 0:
            raise ValueError("max_decodes_per_s must be positive and hold_off_s not negative")


class QrWatch:
    """Feeds camera frames to a scanner, rate-limited, and returns each payload once per showing.

    `offer(frame)` decodes the frame only if the last decode was at least 1/`max_decodes_per_s` ago (else it
    returns [] at once, undecoded). A payload is returned the first time it is seen; while it keeps being
    seen (gaps shorter than `hold_off_s` included) it is not returned again; once it has been unseen for
    longer than `hold_off_s` it counts as a new showing. `clock` gives seconds on a clock that never jumps.
    Errors of the scanner (QrPayloadTooLarge, MalformedFrame) pass through. Not thread-safe: one camera
    thread owns a watch.
    """

    def __init__(
        self,
        scanner: QrScanner,
        settings: WatchSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._scanner = scanner
        self._settings = settings or WatchSettings()
        self._clock = clock
        self._min_interval = 1.0 / self._settings.max_decodes_per_s
        self._last_decode: float | None = None
        self._last_seen: dict[bytes, float] = {}
        self.decodes = 0  # frames actually decoded, for diagnostics
        self.skipped = 0  # frames refused by the rate limit

    def offer(self, frame: Frame) -> list[QrPayload]:
        now = self._clock()
        if self._last_decode is not None and now - self._last_decode < self._min_interval:
            self.skipped += 1
            return []
        self._last_decode = now
        self.decodes += 1
        payloads = self._scanner.decode(frame)
        self._forget_older_than(now - self._settings.hold_off_s)
        fresh = [p for p in payloads if p.data not in self._last_seen]
        for payload in payloads:
            self._last_seen[payload.data] = now
        return fresh

    def _forget_older_than(self, cutoff: float) -> None:
        # Also bounds the memory: only codes seen within the hold-off window are remembered.
        for data in [d for d, seen in self._last_seen.items() if seen < cutoff]:
            del self._last_seen[data]

    def reset(self) -> None:
        """Forget every code seen (a new session starts: the next villager may show the same card)."""
        self._last_seen.clear()
