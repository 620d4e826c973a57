"""The bridge between the GUI thread and the workers: blocking work runs on a lane, results come back on the GUI.

Two lanes, each one thread: `store` owns the database work (SQLite, scrypt) and `hw` the devices (card reads,
face capture), so a villager waiting 30 s for a card never holds up the status line's database reads.
Everything returns through one `run_on_main`, drained by a queued signal on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from ui.viewmodels.base import Run

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Lane(StrEnum):
    STORE = "store"
    HW = "hw"


class Background(QObject):
    """Runs blocking work off the GUI thread and hands results back on it."""

    _pending = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._pools: dict[Lane, ThreadPoolExecutor] = {}  # each lane's thread starts with its first work
        self._todo: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._pending.connect(self._drain)  # queued when emitted from a worker thread

    def submit(
        self,
        work: Callable[[], T],
        ok: Callable[[T], None],
        err: Callable[[Exception], None],
        lane: Lane = Lane.STORE,
    ) -> None:
        """Run `work` on `lane`; then `ok(result)` or `err(exception)` on the GUI thread."""

        def done(f: Future[T]) -> None:
            if f.cancelled():  # dropped by close(): nobody waits for it any more
                return
            exc = f.exception()
            if isinstance(exc, Exception):
                self.run_on_main(lambda: err(exc))
            elif exc is not None:  # a BaseException (KeyboardInterrupt, SystemExit) is not ours to swallow
                logger.error("background work ended with %s", type(exc).__name__)
            else:
                result = f.result()
                self.run_on_main(lambda: ok(result))

        pool = self._pool(lane)
        if pool is None:
            logger.info("work submitted after close was dropped")
            return
        pool.submit(work).add_done_callback(done)

    def _pool(self, lane: Lane) -> ThreadPoolExecutor | None:
        # Made on first use, so the import and the threads wait until after home's first frame.
        from concurrent.futures import ThreadPoolExecutor

        with self._lock:
            if self._closed:
                return None
            if lane not in self._pools:
                self._pools[lane] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=lane.value)
            return self._pools[lane]

    def runner(self, lane: Lane) -> Run:
        """A `run` callable for view-models, bound to one lane."""
        return _LaneRunner(self, lane)

    def run_on_main(self, fn: Callable[[], None]) -> None:
        with self._lock:
            self._todo.append(fn)
        self._pending.emit()

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            todo, self._todo = self._todo, []
        for fn in todo:
            fn()

    def close(self, wait: bool = True) -> None:
        """Stop taking work; wait for what runs (devices are closed first, so their waits end)."""
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
        for pool in pools:
            pool.shutdown(wait=wait, cancel_futures=True)


class _LaneRunner:
    def __init__(self, bg: Background, lane: Lane) -> None:
        self._bg, self._lane = bg, lane

    def __call__(self, work: Callable[[], T], ok: Callable[[T], None], err: Callable[[Exception], None]) -> None:
        self._bg.submit(work, ok, err, self._lane)
