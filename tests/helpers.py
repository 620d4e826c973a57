"""Made-up people and short-cuts for tests. Nobody here is real; ID numbers carry computed check digits."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from kiosk.core import Core
from kiosk.domain.consent import ENROLMENT
from kiosk.domain.idcard import IdCard, Sex
from kiosk.identity.registry import EnrolmentRecord


def id_number(region: str, birth: date, serial: str) -> str:
    body = f"{region}{birth:%Y%m%d}{serial}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder where the digit goes


def make_card(
    name: str = "张秀兰",
    birth: date = date(1958, 3, 12),
    serial: str = "302",
    sex: Sex = Sex.FEMALE,
    valid_to: date | None = None,
    valid_from: date = date(2018, 5, 1),
) -> IdCard:
    return IdCard(
        name=name,
        sex=sex,
        ethnicity="01",
        birth_date=birth,
        address="河南省兰考县东坝头乡张庄村128号",
        id_number=id_number("410225", birth, serial),
        authority="兰考县公安局",
        valid_from=valid_from,
        valid_to=valid_to,
        photo=bytes(range(256)) * 4,
    )


def enrol_someone(
    core: Core, pin: str = "382917", card: IdCard | None = None, face_template: bytes = b"\0" * 512
) -> str:
    """Enrol a person straight through the registry (the flow has its own tests); returns the DID."""
    rec = EnrolmentRecord(
        card=card or make_card(),
        face_jpeg=b"\xff\xd8jpeg",
        face_template=face_template,
        identity_check="face_only",
        face_summary={"method": "test", "quality": 90, "live": True, "match": None},
        consent={"version": ENROLMENT.version, "text_sha256": ENROLMENT.sha256},
        mode="self",
        witness=None,
    )
    return core.registry.enrol(rec, pin).did
