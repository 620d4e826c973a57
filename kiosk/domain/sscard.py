"""The basic data of a social security card (社保卡) that can be read without its PIN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.domain.idcard import Sex


@dataclass(frozen=True, slots=True, repr=False)
class SocialSecurityCard:
    """What the card shows without a PIN. Personal data: never log it, never keep it in clear on disk.

    `ssn` is the 社会保障号码, which for residents is the ID number; `region` the six-digit administrative code
    of the issuing area; `valid_until` None when the card does not say.
    """

    card_number: str
    ssn: str
    name: str
    sex: Sex
    ethnicity: str
    birth_date: date
    region: str
    issued: date
    valid_until: date | None

    def __repr__(self) -> str:
        return "SocialSecurityCard(***)"
