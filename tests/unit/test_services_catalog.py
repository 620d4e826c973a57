"""The services catalog at the border: the shipped sample parses; each bad catalog is refused, saying why."""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any

import pytest

from kiosk.credentials.kinds import Vct
from kiosk.errors import UserFacingError
from kiosk.services.catalog import FieldType, InvalidServices, ServiceKind, parse_services
from tests.unit.services_world import ALLOWANCE, ALLOWANCE_ANSWERS, PENSION, TAX_CERT, office_keys, services_payload

Change = Callable[[dict[str, Any]], None]


@pytest.fixture
def payload() -> dict[str, Any]:
    return services_payload(office_keys())


def _allowance(p: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in p["services"] if s["id"] == ALLOWANCE)


def _field(p: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in _allowance(p)["fields"] if f["id"] == fid)


def test_the_sample_catalog_has_the_three_services(payload: dict[str, Any]) -> None:
    catalog = parse_services(payload, 3)
    assert [s.id for s in catalog.offered] == [ALLOWANCE, TAX_CERT, PENSION]
    allowance = catalog.service(ALLOWANCE)
    assert allowance.name.zh == "残疾人两项补贴"
    assert allowance.required_claims == {Vct.REAL_NAME.value: ["name", "sex", "birth_date", "region"]}
    assert [f.id for f in allowance.typed] == [*ALLOWANCE_ANSWERS, "phone"]
    assert catalog.office(allowance.office).name.zh == "兰考县残疾人联合会"
    assert catalog.service(TAX_CERT).outcome == "issued"
    pension = catalog.service(PENSION)
    assert pension.kind is ServiceKind.FACE_CHECK and pension.tx == "pension.proof_of_life" and not pension.fields


def _set(path: str, value: object) -> Change:
    def change(p: dict[str, Any]) -> None:
        *head, last = path.split(".")
        target: Any = p
        for part in head:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _prefill(vct: str, claim: str) -> Change:
    return lambda p: _field(p, "name").update(prefill={"vct": vct, "claim": claim})


def _two_from_one_claim(p: dict[str, Any]) -> None:
    _field(p, "sex")["prefill"] = {"vct": Vct.REAL_NAME.value, "claim": "name"}


def _face_check_with_fields(p: dict[str, Any]) -> None:
    p["services"][2]["fields"] = deepcopy(_allowance(p)["fields"][:1])


