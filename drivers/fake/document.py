"""A document checker that answers what the test scripted, for flows and screens without OpenCV."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from kiosk.ports import DocumentCheck, Frame

GOOD_PAGE = DocumentCheck(True, True, True, 900, b"\xff\xd8fake-page-jpeg\xff\xd9")
BLURRED_PAGE = DocumentCheck(False, True, True, 20, b"")


class FakeDocumentChecker:
    """Gives the scripted verdicts in turn, then repeats the last one; counts the frames it saw."""

    def __init__(self, verdicts: Iterable[DocumentCheck] = (GOOD_PAGE,)) -> None:
        self._script = deque(verdicts)
        self._last = self._script[-1] if self._script else GOOD_PAGE
        self.seen = 0

    def check(self, frame: Frame) -> DocumentCheck:
        self.seen += 1
        if self._script:
            self._last = self._script.popleft()
        return self._last
