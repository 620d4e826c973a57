"""信用额度: the villager's credit profile as the county delivered it (`kiosk.loans.credit`), for the screens.

The pre-approved line, each factor with its points and the county's reason, how fresh it is, and 为什么 (the
factors and how the total became the line). Reading it asks nothing of the county. Qt-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.loans.credit import CreditProfile, newest
from kiosk.store.db import Database
from ui.viewmodels.base import Observable, Run

logger = logging.getLogger(__name__)


class CreditPhase(StrEnum):
    PROFILE = "profile"
    WHY = "why"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class CreditState:
    phase: CreditPhase = CreditPhase.PROFILE
    loaded: bool = False
    profile: CreditProfile | None = None  # None once loaded: the county has sent none yet
    now_ms: int = 0
    error: UserFacingError | None = None

    @property
    def age_days(self) -> int:
        return 0 if self.profile is None else self.profile.age_days(self.now_ms)

    @property
    def stale(self) -> bool:
        return self.profile is not None and self.profile.stale(self.now_ms)


class CreditViewModel(Observable):
    def __init__(self, db: Database, did: str, now_ms: Callable[[], int], store: Run) -> None:
        super().__init__()
        self._db, self._did, self._now_ms, self._store = db, did, now_ms, store
        self.state = CreditState()
        self._ended = False

    def _set(self, **changes: Any) -> None:
        if not self._ended:
            self.state = replace(self.state, **changes)
            self._changed()

    def refresh(self) -> None:
        def read() -> CreditProfile | None:
            with self._db.transaction() as conn:
                return newest(conn, self._did)

        def got(profile: CreditProfile | None) -> None:
            self._set(loaded=True, profile=profile, now_ms=self._now_ms(), error=None)

        def failed(exc: Exception) -> None:
            logger.error("the credit profile could not be read: %s", type(exc).__name__)
            self._set(loaded=True, error=UserFacingError("store.failed"))

        self._store(read, got, failed)

    def why(self) -> None:
        if self.state.profile is not None:
            self._set(phase=CreditPhase.WHY)

    def back(self) -> None:
        self._set(phase=CreditPhase.PROFILE)

    def cancel(self) -> None:
        self._ended = True
        self.state = CreditState(phase=CreditPhase.ENDED)
        self._changed()
