"""What the window-side controllers of 贷款 (ui/loans.py) and 政务服务 (ui/gov.py) share: sign-in first when no one
is, the page check chosen from `devices.camera`, the newest camera frame. Imported with the window, before the
core is open: the core's modules come inside the methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ports import DocumentCheck, DocumentChecker, Frame
    from ui.window import KioskWindow

FRAME_WAIT_S = 2.0


class PageCheck:
    """The page check chosen from `devices.camera`, built on first use (OpenCV is a large import)."""

    def __init__(self, window: KioskWindow) -> None:
        self._window = window
        self._checker: DocumentChecker | None = None

    def check(self, frame: Frame) -> DocumentCheck:
        if self._checker is None:
            if self._window.settings.devices.camera == "opencv":
                from drivers.document import OpenCvDocumentChecker

                self._checker = OpenCvDocumentChecker()
            else:
                from drivers.fake.document import FakeDocumentChecker

                self._checker = FakeDocumentChecker()  # the fake camera's picture is no page: every check passes
        return self._checker.check(frame)


class SignedInDesk:
    """A controller whose entries need a signed-in villager; `end()` forgets what it holds."""

    def __init__(self, window: KioskWindow) -> None:
        self._window = window
        self._after: str | None = None  # the entry to go on to once the villager has signed in
        self.documents: DocumentChecker = PageCheck(window)  # tests and the tour put a scripted one here

    def _ready_for(self, entry: str, again: Callable[[], None]) -> bool:
        """True when `entry` can start now (what was open is ended); else it waits for the core or for sign-in."""
        w = self._window
        if not w.services.ready:
            w.after_core(again)
            return False
        if w.session is None:
            w.start_signin()  # ends any session first, which forgets an older `_after`
            self._after = entry
            return False
        self.end()
        return True

    def check(self, frame: Frame) -> DocumentCheck:
        """The flows' page check: whichever checker `documents` holds now."""
        return self.documents.check(frame)

    def _grab(self) -> Frame:
        """The newest camera frame (device lane only)."""
        return self._window.services.camera.latest_frame(FRAME_WAIT_S)

    def end(self) -> None:
        self._after = None
