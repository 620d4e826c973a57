"""What every view-model shares: the `run` callable that does blocking work elsewhere, and change listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Run(Protocol):
    """Runs `work` somewhere (a worker thread in the app, right now in tests), then `ok` or `err` on the GUI."""

    def __call__(self, work: Callable[[], T], ok: Callable[[T], None], err: Callable[[Exception], None]) -> None: ...


def run_now(work: Callable[[], T], ok: Callable[[T], None], err: Callable[[Exception], None]) -> None:
    """The synchronous `Run` for view-model tests: no threads."""
    try:
        result = work()
    except Exception as exc:
        err(exc)
        return
    ok(result)


class Observable:
    """A view-model's listeners: the screen subscribes and re-renders on every change."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()
