"""The sign-in screens' view-model: card → PIN → a `VillagerSession`, or the lock with what to do next."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from kiosk.errors import UserFacingError
from kiosk.flows.signin import SignInFlow, SignInStep, VillagerSession
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry

logger = logging.getLogger(__name__)
T = TypeVar("T")


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


@dataclass(frozen=True, slots=True)
class SignInState:
    phase: SignInPhase = SignInPhase.CARD
    busy: bool = False
    error: UserFacingError | None = None
    name: str = ""  # shown to greet the villager; wiped with the session


class SignInViewModel(Observable):
    def __init__(
        self,
        flow: SignInFlow,
        hw: Run,
        store: Run,
        signed_in: Callable[[VillagerSession], None],
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._flow = flow
        self._hw = hw
        self._store = store
        self._signed_in = signed_in
        self.pin = PinEntry(shuffle_keypad)
        self.state = SignInState()
        self._ended = False

    def _live(self, fn: Callable[[T], None]) -> Callable[[T], None]:
        def call(value: T) -> None:
            if not self._ended:
                fn(value)

        return call

    def _set(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._changed()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, UserFacingError):
            logger.error("sign-in step failed unexpectedly: %s", type(exc).__name__)
            exc = UserFacingError("store.failed")
            self._set(busy=False, error=exc, phase=SignInPhase.FAILED)
            return
        self._set(busy=False, error=exc, phase=_FROM_FLOW[self._flow.step])

    def read_card(self) -> None:
        if self.state.busy or self.state.phase is not SignInPhase.CARD:
            return
        self._set(busy=True, error=None)
        self._hw(self._flow.read_card, self._live(self._card_read), self._live(self._failed))

    def _card_read(self, name: str) -> None:
        self._set(busy=False, name=name, phase=SignInPhase.PIN)

    def submit_pin(self) -> None:
        if self.state.busy or self.state.phase is not SignInPhase.PIN or not self.pin.state.complete:
            return
        pin = self.pin.take()
        self._set(busy=True, error=None)
        self._store(lambda: self._flow.enter_pin(pin), self._opened, self._live(self._failed))

    def _opened(self, session: VillagerSession) -> None:
        if self._ended:  # the villager left (home, idle) while the PIN was checked: drop the key at once
            session.wipe()
            return
        self._set(busy=False, phase=SignInPhase.SIGNED_IN, name="")
        self._signed_in(session)

    def cancel(self) -> None:
        self._ended = True
        self._flow.cancel()
        self.pin.clear()
        self.state = SignInState(phase=SignInPhase.ENDED)
        self._changed()

    @property
    def holds_work(self) -> bool:
        return self.state.phase is SignInPhase.PIN
