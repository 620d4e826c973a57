"""An ID card reader that tests and the demo put cards on by hand."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import parse_id_card_record
from kiosk.errors import DeviceError
from kiosk.ports import CardRemoved, DeviceTimeout, DeviceUnavailable


@dataclass(frozen=True, slots=True, repr=False)
class RawCardRecord:
    """A card's record as its chip would give it (text block and photo), corrupt or not."""

    text: bytes
    photo: bytes

    def __repr__(self) -> str:  # the bytes are a person's record
        return f"RawCardRecord({len(self.text)}+{len(self.photo)} bytes)"


Presentable = IdCard | RawCardRecord | DeviceError
"""What can be put on the fake reader: a card, a raw record (parsed on read), or an error to raise."""


class FakeCardReader:
    """A queue of cards presented one after another: each read takes the next one.

    A `RawCardRecord` is parsed when it is read, so a corrupt one raises the parser's CorruptCardRecord;
    a `DeviceError` in the queue is raised when its turn comes. `fail_next` makes the next read that finds a
    card fail instead: with CardRemoved (the default) the card is gone, as when a villager pulls it mid-read;
    with any other error the card stays for the retry.
    """

    def __init__(self, cards: Iterable[Presentable] = ()) -> None:
        self._cond = threading.Condition()
        self._queue: deque[Presentable] = deque(cards)
        self._next_failure: DeviceError | None = None
        self._closed = False
        self.reads = 0

    def place(self, card: Presentable) -> None:
        """Present one more card (after any already waiting)."""
        with self._cond:
            self._queue.append(card)
            self._cond.notify_all()

    def remove(self) -> None:
        """Take every waiting card away."""
        with self._cond:
            self._queue.clear()

    def present(self, card: Presentable) -> None:
        """Lay this card on the reader instead of any not read yet (a villager swaps cards; the demo panel)."""
        with self._cond:
            self._queue.clear()
            self._queue.append(card)
            self._cond.notify_all()

    @property
    def on_reader(self) -> Presentable | None:
        """The card the next read takes, if one waits (read cards leave the reader, as a presented card does)."""
        with self._cond:
            return self._queue[0] if self._queue else None

    def fail_next(self, error: DeviceError | None = None) -> None:
        with self._cond:
            self._next_failure = error or CardRemoved("the card left the reader mid-read: remove and re-place it")

    @property
    def waiting(self) -> int:
        """How many cards are still to be read."""
        with self._cond:
            return len(self._queue)

    def read_card(self, timeout_s: float) -> IdCard:
        with self._cond:
            ready = self._cond.wait_for(lambda: self._closed or bool(self._queue), max(timeout_s, 0.0))
            if self._closed:
                raise DeviceUnavailable("the card reader is closed")
            if not ready:
                raise DeviceTimeout("no card was placed in time")
            self.reads += 1
            failure, self._next_failure = self._next_failure, None
            if failure is not None:
                if isinstance(failure, CardRemoved):
                    self._queue.popleft()
                raise failure
            item = self._queue.popleft()
        if isinstance(item, DeviceError):
            raise item
        if isinstance(item, RawCardRecord):
            return parse_id_card_record(item.text, item.photo)
        return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
