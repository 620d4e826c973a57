"""The kiosk's state for the top bar and home's quiet line: online or not, how much waits to be sent, locked.

Read from the database the sync daemon writes (`sync_status`, the outbox) through `kiosk/`; the UI never
imports sync. The county's `lock` command reaches the UI through a `LockSource`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ui.viewmodels.base import Observable, Run

if TYPE_CHECKING:  # home imports this before its first frame; the store's modules come with the core
    from kiosk.store.db import Database
    from kiosk.store.outbox import OutboxState

logger = logging.getLogger(__name__)


class LockSource(Protocol):
    """Whether the county has locked this kiosk (its `lock` command). Blocking: called on the store lane."""

    def is_locked(self) -> bool: ...


class DbLockSource:
    """The lock state lxt-sync stores when the county's `lock` command arrives (kiosk_state, `locked`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_locked(self) -> bool:
        from kiosk.store.deliveries import lock_state

        # Through a transaction: the reader takes a connection, and the Database lends its own only this way.
        with self._db.transaction() as conn:
            return lock_state(conn).locked


class SwitchLockSource:
    """A lock held in memory: the tour, tests and the demo panel flip it."""

    def __init__(self, locked: bool = False) -> None:
        self.locked = locked

    def is_locked(self) -> bool:
        return self.locked


@dataclass(frozen=True, slots=True)
class KioskStatus:
    online: bool
    pending: int  # transactions not yet acknowledged by the county
    locked: bool


UNKNOWN = KioskStatus(online=False, pending=0, locked=False)
# OutboxState.QUEUED and PUBLISHED, spelled out so home need not import the store (a unit test holds them equal).
PENDING_STATES = ("queued", "published")


def read_kiosk_status(db: Database, lock: LockSource) -> KioskStatus:
    from kiosk.store.deliveries import LINK_STALE_MS

    rows = db.read("SELECT online, updated_ms FROM sync_status WHERE id = 1")
    # A daemon that died leaves `online` set: believe it only while it keeps touching the row.
    online = bool(rows and rows[0][0] and time.time() * 1000 - int(rows[0][1]) <= LINK_STALE_MS)
    pending = db.read("SELECT COUNT(*) FROM outbox WHERE state IN (?, ?)", PENDING_STATES)[0][0]
    return KioskStatus(online, int(pending), lock.is_locked())


def outbox_state(db: Database, tx_id: str) -> OutboxState | None:
    """Where one transaction is: queued/published (待上链), committed (已上链) or rejected."""
    from kiosk.store.outbox import OutboxState

    rows = db.read("SELECT state FROM outbox WHERE id = ?", (tx_id,))
    return OutboxState(rows[0][0]) if rows else None


class StatusViewModel(Observable):
    """Refreshed on a timer by the window; `state` is the last reading (offline until the first one)."""

    def __init__(self, read: Callable[[], KioskStatus], run: Run) -> None:
        super().__init__()
        self._read = read
        self._run = run
        self.state = UNKNOWN
        self._busy = False

    def refresh(self) -> None:
        if self._busy:  # a slow disk must not pile reads up
            return
        self._busy = True
        self._run(self._read, self._got, self._failed)

    def _got(self, state: KioskStatus) -> None:
        self._busy = False
        if state != self.state:
            self.state = state
            self._changed()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        logger.warning("kiosk status could not be read: %s", type(exc).__name__)
