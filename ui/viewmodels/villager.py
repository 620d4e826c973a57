"""The signed-in villager's page: how many of their transactions are still on the way to the county."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from kiosk.store.db import Database
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.status import PENDING_STATES

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VillagerState:
    pending: int = 0


def pending_for(db: Database, did: str) -> int:
    """Transactions of this DID not yet acknowledged by the county (a kiosk's outbox is small: read them all)."""
    rows = db.read("SELECT envelope FROM outbox WHERE state IN (?, ?)", PENDING_STATES)
    count = 0
    for (envelope,) in rows:
        try:
            body = json.loads(bytes(envelope)).get("body", {})
        except (ValueError, AttributeError):
            continue  # not ours to judge here; lxt-diag reports malformed rows
        if isinstance(body, dict) and body.get("did") == did:
            count += 1
    return count


class VillagerViewModel(Observable):
    def __init__(self, did: str, db: Database, run: Run) -> None:
        super().__init__()
        self._did = did
        self._db = db
        self._run = run
        self.state = VillagerState()

    def refresh(self) -> None:
        self._run(lambda: pending_for(self._db, self._did), self._got, self._failed)

    def _got(self, pending: int) -> None:
        self.state = VillagerState(pending)
        self._changed()

    def _failed(self, exc: Exception) -> None:
        logger.warning("pending items could not be read: %s", type(exc).__name__)
