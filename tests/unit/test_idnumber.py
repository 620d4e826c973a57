"""Resident ID numbers: what is refused, and the elderly villagers stdnum alone would refuse."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from kiosk.domain.idnumber import InvalidIdNumber, validate_id_number
from tests.helpers import id_number


def test_a_lankao_villager_born_before_the_county_code_is_valid() -> None:
    number = id_number("410225", date(1941, 2, 9), "051")
    assert not ric.is_valid(number)  # the trap: stdnum wants 410225 to have existed in 1941
    assert validate_id_number(number) == (number, date(1941, 2, 9))


def test_lower_case_x_is_normalised() -> None:
    for serial in (str(n).zfill(3) for n in range(200)):
        number = id_number("410225", date(1990, 1, 1), serial)
        if number.endswith("X"):
            assert validate_id_number(number.lower())[0] == number
            return
    pytest.fail("no number with an X check digit in the first 200 serials")


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("41022519580312302", "17 digits"),
        ("4102251958031230XX", "17 digits"),
        ("410225195803123020", "check digit"),
        ("410225195802303027", "birth date"),
        ("990225195803123027", "region"),
    ],
)
def test_refused(number: str, why: str) -> None:
    if why in ("birth date", "region"):  # give these a right check digit so only the named part is wrong
        number = number[:-1] + ric.calc_check_digit(number)
    with pytest.raises(InvalidIdNumber, match=why):
        validate_id_number(number)
