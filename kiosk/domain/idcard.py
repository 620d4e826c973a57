"""The resident identity card (居民身份证) as the kiosk knows it once a reader has parsed it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Sex(StrEnum):
    """GB/T 2261.1 codes, as the card stores them."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"


class CardKind(StrEnum):
    RESIDENT = "resident"  # 居民身份证
    SOCIAL_SECURITY = "social_security"  # 社会保障卡 (basic data only)


@dataclass(frozen=True, slots=True, repr=False)
class IdCard:
    """A parsed card record. Personal data: never log it, never keep it in clear on disk.

    `valid_to` is None for a card valid for a long term (长期). `rare_chars` lists characters of the
    name or address that are private-use or outside the BMP: kept as read, and flagged so a cadre can check
    them. `photo` is the card's encoded (WLT) photo, kept as bytes.
    """

    name: str
    sex: Sex
    ethnicity: str  # two-digit GB 3304 code, "01" 汉族 … "56" 基诺族; "97" 其他, "98" 外国血统
    birth_date: date
    address: str
    id_number: str
    authority: str
    valid_from: date
    valid_to: date | None
    photo: bytes = b""
    kind: CardKind = CardKind.RESIDENT
    rare_chars: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:  # never print personal data by accident
        return f"IdCard(kind={self.kind.value}, ***)"
