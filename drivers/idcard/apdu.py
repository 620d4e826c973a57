"""The APDUs the PC/SC reader speaks, pure: building commands, reading status words, the two card profiles.

Written down in docs/idcard.md ("PC/SC"). Two profiles:

- **ID card** through a reader with an embedded SAM that exposes the decrypted base information on its
  transparent channel: SELECT the application `ID_AID` by name, SELECT EF `0101` (the 256-byte text) and EF
  `0102` (the 1024-byte photo) by file id, READ BINARY each in slices of `SLICE` bytes.
- **Social security card** (社保卡): SELECT the `SSSE` application by name, READ RECORD of EF05 by its short file
  id (card number, issue date, validity, region) and of EF06 after selecting it (ID number, name, sex,
  ethnicity, birth date). Each record comes back as `tag (= record number) ‖ length ‖ value`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.domain.idcard import Sex
from kiosk.domain.sscard import SocialSecurityCard
from kiosk.errors import DeviceError
from kiosk.ports import CardReadError, CardRemoved, CorruptCardRecord, UnsupportedCard

# The ID-card profile of the kiosk's reader: a proprietary AID under China's registered RID prefix D156.
ID_AID = bytes.fromhex("D156000001") + b"LXTID"
EF_TEXT = 0x0101
EF_PHOTO = 0x0102
TEXT_LEN = 256
PHOTO_LEN = 1024
SLICE = 0xE0  # short APDUs; 224 keeps every answer (plus SW) well inside one 256-byte exchange

# 社保卡: "sx1.sh." followed by 社会保障 in GBK, as the MOHRSS card specification names the application.
SSSE_AID = b"sx1.sh." + "社会保障".encode("gbk")
EF05_SFI = 5
EF06 = 0xEF06


class StatusError(DeviceError):
    """A status word that is neither success nor one we map; carries it for diagnostics."""


def select_aid(aid: bytes) -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(aid)]) + aid


def select_file(fid: int) -> bytes:
    return bytes([0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF])


def read_binary(offset: int, length: int) -> bytes:
    if not 0 <= offset <= 0x7FFF or not 1 <= length <= 0xFF:
        raise ValueError("READ BINARY offset or length out of range")
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, length])


def read_record(record: int, sfi: int | None = None) -> bytes:
    """READ RECORD `record` of the file with short id `sfi`, or of the current file."""
    p2 = 0x04 if sfi is None else (sfi << 3) | 0x04
    return bytes([0x00, 0xB2, record, p2, 0x00])


def split(response: bytes) -> tuple[bytes, int]:
    """(data, status word) of an R-APDU."""
    if len(response) < 2:
        # No card answers without a status word: the exchange broke off, most often the card being pulled.
        raise CardRemoved("the card stopped answering; place it again")
    return response[:-2], (response[-2] << 8) | response[-1]


def check(sw: int, what: str) -> None:
    """Raise the DeviceError a status word means; return for success (9000)."""
    if sw == 0x9000:
        return
    if sw in (0x6A82, 0x6A81, 0x6A86, 0x6D00, 0x6E00):
        raise UnsupportedCard(f"{what}: the card does not offer it (SW {sw:04X})")
    if sw in (0x6982, 0x6985, 0x6983):
        raise CardReadError(f"{what}: not permitted (SW {sw:04X}); the reader's SAM may not be authorised")
    if sw in (0x6581, 0x6F00, 0x6400):
        raise CardRemoved(f"{what}: the card failed (SW {sw:04X}); remove the card and place it again")
    if sw in (0x6700, 0x6B00) or sw >> 8 == 0x6C:
        raise CardReadError(f"{what}: the card refused the length or offset (SW {sw:04X})")
    raise StatusError(f"{what}: unexpected status {sw:04X}")


# --- social security card records ----------------------------------------------------------------------


def parse_record(data: bytes, record: int) -> bytes:
    """The value of a `tag ‖ length ‖ value` record whose tag is its record number."""
    if len(data) < 2 or data[0] != record or data[1] > len(data) - 2:
        raise CorruptCardRecord(f"social security record {record:02X}: not a record of that number")
    return data[2 : 2 + data[1]]


def _bcd(value: bytes, field: str) -> str:
    digits = value.hex()
    if not digits.isdigit():
        raise CorruptCardRecord(f"social security {field}: not decimal digits")
    return digits


def _bcd_date(value: bytes, field: str) -> date:
    digits = _bcd(value, field)
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise CorruptCardRecord(f"social security {field}: not a date") from exc


def _text(value: bytes, field: str, encoding: str) -> str:
    try:
        return value.decode(encoding).rstrip("\x00 ").strip()
    except UnicodeDecodeError as exc:
        raise CorruptCardRecord(f"social security {field}: not {encoding} text") from exc


@dataclass(frozen=True, slots=True)
class SscRecords:
    """The raw values of the records the reader takes, by (file, record number)."""

    values: dict[tuple[int, int], bytes]

    def get(self, file: int, record: int) -> bytes:
        try:
            return self.values[(file, record)]
        except KeyError:
            raise CorruptCardRecord(f"social security record {file:02X}/{record:02X} is missing") from None


# (file, record) → what it holds; EF05 is read by short file id, EF06 after selecting it.
SSC_RECORDS: dict[tuple[int, int], str] = {
    (5, 0x04): "region",
    (5, 0x05): "issued",
    (5, 0x06): "valid_until",
    (5, 0x07): "card_number",
    (6, 0x08): "ssn",
    (6, 0x09): "name",
    (6, 0x0A): "sex",
    (6, 0x0B): "ethnicity",
    (6, 0x0D): "birth_date",
}


def parse_social_security(records: SscRecords) -> SocialSecurityCard:
    sex_text = _text(records.get(6, 0x0A), "sex", "ascii")
    try:
        sex = Sex(sex_text)
    except ValueError:
        raise CorruptCardRecord("social security sex: not a GB/T 2261.1 code") from None
    valid = records.get(5, 0x06)
    ssn = _text(records.get(6, 0x08), "ssn", "ascii")
    if len(ssn) != 18 or not (ssn[:17].isdigit() and (ssn[17].isdigit() or ssn[17] == "X")):
        raise CorruptCardRecord("social security ssn: not 18 characters of an ID number")
    name = _text(records.get(6, 0x09), "name", "gbk")
    if not name:
        raise CorruptCardRecord("social security name: empty")
    return SocialSecurityCard(
        card_number=_text(records.get(5, 0x07), "card_number", "ascii"),
        ssn=ssn,
        name=name,
        sex=sex,
        ethnicity=_bcd(records.get(6, 0x0B), "ethnicity")[-2:],
        birth_date=_bcd_date(records.get(6, 0x0D), "birth_date"),
        region=_bcd(records.get(5, 0x04), "region"),
        issued=_bcd_date(records.get(5, 0x05), "issued"),
        valid_until=None if valid == b"\x00" * len(valid) else _bcd_date(valid, "valid_until"),
    )


def encode_social_security(card: SocialSecurityCard) -> dict[tuple[int, int], bytes]:
    """The record values a card holding `card` answers with (the virtual card and tests use it)."""

    def bcd(digits: str) -> bytes:
        return bytes.fromhex(digits)

    return {
        (5, 0x04): bcd(card.region),
        (5, 0x05): bcd(card.issued.strftime("%Y%m%d")),
        (5, 0x06): b"\x00" * 4 if card.valid_until is None else bcd(card.valid_until.strftime("%Y%m%d")),
        (5, 0x07): card.card_number.encode("ascii"),
        (6, 0x08): card.ssn.encode("ascii"),
        (6, 0x09): card.name.encode("gbk"),
        (6, 0x0A): card.sex.value.encode("ascii"),
        (6, 0x0B): bcd(card.ethnicity),
        (6, 0x0D): bcd(card.birth_date.strftime("%Y%m%d")),
    }
