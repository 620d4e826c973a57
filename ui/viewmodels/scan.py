"""Looking for a QR code at the camera, a look at a time on the `hw` lane, until one is seen or the loop stops."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.errors import DeviceError, UserFacingError
from ui.viewmodels.base import Run

logger = logging.getLogger(__name__)

LOOK_S = 0.5  # one look; then the lane is free for a moment (card reads share it)


class ScanLoop:
    """`look(timeout, fresh)` returns the text of a newly shown code or None; `found` gets the first one seen.

    `fresh` is true on the first look after `start`: the looker forgets codes it saw before, so the same
    paper held up again after 再扫一次 is read again.

    A code too large for the kiosk (the QR driver refuses it unread) is reported to `refused` as words.
    """

    def __init__(
        self,
        look: Callable[[float, bool], str | None],
        run_hw: Run,
        found: Callable[[str], None],
        refused: Callable[[UserFacingError], None],
    ) -> None:
        self._look, self._run = look, run_hw
        self._found, self._refused = found, refused
        self._running = False
        self._generation = 0  # a look started before a stop must not report after it

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._generation += 1
        self._once(self._generation, fresh=True)

    def stop(self) -> None:
        self._running = False
        self._generation += 1

    def _once(self, generation: int, fresh: bool = False) -> None:
        self._run(
            lambda: self._look(LOOK_S, fresh),
            lambda t: self._seen(generation, t),
            lambda e: self._failed(generation, e),
        )

    def _seen(self, generation: int, text: str | None) -> None:
        if generation != self._generation or not self._running:
            return
        if text is None:
            self._once(generation)
            return
        self._running = False
        self._found(text)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation or not self._running:
            return
        self._running = False
        if isinstance(exc, DeviceError) and type(exc).__name__ == "QrPayloadTooLarge":
            self._refused(UserFacingError("credential.oversized"))
            return
        logger.warning("looking for a QR code failed: %s", type(exc).__name__)
        self._refused(UserFacingError("credential.camera_failed"))
