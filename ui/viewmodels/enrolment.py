"""The enrolment screens' view-model: drives `kiosk.flows.enrolment.EnrolmentFlow` through `run` callables.

One instance per villager session. Card reads and face capture go to the device lane, the PIN commit (scrypt,
the database) to the store lane; the state the screens render is one frozen `EnrolState`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from kiosk.errors import KioskError, UserFacingError
from kiosk.flows.enrolment import CardSummary, EnrolmentFlow, EnrolStep
from kiosk.identity.registry import EnrolmentReceipt
from kiosk.ports import FaceHint
from kiosk.store.outbox import OutboxState
from kiosk.tx.bodies import EnrolMode
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry

logger = logging.getLogger(__name__)
T = TypeVar("T")


class EnrolPhase(StrEnum):
    CARD = "card"
    CONFIRM = "confirm"
    CONSENT = "consent"
    FACE = "face"
    PIN = "pin"
    PIN_CONFIRM = "pin_confirm"
    WITNESS = "witness"  # cadre mode: the cadre's PIN signs as witness
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


STEPS = {
    EnrolPhase.CARD: 1,
    EnrolPhase.CONFIRM: 2,
    EnrolPhase.CONSENT: 3,
    EnrolPhase.FACE: 4,
    EnrolPhase.PIN: 5,
    EnrolPhase.PIN_CONFIRM: 5,
    EnrolPhase.WITNESS: 5,
}
TOTAL_STEPS = 5


@dataclass(frozen=True, slots=True)
class EnrolState:
    phase: EnrolPhase = EnrolPhase.CARD
    busy: bool = False  # work is running: the primary action is disabled, a spinner shows after 300 ms
    error: UserFacingError | None = None  # what went wrong last, said in the villager's words
    summary: CardSummary | None = None
    hint: FaceHint | None = None
    did: str | None = None
    tx_id: str | None = None
    chain: OutboxState | None = None  # where the identity.enroll transaction is

    @property
    def step(self) -> int | None:
        return STEPS.get(self.phase)


class EnrolmentViewModel(Observable):
    def __init__(
        self,
        flow: EnrolmentFlow,
        hw: Run,
        store: Run,
        read_chain: Callable[[str], OutboxState | None],
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._flow = flow
        self._hw = hw
        self._store = store
        self._read_chain = read_chain
        self.pin = PinEntry(shuffle_keypad)
        self.state = EnrolState()
        self._ended = False

    def _live(self, fn: Callable[[T], None]) -> Callable[[T], None]:
        """A callback that does nothing once the session ended (work still running when home was pressed)."""

        def call(value: T) -> None:
            if not self._ended:
                fn(value)

        return call

    def _set(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._changed()

    def _fail_or_retry(self, exc: Exception, stay: EnrolPhase) -> None:
        """A flow error: stay on the step with the message, or end (FAILED) if the flow says so."""
        if not isinstance(exc, UserFacingError):
            logger.error("enrolment step failed unexpectedly: %s", type(exc).__name__)
            exc = UserFacingError("store.failed")
        ended = self._flow.step in (EnrolStep.FAILED, EnrolStep.CANCELLED)
        self._set(busy=False, error=exc, phase=EnrolPhase.FAILED if ended else stay, hint=None)

    # --- card ---------------------------------------------------------------------------------

    def read_card(self) -> None:
        if self.state.busy or self.state.phase is not EnrolPhase.CARD:
            return
        self._set(busy=True, error=None)
        self._hw(self._flow.read_card, self._live(self._card_read), self._live(self._card_failed))

    def _card_failed(self, exc: Exception) -> None:
        self._fail_or_retry(exc, EnrolPhase.CARD)

    def _card_read(self, summary: CardSummary) -> None:
        self._set(busy=False, summary=summary, phase=EnrolPhase.CONFIRM)

    def confirm(self, is_me: bool) -> None:
        if self.state.phase is not EnrolPhase.CONFIRM:
            return
        if not is_me:
            self.cancel()
            return
        self._set(phase=EnrolPhase.CONSENT)

    # --- consent --------------------------------------------------------------------------------

    @property
    def mode(self) -> EnrolMode:
        """self, or with a cadre: assisted or proxy (the witness screen says which)."""
        return self._flow.mode

    @property
    def consent_text(self) -> str:
        return self._flow.consent_text.text

    def consent(self, accepted: bool) -> None:
        if self.state.phase is not EnrolPhase.CONSENT:
            return
        self._flow.consent(accepted)
        if accepted:
            self._set(phase=EnrolPhase.FACE, error=None)
        else:
            self._set(phase=EnrolPhase.CANCELLED, summary=None)

    # --- face -------------------------------------------------------------------------------------

    def capture_face(self, post: Callable[[Callable[[], None]], None]) -> None:
        """Start one capture try. `post` carries the hints from the device thread to the GUI thread."""
        if self.state.busy or self.state.phase is not EnrolPhase.FACE:
            return
        self._set(busy=True, error=None, hint=FaceHint.NO_FACE)

        def on_hint(hint: FaceHint) -> None:
            post(lambda: self._hinted(hint))

        self._hw(lambda: self._flow.capture_face(on_hint), self._live(self._face_done), self._live(self._face_failed))

    def _hinted(self, hint: FaceHint) -> None:
        if not self._ended and self.state.phase is EnrolPhase.FACE and self.state.busy:
            self._set(hint=hint)

    @property
    def cadre_can_check(self) -> bool:
        """In cadre mode the cadre may check the person against the card in place of the camera."""
        return self._flow.witnessed and self.state.phase is EnrolPhase.FACE and not self.state.busy

    def cadre_checks(self) -> None:
        if not self.cadre_can_check:
            return
        self._flow.cadre_confirms_identity()  # recorded as identity_check "cadre" and signed by the witness
        self._set(busy=False, hint=None, error=None, phase=EnrolPhase.PIN)

    def _face_done(self, _match: object) -> None:
        self._set(busy=False, hint=FaceHint.OK, phase=EnrolPhase.PIN)

    def _face_failed(self, exc: Exception) -> None:
        self._fail_or_retry(exc, EnrolPhase.FACE)

    # --- PIN twice ---------------------------------------------------------------------------------

    def submit_pin(self) -> None:
        """The villager pressed 确定 with six digits on the keypad."""
        if self.state.busy or not self.pin.state.complete:
            return
        pin = self.pin.take()
        if self.state.phase is EnrolPhase.PIN:
            try:
                self._flow.enter_pin(pin)  # rules only: no I/O, safe on the GUI thread
            except KioskError as exc:
                self._fail_or_retry(exc, EnrolPhase.PIN)
                return
            self._set(phase=EnrolPhase.PIN_CONFIRM, error=None)
        elif self.state.phase is EnrolPhase.PIN_CONFIRM and self._flow.witness_signs_at_end:
            try:
                self._flow.pins_agree(pin)  # a comparison only: safe on the GUI thread
            except KioskError as exc:
                self._confirm_failed(exc)
                return
            self._set(phase=EnrolPhase.WITNESS, error=None)
        elif self.state.phase is EnrolPhase.PIN_CONFIRM:
            self._set(busy=True, error=None)
            self._store(lambda: self._flow.confirm_pin(pin), self._live(self._saved), self._live(self._confirm_failed))
        elif self.state.phase is EnrolPhase.WITNESS:
            self._set(busy=True, error=None)
            self._store(
                lambda: self._flow.witness_signs(pin), self._live(self._saved), self._live(self._witness_failed)
            )

    def _witness_failed(self, exc: Exception) -> None:
        self._fail_or_retry(exc, EnrolPhase.WITNESS)  # a wrong cadre PIN stays; a lock ends the enrolment

    def _confirm_failed(self, exc: Exception) -> None:
        # A mismatch sends the flow back to the first PIN entry; other errors end it.
        back = EnrolPhase.PIN if self._flow.step is EnrolStep.PIN else EnrolPhase.PIN_CONFIRM
        self._fail_or_retry(exc, back)

    def _saved(self, receipt: EnrolmentReceipt) -> None:
        self._set(busy=False, phase=EnrolPhase.DONE, did=receipt.did, tx_id=receipt.tx_id, chain=OutboxState.QUEUED)

    # --- done: follow the transaction to the county -----------------------------------------------

    def refresh_chain(self) -> None:
        tx_id = self.state.tx_id
        if tx_id is None or self.state.chain in (OutboxState.COMMITTED, OutboxState.REJECTED):
            return
        self._store(lambda: self._read_chain(tx_id), self._chain_read, self._chain_failed)

    def _chain_read(self, state: OutboxState | None) -> None:
        if state is not None and state != self.state.chain:
            self._set(chain=state)

    def _chain_failed(self, exc: Exception) -> None:
        logger.warning("outbox state could not be read: %s", type(exc).__name__)

    # --- ending ----------------------------------------------------------------------------------------

    def check_timeout(self) -> None:
        try:
            self._flow.check_timeout()
        except UserFacingError as exc:
            self._set(phase=EnrolPhase.FAILED, error=exc, busy=False)

    def cancel(self) -> None:
        """Home, the idle timeout, "不是我", "不同意": forget everything; nothing is written."""
        self._ended = True
        self._flow.cancel()
        self.pin.clear()
        if self.state.phase is not EnrolPhase.DONE:
            self.state = EnrolState(phase=EnrolPhase.CANCELLED)
        else:
            self.state = EnrolState(phase=EnrolPhase.DONE)
        self._changed()

    @property
    def holds_work(self) -> bool:
        """Whether going home now would discard something the villager did (then home asks first)."""
        return self.state.phase not in (EnrolPhase.CARD, EnrolPhase.DONE, EnrolPhase.FAILED, EnrolPhase.CANCELLED)
