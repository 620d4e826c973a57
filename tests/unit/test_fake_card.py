"""What only the fake card reader does (the shared behaviour is in the card reader contract test)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from drivers.fake.card import FakeCardReader, RawCardRecord
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.domain.idcard_record import encode_id_card_record, parse_id_card_record
from kiosk.domain.idnumber import validate_id_number
from kiosk.ports import CardReadError, CardRemoved, CorruptCardRecord, DeviceTimeout, DeviceUnavailable


def test_cards_are_read_in_the_order_they_were_placed() -> None:
    first, second = DEMO_VILLAGERS[:2]
    reader = FakeCardReader([first])
    reader.place(second)
    assert reader.read_card(1) == first
    assert reader.read_card(1) == second
    assert reader.waiting == 0
    with pytest.raises(DeviceTimeout):
        reader.read_card(0)


def test_a_raw_record_is_parsed_when_read() -> None:
    card = DEMO_VILLAGERS[0]
    text, photo = encode_id_card_record(card)
    reader = FakeCardReader([RawCardRecord(text, photo), RawCardRecord(text[:-2], photo)])
    assert reader.read_card(1) == card
    with pytest.raises(CorruptCardRecord, match=r"^text: "):
        reader.read_card(1)


def test_a_raw_record_shows_no_content_in_its_repr() -> None:
    text, photo = encode_id_card_record(DEMO_VILLAGERS[0])
    assert repr(RawCardRecord(text, photo)) == "RawCardRecord(256+1024 bytes)"


def test_a_pulled_card_fails_the_read_and_is_gone() -> None:
    reader = FakeCardReader([DEMO_VILLAGERS[0]])
    reader.fail_next()
    with pytest.raises(CardRemoved):
        reader.read_card(1)
    with pytest.raises(DeviceTimeout):
        reader.read_card(0)
    reader.place(DEMO_VILLAGERS[0])
    assert reader.read_card(1) == DEMO_VILLAGERS[0]


def test_another_failure_leaves_the_card_for_the_retry() -> None:
    reader = FakeCardReader([DEMO_VILLAGERS[1]])
    reader.fail_next(CardReadError("the SAM refused"))
    with pytest.raises(CardReadError):
        reader.read_card(1)
    assert reader.read_card(1) == DEMO_VILLAGERS[1]
    assert reader.reads == 2


def test_an_error_in_the_queue_is_raised_in_its_turn() -> None:
    reader = FakeCardReader([CardReadError("authentication failed"), DEMO_VILLAGERS[0]])
    with pytest.raises(CardReadError):
        reader.read_card(1)
    assert reader.read_card(1) == DEMO_VILLAGERS[0]


def test_remove_takes_every_waiting_card_away() -> None:
    reader = FakeCardReader(DEMO_VILLAGERS)
    reader.remove()
    with pytest.raises(DeviceTimeout):
        reader.read_card(0)


def test_a_card_placed_while_waiting_is_read() -> None:
    reader = FakeCardReader()
    placer = threading.Timer(0.05, reader.place, args=(DEMO_VILLAGERS[3],))
    placer.start()
    try:
        assert reader.read_card(30) == DEMO_VILLAGERS[3]
    finally:
        placer.join()


def test_close_wakes_a_waiting_read() -> None:
    reader = FakeCardReader()
    closer = threading.Timer(0.05, reader.close)
    closer.start()
    with pytest.raises(DeviceUnavailable):
        reader.read_card(30)
    closer.join()


def test_the_demo_villagers_are_valid_cards() -> None:
    for card in DEMO_VILLAGERS:
        assert validate_id_number(card.id_number) == (card.id_number, card.birth_date)
        assert int(card.id_number[16]) % 2 == (1 if card.sex.value == "1" else 0)
        assert parse_id_card_record(*encode_id_card_record(card)) == card


def test_the_demo_villagers_show_what_the_demo_needs() -> None:
    today = date(2025, 6, 1)
    assert any(card.valid_to is None for card in DEMO_VILLAGERS)
    assert any("\ue0a5" in card.rare_chars for card in DEMO_VILLAGERS)
    assert any(any(ord(ch) > 0xFFFF for ch in card.rare_chars) for card in DEMO_VILLAGERS)
    assert any(card.ethnicity != "01" for card in DEMO_VILLAGERS)
    minor = DEMO_VILLAGERS[-1]
    assert (today - minor.birth_date).days < 18 * 365
