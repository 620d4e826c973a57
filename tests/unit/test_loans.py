"""Money in fen, the loan catalog's validation, and the eligibility rules: each rule and each bad input."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import TypeAdapter

from kiosk.errors import UserFacingError
from kiosk.loans import eligibility as el
from kiosk.loans.catalog import InvalidCatalog, parse_catalog
from kiosk.loans.money import check_fen, format_fen, format_rate, parse_yuan, sample_cost
from kiosk.messages import MESSAGES
from tests.unit.loan_world import catalog_payload

KEY = X25519PrivateKey.generate()


def _key(exc: pytest.ExceptionInfo[UserFacingError]) -> str:
    return exc.value.message_key


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (3_000_000, "3万元"),
        (200_000_000, "200万元"),
        (3_550_000, "3.55万元"),
        (85_000, "850元"),
        (12, "0.12元"),
        (0, "0元"),
    ],
)
def test_fen_in_words(fen: int, words: str) -> None:
    assert format_fen(fen) == words


def test_english_and_rate_words() -> None:
    assert format_fen(3_000_050, "en") == "CNY 30,000.50"
    assert format_rate(435) == "年利率4.35%"


@pytest.mark.parametrize(("typed", "fen"), [("30000", 3_000_000), ("1500.5", 150_050), ("0.01", 1), ("2,000", 200_000)])
def test_typed_yuan_become_fen(typed: str, fen: int) -> None:
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["100.123", "abc", "-5", "", "1e5", "01"])
def test_not_a_whole_number_of_fen_is_refused(typed: str) -> None:
    with pytest.raises(UserFacingError) as info:
        parse_yuan(typed)
    assert _key(info) == "loan.amount.not_fen"


@pytest.mark.parametrize("value", [30000.5, True, "3000000", -1, None])
def test_an_amount_that_is_not_int_fen_is_refused(value: Any) -> None:
    with pytest.raises(UserFacingError) as info:
        check_fen(value)
    assert _key(info) == "loan.amount.not_fen"


def test_sample_cost_equal_instalments() -> None:
    cost = sample_cost(10_000_000, 12, 435)  # 10万 over a year at 4.35%
    assert cost.monthly_fen == 853_100  # 8,530.99 元 a month, rounded up to the fen
    assert cost.total_fen == 10_237_189
    assert 237_000 < cost.interest_fen < 238_000  # ≈ 2,373 元 interest
    free = sample_cost(1_200_000, 12, 0)
    assert (free.monthly_fen, free.interest_fen) == (100_000, 0)


def test_a_good_catalog_parses_and_answers() -> None:
    cat = parse_catalog(catalog_payload(KEY), 3)
    p = cat.product("huinong-01")
    assert cat.version == 3 and p.amount_range_text() == "3万元–200万元"
    assert p.required_claims == {"urn:lxt:vct:real_name:1": ["name", "age_over_18", "region"]}
    assert p.check_amount(5_000_000) == 5_000_000 and p.check_term(12) == 12


@pytest.mark.parametrize("amount", [2_999_999, 200_000_001, 0])
def test_an_amount_outside_the_range_is_refused(amount: int) -> None:
    p = parse_catalog(catalog_payload(KEY), 1).product("huinong-01")
    with pytest.raises(UserFacingError) as info:
        p.check_amount(amount)
    assert _key(info) == "loan.amount.out_of_range"
    assert info.value.params == {"low": "3万元", "high": "200万元"}


def test_an_amount_with_a_fraction_of_a_fen_is_refused() -> None:
    p = parse_catalog(catalog_payload(KEY), 1).product("huinong-01")
    with pytest.raises(UserFacingError) as info:
        p.check_amount(3_000_000.5)
    assert _key(info) == "loan.amount.not_fen"


def test_a_term_not_offered_is_refused() -> None:
    p = parse_catalog(catalog_payload(KEY), 1).product("huinong-01")
    with pytest.raises(UserFacingError) as info:
        p.check_term(18)
    assert _key(info) == "loan.term.not_offered" and "36个月" in str(info.value.params["terms"])


def test_a_withdrawn_product_is_not_offered_and_cannot_be_applied_for() -> None:
    cat = parse_catalog(catalog_payload(KEY, withdrawn=True), 2)
    assert cat.offered == []
    with pytest.raises(UserFacingError) as info:
        cat.product("huinong-01")
    assert _key(info) == "loan.product.withdrawn" and info.value.params == {"name": "惠农贷"}


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"amount_min_fen": 300_000_000}, "amount_min_fen is above"),
        ({"amount_min_fen": 3_000_000.0}, "amount_min_fen"),
        ({"term_months": [12, 12]}, "distinct"),
        ({"rate_bp": -1}, "rate_bp"),
        ({"bank": "another-bank"}, "unknown bank"),
        ({"credentials": [{"vct": "urn:lxt:vct:real_name:1", "claims": ["shoe_size"]}]}, "unknown or repeated"),
        ({"credentials": [{"vct": "urn:x:unknown", "claims": ["a"]}]}, "unknown vct"),
        ({"eligibility": [{"rule": "coop_member"}]}, "does not ask for"),
        ({"eligibility": [{"rule": "be_rich"}]}, "eligibility"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_catalog_is_refused_naming_what_is_wrong(change: dict[str, Any], why: str) -> None:
    with pytest.raises(InvalidCatalog) as info:
        parse_catalog(catalog_payload(KEY, **change), 1)
    assert why in str(info.value)


def test_a_repeated_product_id_is_refused() -> None:
    payload = catalog_payload(KEY)
    payload["products"].append(payload["products"][0])
    with pytest.raises(InvalidCatalog, match="repeated"):
        parse_catalog(payload, 1)


RN = "urn:lxt:vct:real_name:1"


@pytest.mark.parametrize(
    ("rule", "claims", "met"),
    [
        ({"rule": "adult"}, {RN: {"age_over_18": True}}, True),
        ({"rule": "adult"}, {RN: {"age_over_18": False}}, False),
        ({"rule": "under_60"}, {RN: {"age_over_60": False}}, True),
        ({"rule": "under_60"}, {RN: {"age_over_60": True}}, False),
        ({"rule": "region", "prefix": "河南省兰考县"}, {RN: {"region": "河南省兰考县张庄村"}}, True),
        ({"rule": "region", "prefix": "河南省兰考县"}, {RN: {"region": "河南省杞县某村"}}, False),
        ({"rule": "max_outstanding", "fen": 100}, {"urn:lxt:vct:loan_repayment:1": {"outstanding_fen": 100}}, True),
        ({"rule": "max_outstanding", "fen": 100}, {"urn:lxt:vct:loan_repayment:1": {"outstanding_fen": 101}}, False),
        ({"rule": "coop_member"}, {"urn:lxt:vct:coop_membership:1": {"cooperative": "张庄合作社"}}, True),
        ({"rule": "min_land", "mu": "2.5"}, {"urn:lxt:vct:land_contract:1": {"area_mu": 3}}, True),
        ({"rule": "min_land", "mu": 5}, {"urn:lxt:vct:land_contract:1": {"area_mu": "3.25"}}, False),
    ],
)
def test_each_rule_met_or_explained(rule: dict[str, Any], claims: dict[str, Any], met: bool) -> None:
    r = TypeAdapter(el.Rule).validate_python(rule)
    verdict = el.check(r, claims)
    assert verdict.met is met
    assert verdict.message_key == f"loan.{'rule' if met else 'unmet'}.{rule['rule']}"
    assert verdict.message_key in MESSAGES
    MESSAGES[verdict.message_key][0].format(**verdict.params)


def test_a_missing_credential_is_explained() -> None:
    verdict = el.check(TypeAdapter(el.Rule).validate_python({"rule": "coop_member"}), {})
    assert (verdict.met, verdict.message_key) == (False, "loan.missing.coop_membership")
    for vct_name in ("real_name", "loan_repayment", "coop_membership", "land_contract"):
        assert f"loan.missing.{vct_name}" in MESSAGES
