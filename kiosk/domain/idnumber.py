"""Resident ID numbers (GB 11643-1999): check digit, birth date and region, with python-stdnum.

Why not `stdnum.cn.ric.validate` alone: it also requires the region code to have existed in the holder's
birth year. Numbers were assigned from 1985 with the codes of that time, so it refuses real people — every
villager of 兰考县 (410225, a code from 1983) born before 1983. We check that the region code is known at
all, not its era.
"""

from __future__ import annotations

from datetime import date

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from kiosk.errors import DomainError


class InvalidIdNumber(DomainError):
    """Not a valid resident ID number; the message says which part, never the number."""


def validate_id_number(number: str) -> tuple[str, date]:
    """The normalised number and the birth date it encodes."""
    compact = ric.compact(number)
    if len(compact) != 18 or not compact[:-1].isdigit():
        raise InvalidIdNumber("an ID number has 17 digits and a check character")
    if compact[-1] != ric.calc_check_digit(compact):
        raise InvalidIdNumber("the ID number's check digit is wrong")
    try:
        birth = ric.get_birth_date(compact)
    except ValidationError as exc:
        raise InvalidIdNumber("the ID number holds an impossible birth date") from exc
    if not any(props for _part, props in numdb.get("cn/loc").info(compact[:6])):
        raise InvalidIdNumber("the ID number's region code is unknown")
    return compact, birth
