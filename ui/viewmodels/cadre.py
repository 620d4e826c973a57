"""Cadre mode's view-models: the hidden entry's taps, the entry (card → PIN → a `CadreSession`), the queue and
today's activity. Qt-free; blocking work goes through `run` callables like the other view-models."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

from kiosk.errors import UserFacingError
from kiosk.flows.cadre import CadreDesk, CadreEntryFlow, CadreSession, CadreStep
from kiosk.store.activity import QueueCounts, QueueItem, Today
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry

logger = logging.getLogger(__name__)
T = TypeVar("T")


class EntryPhase(StrEnum):
    CARD = "card"
    PIN = "pin"
    ADMITTED = "admitted"
    REFUSED = "refused"
    LOCKED = "locked"
    FAILED = "failed"
    ENDED = "ended"


_FROM_FLOW = {
    CadreStep.CARD: EntryPhase.CARD,
    CadreStep.PIN: EntryPhase.PIN,
    CadreStep.ADMITTED: EntryPhase.ADMITTED,
    CadreStep.REFUSED: EntryPhase.REFUSED,
    CadreStep.LOCKED: EntryPhase.LOCKED,
    CadreStep.ENDED: EntryPhase.FAILED,
}


@dataclass(frozen=True, slots=True)
class EntryState:
    phase: EntryPhase = EntryPhase.CARD
    busy: bool = False
    error: UserFacingError | None = None
    name: str = ""  # the cadre's name from the roster, for the PIN screen


class CadreEntryViewModel(Observable):
    def __init__(
        self,
        flow: CadreEntryFlow,
        hw: Run,
        store: Run,
        admitted: Callable[[CadreSession], None],
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._flow = flow
        self._hw = hw
        self._store = store
        self._admitted = admitted
        self.pin = PinEntry(shuffle_keypad)
        self.state = EntryState()
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
            logger.error("cadre entry step failed unexpectedly: %s", type(exc).__name__)
            self._set(busy=False, error=UserFacingError("store.failed"), phase=EntryPhase.FAILED)
            return
        self._set(busy=False, error=exc, phase=_FROM_FLOW[self._flow.step])

    def read_card(self) -> None:
        if self.state.busy or self.state.phase is not EntryPhase.CARD:
            return
        self._set(busy=True, error=None)
        self._hw(self._flow.read_card, self._live(self._card_read), self._live(self._failed))

    def _card_read(self, name: str) -> None:
        self._set(busy=False, name=name, phase=EntryPhase.PIN)

    def submit_pin(self) -> None:
        if self.state.busy or self.state.phase is not EntryPhase.PIN or not self.pin.state.complete:
            return
        pin = self.pin.take()
        self._set(busy=True, error=None)
        self._store(lambda: self._flow.enter_pin(pin), self._opened, self._live(self._failed))

    def _opened(self, session: CadreSession) -> None:
        if self._ended:  # the entry was left while the PIN was checked: drop the key at once
            session.wipe()
            return
        self._set(busy=False, phase=EntryPhase.ADMITTED, name="")
        self._admitted(session)

    def cancel(self) -> None:
        self._ended = True
        self._flow.cancel()
        self.pin.clear()
        self.state = EntryState(phase=EntryPhase.ENDED)
        self._changed()

    @property
    def holds_work(self) -> bool:
        return self.state.phase is EntryPhase.PIN


# --- the queue and today ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueState:
    loaded: bool = False
    counts: QueueCounts = field(default_factory=lambda: QueueCounts(0, 0, 0))
    items: tuple[QueueItem, ...] = ()
    resent: bool = False  # the last resend was queued
    failed: bool = False


class QueueViewModel(Observable):
    def __init__(self, desk: CadreDesk, actor: str, store: Run) -> None:
        super().__init__()
        self._desk = desk
        self._actor = actor
        self._store = store
        self.state = QueueState()

    def refresh(self) -> None:
        self._store(lambda: self._desk.queue(self._actor), self._got, self._failed)

    def _got(self, found: tuple[QueueCounts, list[QueueItem]]) -> None:
        counts, items = found
        self.state = replace(self.state, loaded=True, counts=counts, items=tuple(items), failed=False)
        self._changed()

    def _failed(self, exc: Exception) -> None:
        logger.warning("the cadre's queue could not be read: %s", type(exc).__name__)
        self.state = replace(self.state, failed=True)
        self._changed()

    def resend(self, tx_id: str) -> None:
        self._store(lambda: self._desk.resend(self._actor, tx_id), self._resent, self._failed)

    def _resent(self, queued: bool) -> None:
        self.state = replace(self.state, resent=queued)
        self.refresh()


@dataclass(frozen=True, slots=True)
class TodayState:
    loaded: bool = False
    today: Today = field(default_factory=lambda: Today({"self": 0, "assisted": 0, "proxy": 0}, []))
    failed: bool = False


class TodayViewModel(Observable):
    def __init__(self, desk: CadreDesk, actor: str, store: Run) -> None:
        super().__init__()
        self._desk = desk
        self._actor = actor
        self._store = store
        self.state = TodayState()

    def refresh(self) -> None:
        self._store(lambda: self._desk.today(self._actor), self._got, self._failed)

    def _got(self, today: Today) -> None:
        self.state = TodayState(True, today)
        self._changed()

    def _failed(self, exc: Exception) -> None:
        logger.warning("today's activity could not be read: %s", type(exc).__name__)
        self.state = replace(self.state, failed=True)
        self._changed()
