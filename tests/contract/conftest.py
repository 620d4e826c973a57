"""Fixtures for the contract tests: each port's fake and real drivers behind one parametrised fixture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from drivers.fake.card import FakeCardReader, RawCardRecord
from drivers.idcard.ga467_sim import Ga467Simulator
from drivers.idcard.serial_sam import SamTimings, SerialSamReader
from kiosk.domain.idcard import IdCard
from kiosk.ports import CardReader


@dataclass(frozen=True)
class CardReaderKit:
    """A card reader and the hands that put cards on it (a raw record is a (text, photo) pair)."""

    reader: CardReader
    place: Callable[[IdCard], None]
    place_raw: Callable[[bytes, bytes], None]
    remove: Callable[[], None]


def _fake() -> Iterator[CardReaderKit]:
    reader = FakeCardReader()
    yield CardReaderKit(
        reader, reader.place, lambda text, photo: reader.place(RawCardRecord(text, photo)), reader.remove
    )
    reader.close()


def _serial() -> Iterator[CardReaderKit]:
    with Ga467Simulator() as sim:
        timings = SamTimings(answer_timeout_s=1.0, read_timeout_s=2.0, poll_interval_s=0.02)
        reader = SerialSamReader(sim.port, timings=timings)
        try:
            yield CardReaderKit(reader, sim.place, lambda text, photo: sim.place((text, photo)), sim.remove)
        finally:
            reader.close()


_CARD_READERS: dict[str, Callable[[], Iterator[CardReaderKit]]] = {"fake": _fake, "serial": _serial}


@pytest.fixture(params=["fake", pytest.param("serial", marks=pytest.mark.integration)])
def card_kit(request: pytest.FixtureRequest) -> Iterator[CardReaderKit]:
    """Every CardReader driver with a way to present cards: the fake, and the GA 467 reader on a pty simulator."""
    yield from _CARD_READERS[request.param]()
