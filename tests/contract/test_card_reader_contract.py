"""The CardReader contract: the fake reader and the GA 467 serial reader (on its pty simulator) behave alike."""

from __future__ import annotations

import threading
import time

import pytest

from drivers.fake.people import DEMO_VILLAGERS
from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import encode_id_card_record
from kiosk.ports import CorruptCardRecord, DeviceTimeout, DeviceUnavailable
from tests.contract.conftest import CardReaderKit


@pytest.mark.parametrize("card", DEMO_VILLAGERS, ids=lambda c: c.id_number[6:10])
def test_a_placed_card_is_read_as_placed(card_kit: CardReaderKit, card: IdCard) -> None:
    card_kit.place(card)
    assert card_kit.reader.read_card(5) == card


def test_no_card_is_a_timeout_after_the_whole_wait(card_kit: CardReaderKit) -> None:
    started = time.monotonic()
    with pytest.raises(DeviceTimeout):
        card_kit.reader.read_card(0.2)
    assert time.monotonic() - started >= 0.2


def test_a_removed_card_is_not_read(card_kit: CardReaderKit) -> None:
    card_kit.place(DEMO_VILLAGERS[0])
    card_kit.remove()
    with pytest.raises(DeviceTimeout):
        card_kit.reader.read_card(0.2)


def test_a_card_placed_during_the_wait_is_read(card_kit: CardReaderKit) -> None:
    placer = threading.Timer(0.1, card_kit.place, args=(DEMO_VILLAGERS[1],))
    placer.start()
    try:
        assert card_kit.reader.read_card(10) == DEMO_VILLAGERS[1]
    finally:
        placer.join()


@pytest.mark.parametrize("damage", ["short text", "bad sex code", "impossible date", "short photo"])
def test_a_corrupt_record_is_a_corrupt_card_record(card_kit: CardReaderKit, damage: str) -> None:
    text, photo = encode_id_card_record(DEMO_VILLAGERS[0])
    if damage == "short text":
        text = text[:-2]
    elif damage == "bad sex code":
        text = text[:30] + "7".encode("utf-16-le") + text[32:]
    elif damage == "impossible date":
        text = text[:36] + "19560230".encode("utf-16-le") + text[52:]
    else:
        photo = photo[:-1]
    card_kit.place_raw(text, photo)
    with pytest.raises(CorruptCardRecord):
        card_kit.reader.read_card(5)


def test_close_is_idempotent_and_later_reads_are_unavailable(card_kit: CardReaderKit) -> None:
    card_kit.reader.close()
    card_kit.reader.close()
    card_kit.place(DEMO_VILLAGERS[0])
    with pytest.raises(DeviceUnavailable):
        card_kit.reader.read_card(1)


def test_close_wakes_a_waiting_read(card_kit: CardReaderKit) -> None:
    closer = threading.Timer(0.1, card_kit.reader.close)
    closer.start()
    try:
        with pytest.raises(DeviceUnavailable):
            card_kit.reader.read_card(30)
    finally:
        closer.join()
