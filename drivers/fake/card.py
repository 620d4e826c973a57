"""An ID card reader that tests and the demo put cards on by hand."""

from __future__ import annotations

import threading

from kiosk.domain.idcard import IdCard
from kiosk.errors import DeviceError
from kiosk.ports import CardRemoved, DeviceTimeout, DeviceUnavailable


class FakeCardReader:
    """A reader with one card slot. A placed card stays until removed, as on a real reader.

    `place` also takes a DeviceError, which every read then raises while it is "on the reader" (a corrupt
    record, say); `fail_next` makes only the next read fail (a card pulled mid-read).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._on_reader: IdCard | DeviceError | None = None
        self._next_failure: DeviceError | None = None
        self._closed = False
        self.reads = 0

    def place(self, card: IdCard | DeviceError) -> None:
        with self._cond:
            self._on_reader = card
            self._cond.notify_all()

    def remove(self) -> None:
        with self._cond:
            self._on_reader = None

    def fail_next(self, error: DeviceError) -> None:
        with self._cond:
            self._next_failure = error
            self._cond.notify_all()

    def read_card(self, timeout_s: float) -> IdCard:
        with self._cond:
            ready = self._cond.wait_for(
                lambda: self._closed or self._on_reader is not None or self._next_failure is not None, timeout_s
            )
            if self._closed:
                raise DeviceUnavailable("the card reader is closed")
            if not ready:
                raise DeviceTimeout("no card was placed in time")
            self.reads += 1
            failure, self._next_failure = self._next_failure, None
            if isinstance(failure, CardRemoved):
                self._on_reader = None
            if failure is not None:
                raise failure
            item = self._on_reader
            if isinstance(item, IdCard):
                return item
            raise item if item is not None else DeviceTimeout("no card was placed in time")

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
