"""养老待遇资格认证: drives `kiosk.flows.pension.PensionCheckFlow` for the screens, one frozen `PensionState`.

看摄像头 (live preview, hints) → 眨眼/转头 → 认证成功，明年X月前再来. X comes from the county's answer when it has
arrived (its `next_due`), else from the day of the check: the same month next year. A still photo, a different
person or no face are refused calmly with the tries left; a cadre's check in person is always offered, so a
villager whose face the camera cannot read is never stuck (UI.md "Privacy"). The capture runs on the device
lane, the rest on the store lane. Qt-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.flows.pension import CHINA, CadreCheck, PensionCheck, PensionCheckFlow, PensionReceipt, PensionStep, checks
from kiosk.ports import FaceHint
from kiosk.store.db import Database
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry

logger = logging.getLogger(__name__)


class PensionPhase(StrEnum):
    FACE = "face"  # 看摄像头, then 眨眼/转头 while the capture runs
    DONE = "done"  # 认证成功，明年X月前再来
    FAILED = "failed"  # the tries ran out (a failed check was queued): the cadre's check is the way on
    CADRE = "cadre"  # a cadre checks the person in person, with their PIN
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class PensionState:
    phase: PensionPhase = PensionPhase.FACE
    busy: bool = False
    hint: FaceHint | None = None
    error: UserFacingError | None = None
    tries_left: int = 0
    face_on_file: bool = True
    done_before: PensionCheck | None = None  # a check that passed this year already
    receipt: PensionReceipt | None = None
    answer: str = ""  # the county's words, once they came
    due_month: int = 0  # 明年X月前再来


def due_month(next_due: str | None, checked: datetime) -> int:
    """The month of the next check: the county's `next_due` (YYYY-MM-DD) if it said, else the check's own."""
    if next_due:
        try:
            return date.fromisoformat(next_due).month
        except ValueError:
            logger.warning("a pension answer with a malformed next_due was ignored")
    return checked.astimezone(CHINA).month


class PensionViewModel(Observable):
    def __init__(
        self,
        flow: PensionCheckFlow,
        db: Database,
        did: str,
        now: Callable[[], datetime],
        cadre: Callable[[], CadreCheck | None],
        hw: Run,
        store: Run,
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._flow, self._db, self._did, self._now, self._cadre = flow, db, did, now, cadre
        self._hw, self._store = hw, store
        self.pin = PinEntry(shuffle_keypad)  # the cadre's PIN
        self.state = PensionState(tries_left=flow.tries_left)
        self._ended = False

    @property
    def holds_work(self) -> bool:
        return self.state.busy or self.state.phase is PensionPhase.CADRE

    @property
    def cadre_here(self) -> bool:
        """Whether a cadre is signed in on this kiosk now (cadre mode) to check the person."""
        return self._cadre() is not None

    def _set(self, **changes: Any) -> None:
        if self._ended:
            return
        self.state = replace(self.state, **changes)
        self._changed()

    def _live(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        return lambda value: None if self._ended else fn(value)

    def start(self) -> None:
        """Whether a face is on file, and whether this year's check was done already."""

        def got(found: tuple[bool, PensionCheck | None]) -> None:
            self._set(busy=False, face_on_file=found[0], done_before=found[1])

        self._set(busy=True)
        self._store(
            lambda: (self._flow.face_on_file, self._flow.done_this_year()), self._live(got), self._live(self._failed)
        )

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, UserFacingError):
            logger.error("the pension check failed unexpectedly: %s", type(exc).__name__)
            exc = UserFacingError("store.failed")
        phase = PensionPhase.FAILED if self._flow.step is PensionStep.FAILED else self.state.phase
        self._set(busy=False, hint=None, error=exc, tries_left=self._flow.tries_left, phase=phase)

    # --- the face ------------------------------------------------------------------------------------

    def capture(self, post: Callable[[Callable[[], None]], None]) -> None:
        """One try. `post` carries the hints from the device thread to the GUI thread."""
        if self.state.busy or self.state.phase is not PensionPhase.FACE:
            return
        self._set(busy=True, error=None, hint=FaceHint.NO_FACE)

        def on_hint(hint: FaceHint) -> None:
            post(lambda: self._hinted(hint))

        self._hw(lambda: self._flow.capture_face(on_hint), self._live(self._passed), self._live(self._failed))

    def _hinted(self, hint: FaceHint) -> None:
        if not self._ended and self.state.busy and self.state.phase is PensionPhase.FACE:
            self._set(hint=hint)

    def _passed(self, receipt: PensionReceipt) -> None:
        self._set(
            busy=False,
            hint=FaceHint.OK,
            phase=PensionPhase.DONE,
            receipt=receipt,
            due_month=due_month(None, self._now()),
            error=None,
        )
        self.refresh_answer()

    # --- a cadre's check -----------------------------------------------------------------------------

    def to_cadre(self) -> None:
        if self.state.busy:
            return
        self.pin.clear()
        self._set(phase=PensionPhase.CADRE, error=None)

    def back_to_face(self) -> None:
        self.pin.clear()
        back = PensionPhase.FAILED if self._flow.step is PensionStep.FAILED else PensionPhase.FACE
        self._set(phase=back, error=None)

    def submit_cadre_pin(self) -> None:
        cadre = self._cadre()
        if self.state.busy or cadre is None or not self.pin.state.complete:
            return
        pin = self.pin.take()

        def confirmed(receipt: PensionReceipt) -> None:
            self._passed(receipt)

        def refused(exc: Exception) -> None:  # a wrong cadre PIN, or the cadre is the villager: said, stays here
            if not isinstance(exc, UserFacingError):
                logger.error("the cadre's pension check failed unexpectedly: %s", type(exc).__name__)
                exc = UserFacingError("store.failed")
            self._set(busy=False, error=exc)

        self._set(busy=True, error=None)
        self._store(lambda: self._flow.cadre_confirms(cadre, pin), self._live(confirmed), self._live(refused))

    # --- the county's answer -------------------------------------------------------------------------

    def refresh_answer(self) -> None:
        receipt = self.state.receipt
        if receipt is None:
            return

        def got(found: PensionCheck | None) -> None:
            if found is not None and found.answer:
                month = due_month(found.next_due, self._now())
                self._set(answer=found.answer, due_month=month)

        def look() -> PensionCheck | None:
            return next((c for c in checks(self._db, self._did) if c.tx_id == receipt.tx_id), None)

        self._store(look, self._live(got), lambda exc: logger.warning("pension answer: %s", type(exc).__name__))

    def cancel(self) -> None:
        self.pin.clear()
        self._flow.cancel()
        self._ended = True
        self.state = PensionState(phase=PensionPhase.ENDED)
        self._changed()
