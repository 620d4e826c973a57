"""The card → PIN entries' view-model, shared by a villager's sign-in and a cadre's entry: read the card on the
hardware lane, take the PIN on the store lane, hand the opened session on (or wipe it if the person left).

Each entry keeps its own phases (signed in / admitted, not enrolled / refused) and its own words; they map
their flow's step onto those phases. Qt-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from kiosk.errors import UserFacingError
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry

T = TypeVar("T")
PhaseT = TypeVar("PhaseT", bound=StrEnum)


class Session(Protocol):
    def wipe(self) -> None: ...


SessionT = TypeVar("SessionT", bound=Session)
SessionT_co = TypeVar("SessionT_co", bound=Session, covariant=True)


class CardPinFlow(Protocol[SessionT_co]):
    def read_card(self) -> str: ...
    def enter_pin(self, pin: str) -> SessionT_co: ...
    def cancel(self) -> None: ...


# No slots: a frozen slotted generic dataclass cannot be built through its alias (SignInState(...)) on 3.11.
@dataclass(frozen=True)
class CardPinState(Generic[PhaseT]):
    phase: PhaseT
    busy: bool = False
    error: UserFacingError | None = None
    name: str = ""  # whose card it is, for the PIN screen's greeting; wiped once the session opens


@dataclass(frozen=True, slots=True)
class CardPinPhases(Generic[PhaseT]):
    card: PhaseT
    pin: PhaseT
    opened: PhaseT  # signed in, or admitted: the window shows the person's home
    failed: PhaseT
    ended: PhaseT


class CardPinViewModel(Observable, Generic[PhaseT, SessionT]):
    def __init__(
        self,
        flow: CardPinFlow[SessionT],
        hw: Run,
        store: Run,
        opened: Callable[[SessionT], None],
        phases: CardPinPhases[PhaseT],
        phase_of_flow: Callable[[], PhaseT],
        log: logging.Logger,
        what: str,
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._flow = flow
        self._hw = hw
        self._store = store
        self._opened_session = opened
        self._phases = phases
        self._phase_of_flow = phase_of_flow  # where the flow stands after a refusal (wrong PIN, lock, not known)
        self._log = log
        self._what = what  # names the step in the log, nothing personal
        self.pin = PinEntry(shuffle_keypad)
        self.state = CardPinState(phases.card)
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
            self._log.error("%s step failed unexpectedly: %s", self._what, type(exc).__name__)
            self._set(busy=False, error=UserFacingError("store.failed"), phase=self._phases.failed)
            return
        self._set(busy=False, error=exc, phase=self._phase_of_flow())

    def read_card(self) -> None:
        if self.state.busy or self.state.phase is not self._phases.card:
            return
        self._set(busy=True, error=None)
        self._hw(self._flow.read_card, self._live(self._card_read), self._live(self._failed))

    def _card_read(self, name: str) -> None:
        self._set(busy=False, name=name, phase=self._phases.pin)

    def submit_pin(self) -> None:
        if self.state.busy or self.state.phase is not self._phases.pin or not self.pin.state.complete:
            return
        pin = self.pin.take()
        self._set(busy=True, error=None)
        self._store(lambda: self._flow.enter_pin(pin), self._opened, self._live(self._failed))

    def _opened(self, session: SessionT) -> None:
        if self._ended:  # the person left (home, idle) while the PIN was checked: drop the key at once
            session.wipe()
            return
        self._set(busy=False, phase=self._phases.opened, name="")
        self._opened_session(session)

    def cancel(self) -> None:
        self._ended = True
        self._flow.cancel()
        self.pin.clear()
        self.state = CardPinState(self._phases.ended)
        self._changed()

    @property
    def holds_work(self) -> bool:
        return self.state.phase is self._phases.pin
