"""The sign-in screens' view-model: card → PIN → a `VillagerSession`, or the lock with what to do next."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum

from kiosk.flows.signin import SignInFlow, SignInStep, VillagerSession
from ui.viewmodels.base import Run
from ui.viewmodels.card_pin import CardPinPhases, CardPinState, CardPinViewModel

logger = logging.getLogger(__name__)


class SignInPhase(StrEnum):
    CARD = "card"
    PIN = "pin"
    SIGNED_IN = "signed_in"
    NOT_ENROLLED = "not_enrolled"
    LOCKED = "locked"
    FAILED = "failed"
    ENDED = "ended"


_FROM_FLOW = {
    SignInStep.CARD: SignInPhase.CARD,
    SignInStep.PIN: SignInPhase.PIN,
    SignInStep.SIGNED_IN: SignInPhase.SIGNED_IN,
    SignInStep.NOT_ENROLLED: SignInPhase.NOT_ENROLLED,
    SignInStep.LOCKED: SignInPhase.LOCKED,
    SignInStep.ENDED: SignInPhase.FAILED,
}


SignInState = CardPinState[SignInPhase]  # name: shown to greet the villager; wiped with the session
PHASES = CardPinPhases(
    card=SignInPhase.CARD,
    pin=SignInPhase.PIN,
    opened=SignInPhase.SIGNED_IN,
    failed=SignInPhase.FAILED,
    ended=SignInPhase.ENDED,
)


class SignInViewModel(CardPinViewModel[SignInPhase, VillagerSession]):
    def __init__(
        self,
        flow: SignInFlow,
        hw: Run,
        store: Run,
        signed_in: Callable[[VillagerSession], None],
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__(
            flow, hw, store, signed_in, PHASES, lambda: _FROM_FLOW[flow.step], logger, "sign-in", shuffle_keypad
        )