BAD: dict[str, tuple[Change, str]] = {
    "unknown vct": (_prefill("urn:lxt:vct:nope:1", "name"), "urn:lxt:vct:nope:1"),
    "unknown claim": (_prefill(Vct.REAL_NAME.value, "shoe_size"), "shoe_size"),
    "claim pre-fills two fields": (_two_from_one_claim, "pre-fills two fields"),
    "choice field without choices": (lambda p: _field(p, "grade").update(choices=[]), "choices belong"),
    "choices on a text field": (lambda p: _field(p, "phone").update(choices=_field(p, "grade")["choices"]), "choices"),
    "repeated choice": (lambda p: _field(p, "grade")["choices"].append(_field(p, "grade")["choices"][0]), "repeated"),
    "min above max": (lambda p: _field(p, "phone").update(min=12, max=11), "min is above max"),
    "limits on a choice": (lambda p: _field(p, "grade").update(max=3), "min/max apply"),
    "text longer than 200": (lambda p: _field(p, "phone").update(max=500), "0–200"),
    "unknown field type": (lambda p: _field(p, "phone").update(type="colour"), "type"),
    "label without English": (lambda p: _field(p, "phone").update(label={"zh": "电话"}), "label.en"),
    "repeated field id": (lambda p: _allowance(p)["fields"].append(_field(p, "phone")), "field id is repeated"),
    "repeated material": (
        lambda p: _allowance(p)["materials"].append({"id": "disability_card", "name": "证"}),
        "material",
    ),
    "repeated service": (lambda p: p["services"].append(deepcopy(p["services"][0])), "service id is repeated"),
    "repeated office": (lambda p: p["offices"].append(deepcopy(p["offices"][0])), "office id is repeated"),
    "unknown office": (_set("services.1.office", "lankao-police"), "unknown office lankao-police"),
    "office key not base64url": (_set("offices.0.key", "!" * 43), "offices.0.key"),
    "office key too short": (_set("offices.0.key", "A" * 42), "offices.0.key"),
    "no offices": (_set("offices", []), "offices"),
    "extra field": (_set("services.0.fee_fen", 100), "fee_fen"),
    "form without fields": (_set("services.1.fields", []), "at least one field"),
    "form sent as another tx": (_set("services.1.tx", "loan.apply"), "service.request"),
    "face check with fields": (_face_check_with_fields, "face check"),
    "face check as service.request": (_set("services.2.tx", "service.request"), "face check"),
    "unknown outcome": (_set("services.0.outcome", "maybe"), "outcome"),
    "bad service id": (_set("services.0.id", "残疾"), "services.0.id"),
    "a string for a boolean": (_set("services.0.withdrawn", "no"), "withdrawn"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_catalog_is_refused_saying_why(payload: dict[str, Any], case: str) -> None:
    change, words = BAD[case]
    change(payload)
    with pytest.raises(InvalidServices) as info:
        parse_services(payload, 2)
    assert words in str(info.value) and str(info.value).startswith("services v2")


def test_a_version_that_is_not_a_positive_integer_is_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(InvalidServices, match="version"):
        parse_services(payload, 0)


def test_a_withdrawn_service_is_not_offered_and_refused_by_name(payload: dict[str, Any]) -> None:
    _allowance(payload)["withdrawn"] = True
    catalog = parse_services(payload, 1)
    assert ALLOWANCE not in [s.id for s in catalog.offered]
    with pytest.raises(UserFacingError) as info:
        catalog.service(ALLOWANCE)
    assert info.value.message_key == "service.withdrawn" and info.value.params == {"name": "残疾人两项补贴"}
    with pytest.raises(UserFacingError, match=r"service\.unknown"):
        catalog.service("no-such-service")


def test_answers_are_checked_against_their_fields(payload: dict[str, Any]) -> None:
    allowance = parse_services(payload, 1).service(ALLOWANCE)
    assert allowance.check_answers(ALLOWANCE_ANSWERS) == ALLOWANCE_ANSWERS  # the optional phone left out
    cases: list[tuple[dict[str, Any], str]] = [
        ({"category": "wings"}, "service.field.invalid"),
        ({"low_income": "yes"}, "service.field.invalid"),
        ({"disability_card_no": "123"}, "service.field.length"),
        ({"phone": "1380000"}, "service.field.length"),
    ]
    for change, key in cases:
        with pytest.raises(UserFacingError) as info:
            allowance.check_answers({**ALLOWANCE_ANSWERS, **change})
        assert info.value.message_key == key
    tax = parse_services(payload, 1).service(TAX_CERT)
    good: dict[str, Any] = {"tax_year": 2025, "tax_kind": "social", "purpose": "loan"}
    assert tax.check_answers(good) == good
    tax_cases: list[tuple[dict[str, Any], str]] = [
        ({"tax_year": 2001}, "service.field.out_of_range"),
        ({"tax_year": True}, "service.field.invalid"),
        ({"purpose": "办理低保"}, "service.field.invalid"),  # a choice, never typed: only the listed values
    ]
    for change, key in tax_cases:
        with pytest.raises(UserFacingError) as info:
            tax.check_answers({**good, **change})
        assert info.value.message_key == key
    with pytest.raises(InvalidServices, match="no typed field 'name'"):
        tax.check_answers({**good, "name": "张秀兰"})  # pre-filled: never typed


def test_a_date_field_takes_only_real_dates(payload: dict[str, Any]) -> None:
    field = parse_services(payload, 1).service(ALLOWANCE).fields[2]
    assert field.type is FieldType.DATE and field.check("1958-03-12") == "1958-03-12"
    for bad in ("1958-02-30", "58-3-12", "yesterday"):
        with pytest.raises(UserFacingError, match="invalid"):
            field.check(bad)
