"""The resident ID card's machine-readable record (256-byte UCS-2LE text + 1024-byte WLT photo) ⇄ IdCard."""

from __future__ import annotations

import unicodedata
from datetime import date

from kiosk.domain.ethnicity import is_ethnicity_code
from kiosk.domain.idcard import CardKind, IdCard, Sex
from kiosk.domain.idnumber import InvalidIdNumber, validate_id_number
from kiosk.errors import DomainError
from kiosk.ports import CorruptCardRecord, UnsupportedCard

TEXT_LENGTH = 256
PHOTO_LENGTH = 1024
LONG_TERM = "长期"  # the valid-to of a card issued for a long term (to people of 46 and over)

# (field, bytes) in the order the card stores them; every field is UCS-2LE text padded with spaces.
LAYOUT: tuple[tuple[str, int], ...] = (
    ("name", 30),
    ("sex", 2),
    ("ethnicity", 4),
    ("birth_date", 16),
    ("address", 70),
    ("id_number", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)


def _offsets() -> dict[str, tuple[int, int]]:
    at, spans = 0, {}
    for name, size in LAYOUT:
        spans[name] = (at, at + size)
        at += size
    return spans


OFFSETS = _offsets()
_YEARS = range(1900, 2200)  # wider than any card or holder; outside it a date is taken as garbage

# Byte 248 (in the reserved area of a resident card) flags the other cards the same readers read.
_TYPE_FLAG_AT = 248
_OTHER_CARDS = {
    "I": "a foreigner's permanent residence card",
    "Y": "a foreigner's permanent residence card (2023)",
    "J": "a Hong Kong, Macao or Taiwan resident's residence permit",
}
_PADDING = " \x00"  # cards pad with spaces; some readers hand over NULs instead
_PRIVATE_USE = range(0xE000, 0xF900)


class CardRecordTooLong(DomainError):
    """A value does not fit its field of the card record (encoding only: a card cannot hold it)."""


def _corrupt(field: str, reason: str) -> CorruptCardRecord:
    # The field's name only: the message goes to logs, the value is personal data.
    return CorruptCardRecord(f"{field}: {reason}")


def rare_characters(*texts: str) -> tuple[str, ...]:
    """Private-use code points and characters outside the BMP, each once, in order of appearance.

    Cards carry rare name characters (outside GB 18030's common set) either as private-use code points of
    the issuing system or as supplementary-plane characters: both are kept and flagged for a cadre to check.
    """
    seen: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if ord(ch) > 0xFFFF or ord(ch) in _PRIVATE_USE:
                seen.setdefault(ch)
    return tuple(seen)


# --- parsing -------------------------------------------------------------------------------------


def _field(text: bytes, field: str) -> str:
    start, end = OFFSETS[field]
    try:
        value = text[start:end].decode("utf-16-le")
    except UnicodeDecodeError:
        raise _corrupt(field, "is not valid UTF-16") from None
    value = value.rstrip(_PADDING)
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise _corrupt(field, "holds a control character")
    return value


def _required(text: bytes, field: str) -> str:
    value = _field(text, field)
    if not value:
        raise _corrupt(field, "is empty")
    return value


def _date(text: bytes, field: str) -> date:
    value = _field(text, field)
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise _corrupt(field, "is not a YYYYMMDD date")
    try:
        parsed = date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _corrupt(field, "is an impossible date") from None
    if parsed.year not in _YEARS:
        raise _corrupt(field, "is an impossible date")
    return parsed


def _valid_to(text: bytes) -> date | None:
    return None if _field(text, "valid_to") == LONG_TERM else _date(text, "valid_to")


def _sex(text: bytes) -> Sex:
    try:
        return Sex(_field(text, "sex"))
    except ValueError:
        raise _corrupt("sex", "is not a GB/T 2261.1 code") from None


def _ethnicity(text: bytes) -> str:
    code = _field(text, "ethnicity")
    if not is_ethnicity_code(code):
        raise _corrupt("ethnicity", "is not a GB 3304 code")
    return code


def _id_number(text: bytes, birth: date) -> str:
    try:
        number, encoded_birth = validate_id_number(_required(text, "id_number"))
    except InvalidIdNumber as exc:
        raise _corrupt("id_number", str(exc)) from None
    if encoded_birth != birth:
        raise _corrupt("birth_date", "disagrees with the ID number")
    return number


def _check_card_type(text: bytes) -> None:
    flag = text[_TYPE_FLAG_AT : _TYPE_FLAG_AT + 2].decode("utf-16-le", errors="replace")
    if flag in _OTHER_CARDS:
        raise UnsupportedCard(f"the card is {_OTHER_CARDS[flag]}, not a resident ID card")


def parse_id_card_record(text: bytes, photo: bytes) -> IdCard:
    """Parse a card's text block and photo; CorruptCardRecord names the first bad field, never its value.

    UnsupportedCard if the block is flagged as another card the same readers read (residence permits).
    """
    if len(text) != TEXT_LENGTH:
        raise _corrupt("text", f"is {len(text)} bytes, not {TEXT_LENGTH}")
    if len(photo) != PHOTO_LENGTH:
        raise _corrupt("photo", f"is {len(photo)} bytes, not {PHOTO_LENGTH}")
    _check_card_type(text)
    name = _required(text, "name")
    address = _required(text, "address")
    birth = _date(text, "birth_date")
    valid_from = _date(text, "valid_from")
    valid_to = _valid_to(text)
    if valid_to is not None and valid_to <= valid_from:
        raise _corrupt("valid_to", "is not after valid_from")
    return IdCard(
        name=name,
        sex=_sex(text),
        ethnicity=_ethnicity(text),
        birth_date=birth,
        address=address,
        id_number=_id_number(text, birth),
        authority=_required(text, "authority"),
        valid_from=valid_from,
        valid_to=valid_to,
        photo=bytes(photo),
        kind=CardKind.RESIDENT,
        rare_chars=rare_characters(name, address),
    )


# --- encoding (simulators, virtual cards, the demo) ------------------------------------------------


def _put(out: bytearray, field: str, value: str) -> None:
    start, end = OFFSETS[field]
    raw = value.encode("utf-16-le", errors="strict")
    if len(raw) > end - start:
        raise CardRecordTooLong(f"{field}: needs {len(raw)} bytes, the field has {end - start}")
    out[start : start + len(raw)] = raw


def _yyyymmdd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def encode_id_card_record(card: IdCard) -> tuple[bytes, bytes]:
    """The text block and photo a card holding `card` would give; the inverse of `parse_id_card_record`."""
    if len(card.photo) != PHOTO_LENGTH:
        raise CardRecordTooLong(f"photo: is {len(card.photo)} bytes, a card holds {PHOTO_LENGTH}")
    out = bytearray(" ".encode("utf-16-le") * (TEXT_LENGTH // 2))
    _put(out, "name", card.name)
    _put(out, "sex", card.sex.value)
    _put(out, "ethnicity", card.ethnicity)
    _put(out, "birth_date", _yyyymmdd(card.birth_date))
    _put(out, "address", card.address)
    _put(out, "id_number", card.id_number)
    _put(out, "authority", card.authority)
    _put(out, "valid_from", _yyyymmdd(card.valid_from))
    _put(out, "valid_to", LONG_TERM if card.valid_to is None else _yyyymmdd(card.valid_to))
    return bytes(out), bytes(card.photo)
