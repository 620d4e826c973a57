"""Made-up villagers of 兰考县 for the demo and tests. Nobody here is real; ID numbers are computed."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from kiosk.domain.idcard import IdCard, Sex
from kiosk.domain.idcard_record import rare_characters

COUNTY = "410225"


def make_id_number(birth: date, serial: str, region: str = COUNTY) -> str:
    """A well-formed ID number: region, birth date, a three-digit serial (odd = male), check digit."""
    body = f"{region}{birth:%Y%m%d}{serial}"
    return body + ric.calc_check_digit(body + "0")  # stdnum counts the check position in its input


def _card(
    name: str,
    sex: Sex,
    birth: date,
    serial: str,
    village: str,
    valid: tuple[date, date | None],
    ethnicity: str = "01",
) -> IdCard:
    address = f"河南省兰考县{village}"
    return IdCard(
        name=name,
        sex=sex,
        ethnicity=ethnicity,
        birth_date=birth,
        address=address,
        id_number=make_id_number(birth, serial),
        authority="兰考县公安局",
        valid_from=valid[0],
        valid_to=valid[1],
        photo=bytes((i * 37) % 256 for i in range(1024)),  # stands in for the WLT-encoded card photo
        rare_chars=rare_characters(name, address),
    )


DEMO_VILLAGERS: tuple[IdCard, ...] = (
    # A card for the long term (长期), as issued to people over 46.
    _card("张秀兰", Sex.FEMALE, date(1956, 3, 12), "302", "东坝头乡张庄村128号", (date(2016, 5, 1), None)),
    _card("李建国", Sex.MALE, date(1968, 9, 30), "151", "东坝头乡张庄村45号", (date(2019, 7, 8), date(2039, 7, 8))),
    # A rare character from the private-use area, as cards carry for names outside the national standard.
    _card("王\ue0a5生", Sex.MALE, date(1949, 1, 17), "073", "三义寨乡白云山村3号", (date(2012, 2, 2), None)),
    _card("赵婷婷", Sex.FEMALE, date(1994, 11, 2), "226", "仪封乡代庄村17号", (date(2021, 4, 20), date(2031, 4, 20))),
    # 回族, with a name character outside the BMP (a surrogate pair on the card).
    _card(
        "马\U00020bb7英",
        Sex.FEMALE,
        date(1979, 8, 21),
        "248",
        "城关乡朱庄村6号",
        (date(2015, 10, 9), date(2035, 10, 9)),
        ethnicity="03",
    ),
    _card("刘小宇", Sex.MALE, date(2010, 6, 1), "395", "东坝头乡张庄村128号", (date(2024, 7, 1), date(2029, 7, 1))),
)
"""Adults first; the last one is under 18, to show the refusal."""
