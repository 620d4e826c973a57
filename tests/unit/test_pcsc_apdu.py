"""The PC/SC profile's pure parts: APDU encoding, status words, social security records."""

from __future__ import annotations

from datetime import date

import pytest

from drivers.idcard import apdu as ap
from kiosk.domain.idcard import Sex
from kiosk.domain.sscard import SocialSecurityCard
from kiosk.ports import CardReadError, CardRemoved, CorruptCardRecord, UnsupportedCard

SSC = SocialSecurityCard(
    "A12345678", "41022519560312002X", "王秀英", Sex.FEMALE, "01", date(1956, 3, 12), "410225", date(2021, 5, 1), None
)


def test_commands() -> None:
    assert ap.select_aid(b"\x01\x02") == bytes.fromhex("00A404000201 02".replace(" ", ""))
    assert ap.select_file(0x0101) == bytes.fromhex("00A4020C020101")
    assert ap.read_binary(0x1E0, 0x20) == bytes.fromhex("00B001E020")
    assert ap.read_record(7, 5) == bytes.fromhex("00B2072C00")
    assert ap.read_record(8) == bytes.fromhex("00B2080400")
    with pytest.raises(ValueError, match="out of range"):
        ap.read_binary(0, 0)
    assert ap.SSSE_AID.hex().upper() == "7378312E73682EC9E7BBE1B1A3D5CF"


@pytest.mark.parametrize(
    ("sw", "error"),
    [
        (0x6A82, UnsupportedCard),
        (0x6982, CardReadError),
        (0x6F00, CardRemoved),
        (0x6700, CardReadError),
        (0x6C10, CardReadError),
        (0x6283, ap.StatusError),
    ],
)
def test_status_words(sw: int, error: type[Exception]) -> None:
    ap.check(0x9000, "x")
    with pytest.raises(error):
        ap.check(sw, "x")


def test_a_broken_exchange_is_a_removed_card() -> None:
    with pytest.raises(CardRemoved):
        ap.split(b"\x90")
    assert ap.split(b"ab\x90\x00") == (b"ab", 0x9000)


def test_social_security_round_trip_and_no_validity() -> None:
    values = ap.encode_social_security(SSC)
    assert ap.parse_social_security(ap.SscRecords(values)) == SSC


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ((6, 0x0A), b"7", "sex"),
        ((6, 0x08), b"123", "ssn"),
        ((6, 0x09), b"\xff\xff", "name"),
        ((5, 0x05), b"\x20\x21\x13\x01", "issued"),
        ((5, 0x04), b"\x41\x0a\x25", "region"),
    ],
)
def test_corrupt_social_security_fields(key: tuple[int, int], value: bytes, field: str) -> None:
    values = ap.encode_social_security(SSC)
    values[key] = value
    with pytest.raises(CorruptCardRecord, match=field):
        ap.parse_social_security(ap.SscRecords(values))


def test_records() -> None:
    assert ap.parse_record(b"\x07\x02ab", 7) == b"ab"
    for bad in (b"\x08\x02ab", b"\x07\x05ab", b"\x07"):
        with pytest.raises(CorruptCardRecord):
            ap.parse_record(bad, 7)
    values = ap.encode_social_security(SSC)
    del values[(6, 0x09)]
    with pytest.raises(CorruptCardRecord, match="missing"):
        ap.parse_social_security(ap.SscRecords(values))
