"""The ID card record: round trips, rare characters, and one test per kind of corruption."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.ethnicity import ETHNICITIES, UnknownEthnicityCode, ethnicity_name
from kiosk.domain.idcard import IdCard, Sex
from kiosk.domain.idcard_record import (
    LAYOUT,
    OFFSETS,
    PHOTO_LENGTH,
    TEXT_LENGTH,
    CardRecordTooLong,
    encode_id_card_record,
    parse_id_card_record,
    rare_characters,
)
from kiosk.ports import CorruptCardRecord, UnsupportedCard
from tests.helpers import id_number, make_card

PUA_CHAR = "\ue0a5"  # a private-use code point as the issuing system writes a rare name character
EXT_B_CHAR = "\U00020001"  # a CJK Extension B character: a surrogate pair in UTF-16


def _set(text: bytes, field: str, value: str | bytes) -> bytes:
    """The record with `field` replaced by `value` (text is encoded and space-padded; bytes go in raw)."""
    start, end = OFFSETS[field]
    raw = value.encode("utf-16-le") if isinstance(value, str) else value
    raw = raw + " ".encode("utf-16-le") * ((end - start - len(raw)) // 2)
    assert len(raw) == end - start
    return text[:start] + raw + text[end:]


def _record(card: IdCard | None = None) -> tuple[bytes, bytes]:
    return encode_id_card_record(card or make_card())


# --- layout and round trips ------------------------------------------------------------------------


def test_the_layout_fills_the_256_bytes() -> None:
    assert sum(size for _name, size in LAYOUT) == TEXT_LENGTH
    assert OFFSETS["id_number"] == (122, 158)
    assert OFFSETS["valid_to"] == (204, 220)


def test_a_card_survives_encoding_and_parsing() -> None:
    card = make_card()
    text, photo = encode_id_card_record(card)
    assert (len(text), len(photo)) == (TEXT_LENGTH, PHOTO_LENGTH)
    assert parse_id_card_record(text, photo) == card


def test_fields_are_space_padded_and_stripped() -> None:
    text, photo = _record()
    name_start, name_end = OFFSETS["name"]
    assert text[name_start:name_end] == "张秀兰".encode("utf-16-le") + " ".encode("utf-16-le") * 12
    assert parse_id_card_record(text, photo).name == "张秀兰"


def test_nul_padding_is_stripped_too() -> None:
    text, photo = _record()
    nul_padded = _set(text, "name", "张秀兰".encode("utf-16-le") + b"\0" * 24)
    assert parse_id_card_record(nul_padded, photo).name == "张秀兰"


def test_a_long_term_card_has_no_valid_to() -> None:
    card = make_card(valid_to=None)
    text, photo = encode_id_card_record(card)
    assert text[OFFSETS["valid_to"][0] :].startswith("长期".encode("utf-16-le"))
    assert parse_id_card_record(text, photo).valid_to is None


def test_a_dated_card_keeps_its_valid_to() -> None:
    card = make_card(valid_from=date(2018, 5, 1), valid_to=date(2038, 5, 1))
    assert parse_id_card_record(*encode_id_card_record(card)).valid_to == date(2038, 5, 1)


@pytest.mark.parametrize("rare", [PUA_CHAR, EXT_B_CHAR])
def test_a_rare_name_character_is_kept_and_flagged(rare: str) -> None:
    card = make_card(name=f"王{rare}生")
    parsed = parse_id_card_record(*encode_id_card_record(card))
    assert parsed.name == f"王{rare}生"
    assert parsed.rare_chars == (rare,)


def test_rare_characters_of_name_and_address_are_listed_once_in_order() -> None:
    assert rare_characters(f"王{EXT_B_CHAR}{PUA_CHAR}", f"{PUA_CHAR}村") == (EXT_B_CHAR, PUA_CHAR)
    assert rare_characters("张秀兰", "河南省兰考县") == ()


def test_the_photo_is_kept_as_bytes() -> None:
    text, photo = _record()
    assert parse_id_card_record(text, photo).photo == photo


# Made-up people only: names from common characters and the two kinds of rare ones, ID numbers computed.
_COMMON = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_RARE = st.sampled_from([PUA_CHAR, "\ue816", "\uf8ff", EXT_B_CHAR, "\U0002a6d6", "\U00020bb7"])
_NAME_CHAR = st.one_of(_COMMON, _COMMON, _RARE, st.just("·"))


def _fits(units: int) -> st.SearchStrategy[str]:
    return (
        st.lists(_NAME_CHAR, min_size=1, max_size=units)
        .map("".join)
        .filter(lambda s: len(s.encode("utf-16-le")) <= units * 2)
    )


@st.composite
def cards(draw: st.DrawFn) -> IdCard:
    name = draw(_fits(15))
    address = draw(_fits(35))
    birth = draw(st.dates(date(1900, 1, 1), date(2024, 12, 31)))
    region = draw(st.sampled_from(["410225", "410201", "110101", "650102"]))
    valid_from = draw(st.dates(date(2004, 1, 1), date(2040, 12, 31)))
    lasts = draw(st.one_of(st.none(), st.integers(1, 365 * 30)))
    return IdCard(
        name=name,
        sex=draw(st.sampled_from(list(Sex))),
        ethnicity=draw(st.sampled_from(sorted(ETHNICITIES))),
        birth_date=birth,
        address=address,
        id_number=id_number(region, birth, f"{draw(st.integers(0, 999)):03d}"),
        authority=draw(st.lists(_COMMON, min_size=1, max_size=15).map("".join)),
        valid_from=valid_from,
        valid_to=None if lasts is None else valid_from + timedelta(days=lasts),
        photo=draw(st.binary(min_size=PHOTO_LENGTH, max_size=PHOTO_LENGTH)),
        rare_chars=rare_characters(name, address),
    )


@given(cards())
def test_any_card_round_trips(card: IdCard) -> None:
    assert parse_id_card_record(*encode_id_card_record(card)) == card


@given(card=cards(), at=st.integers(0, TEXT_LENGTH - 1), byte=st.integers(0, 255))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_a_changed_byte_gives_a_card_or_a_clear_error(card: IdCard, at: int, byte: int) -> None:
    text, photo = encode_id_card_record(card)
    mangled = text[:at] + bytes([byte]) + text[at + 1 :]
    try:
        parsed = parse_id_card_record(mangled, photo)
    except (CorruptCardRecord, UnsupportedCard):
        return
    assert isinstance(parsed, IdCard)


@given(st.binary(min_size=TEXT_LENGTH, max_size=TEXT_LENGTH))
def test_random_bytes_never_crash_the_parser(text: bytes) -> None:
    with pytest.raises((CorruptCardRecord, UnsupportedCard)):
        parse_id_card_record(text, bytes(PHOTO_LENGTH))


# --- one test per corruption ------------------------------------------------------------------------


def _refused(text: bytes, photo: bytes, field: str) -> CorruptCardRecord:
    with pytest.raises(CorruptCardRecord, match=f"^{field}: ") as caught:
        parse_id_card_record(text, photo)
    return caught.value


@pytest.mark.parametrize("size", [0, 255, 257, 512])
def test_a_text_block_of_the_wrong_length(size: int) -> None:
    text, photo = _record()
    _refused((text * 2)[:size], photo, "text")


@pytest.mark.parametrize("size", [0, 1023, 1025])
def test_a_photo_of_the_wrong_length(size: int) -> None:
    text, photo = _record()
    _refused(text, (photo * 2)[:size], "photo")


def test_a_lone_surrogate_is_undecodable() -> None:
    text, photo = _record()
    _refused(_set(text, "name", "张".encode("utf-16-le") + b"\x01\xd8"), photo, "name")


def test_a_surrogate_pair_cut_by_the_field_end_is_undecodable() -> None:
    text, photo = _record()
    cut = ("张" * 14).encode("utf-16-le") + EXT_B_CHAR.encode("utf-16-le")[:2]
    _refused(_set(text, "name", cut), photo, "name")


def test_a_control_character_is_refused() -> None:
    text, photo = _record()
    _refused(_set(text, "address", "河南省\x00兰考县"), photo, "address")


@pytest.mark.parametrize("field", ["name", "address", "authority", "id_number"])
def test_an_empty_field_is_refused(field: str) -> None:
    text, photo = _record()
    _refused(_set(text, field, ""), photo, field)


@pytest.mark.parametrize("code", ["3", "8", "男", "", "A"])
def test_an_unknown_sex_code(code: str) -> None:
    text, photo = _record()
    _refused(_set(text, "sex", code), photo, "sex")


@pytest.mark.parametrize("code", ["00", "57", "96", "99", "1", "汉", "  "])
def test_an_unknown_ethnicity_code(code: str) -> None:
    text, photo = _record()
    _refused(_set(text, "ethnicity", code), photo, "ethnicity")


def test_a_bad_check_digit() -> None:
    text, photo = _record()
    number = make_card().id_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    _refused(_set(text, "id_number", wrong), photo, "id_number")


@pytest.mark.parametrize("field", ["birth_date", "valid_from", "valid_to"])
@pytest.mark.parametrize("value", ["20230230", "20231301", "18991231", "2023011", "2023O101", "２０２３０１０１"])
def test_an_impossible_date(field: str, value: str) -> None:
    text, photo = _record(make_card(valid_to=date(2038, 5, 1)))
    _refused(_set(text, field, value), photo, field)


def test_a_birth_date_that_disagrees_with_the_id_number() -> None:
    text, photo = _record(make_card(birth=date(1958, 3, 12)))
    _refused(_set(text, "birth_date", "19580313"), photo, "birth_date")


@pytest.mark.parametrize("valid_to", ["20180430", "20180501"])
def test_valid_to_not_after_valid_from(valid_to: str) -> None:
    text, photo = _record(make_card(valid_from=date(2018, 5, 1), valid_to=date(2038, 5, 1)))
    _refused(_set(text, "valid_to", valid_to), photo, "valid_to")


def test_the_error_names_the_field_but_never_the_value() -> None:
    card = make_card()
    text, photo = encode_id_card_record(card)
    error = _refused(_set(text, "birth_date", "19580313"), photo, "birth_date")
    for value in (card.name, card.id_number, card.address, "19580313", "1958"):
        assert value not in str(error)


@pytest.mark.parametrize("flag", ["J", "I", "Y"])
def test_a_residence_permit_is_an_unsupported_card(flag: str) -> None:
    text, photo = _record()
    flagged = text[:248] + flag.encode("utf-16-le") + text[250:]
    with pytest.raises(UnsupportedCard):
        parse_id_card_record(flagged, photo)


# --- encoding refusals and the code table -----------------------------------------------------------


def test_a_name_longer_than_its_field_cannot_be_encoded() -> None:
    with pytest.raises(CardRecordTooLong, match=r"^name: "):
        encode_id_card_record(make_card(name="张" * 16))


def test_a_card_without_a_full_photo_cannot_be_encoded() -> None:
    card = make_card()
    with pytest.raises(CardRecordTooLong, match=r"^photo: "):
        encode_id_card_record(dataclasses.replace(card, photo=b""))


def test_the_ethnicity_table_has_the_56_groups_and_the_two_other_codes() -> None:
    assert [code for code in ETHNICITIES if code < "57"] == [f"{n:02d}" for n in range(1, 57)]
    assert set(ETHNICITIES) - {f"{n:02d}" for n in range(1, 57)} == {"97", "98"}
    assert len(set(ETHNICITIES.values())) == len(ETHNICITIES)
    assert (ethnicity_name("01"), ethnicity_name("03"), ethnicity_name("56")) == ("汉族", "回族", "基诺族")


def test_an_unknown_ethnicity_code_has_no_name() -> None:
    with pytest.raises(UnknownEthnicityCode):
        ethnicity_name("57")
