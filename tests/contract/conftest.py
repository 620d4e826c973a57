"""Fixtures for the contract tests: each port's fake and real drivers behind one parametrised fixture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from drivers.fake.card import FakeCardReader, RawCardRecord
from drivers.fake.vcard import IdCardApp, VirtualCard
from drivers.idcard.ga467_sim import Ga467Simulator
from drivers.idcard.pcsc import PcscReader
from drivers.idcard.serial_sam import SamTimings, SerialSamReader
from kiosk.domain.idcard import IdCard
from kiosk.ports import CardReader
from tests.integration.conftest import pcscd_stack, vcard
from tests.integration.pcscd import wait_for_card_state

__all__ = ["pcscd_stack", "vcard"]


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


def _pcsc(card: VirtualCard) -> Iterator[CardReaderKit]:
    def insert(app: IdCardApp) -> None:
        remove()
        card.insert(app)
        wait_for_card_state(True)

    def remove() -> None:
        if card.inserted:
            card.remove()
            wait_for_card_state(False)  # as a hand would: the reader sees the card go before the next one

    reader = PcscReader()
    try:
        yield CardReaderKit(
            reader, lambda c: insert(IdCardApp.of(c)), lambda text, photo: insert(IdCardApp(text, photo)), remove
        )
    finally:
        reader.close()


@pytest.fixture(
    params=[
        "fake",
        pytest.param("serial", marks=pytest.mark.integration),
        pytest.param("pcsc", marks=pytest.mark.integration),
    ]
)
def card_kit(request: pytest.FixtureRequest) -> Iterator[CardReaderKit]:
    """Every CardReader driver with a way to present cards: the fake, the GA 467 reader on a pty simulator, and
    the PC/SC reader on a real pcscd with the vpcd virtual reader and our virtual card."""
    if request.param == "fake":
        yield from _fake()
    elif request.param == "serial":
        yield from _serial()
    else:
        yield from _pcsc(request.getfixturevalue("vcard"))
