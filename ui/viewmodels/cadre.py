"""Cadre mode's view-models: the hidden entry's taps, the entry (card → PIN → a `CadreSession`), the queue and
today's activity. Qt-free; blocking work goes through `run` callables like the other view-models."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kiosk.flows.cadre import CadreDesk, CadreEntryFlow, CadreSession, CadreStep
from kiosk.store.activity import QueueCounts, QueueItem, Today
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.card_pin import CardPinPhases, CardPinState, CardPinViewModel

logger = logging.getLogger(__name__)


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


EntryState = CardPinState[EntryPhase]  # name: the cadre's name from the roster, for the PIN screen
PHASES = CardPinPhases(
    card=EntryPhase.CARD,
    pin=EntryPhase.PIN,
    opened=EntryPhase.ADMITTED,
    failed=EntryPhase.FAILED,
    ended=EntryPhase.ENDED,
)


class CadreEntryViewModel(CardPinViewModel[EntryPhase, CadreSession]):
    def __init__(
        self,
        flow: CadreEntryFlow,
        hw: Run,
        store: Run,
        admitted: Callable[[CadreSession], None],
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__(
            flow, hw, store, admitted, PHASES, lambda: _FROM_FLOW[flow.step], logger, "cadre entry", shuffle_keypad
        )


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
