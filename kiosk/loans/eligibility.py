"""Eligibility rules of a loan product, checked on the kiosk before submitting and again by the bank.

Each rule reads one claim of one credential type, so the catalog can say exactly which claims a product needs
and the bank sees no more. A rule that is not met is explained in plain words (a message key in
kiosk/messages.py, `loan.unmet.<rule>`); `loan.rule.<rule>` says what the rule asks, for the details screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiosk.credentials.kinds import Vct
from kiosk.loans.money import format_fen

Claims = Mapping[str, Mapping[str, Any]]  # vct → the claims disclosed (or held) of that type


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Adult(_Rule):
    """Aged 18 or over (the real-name credential's age_over_18)."""

    rule: Literal["adult"]


class UnderSixty(_Rule):
    """Not yet 60 (age_over_60 is false)."""

    rule: Literal["under_60"]


class Region(_Rule):
    """Lives in the region: the real-name credential's region starts with `prefix`."""

    rule: Literal["region"]
    prefix: str = Field(min_length=2, max_length=60)


class MaxOutstanding(_Rule):
    """Owes at most `fen` on earlier loans (the repayment record's outstanding_fen)."""

    rule: Literal["max_outstanding"]
    fen: int = Field(ge=0, le=10**12)


class CoopMember(_Rule):
    """A member of a co-operative (a co-operative membership credential naming one)."""

    rule: Literal["coop_member"]


class MinLand(_Rule):
    """Farms at least `mu` 亩 under contract (land contract area_mu); `mu` an integer or a decimal string."""

    rule: Literal["min_land"]
    mu: int | str = Field(description="e.g. 5 or '2.5'")


Rule = Annotated[Adult | UnderSixty | Region | MaxOutstanding | CoopMember | MinLand, Field(discriminator="rule")]

NEEDS: Mapping[str, tuple[Vct, str]] = {
    "adult": (Vct.REAL_NAME, "age_over_18"),
    "under_60": (Vct.REAL_NAME, "age_over_60"),
    "region": (Vct.REAL_NAME, "region"),
    "max_outstanding": (Vct.LOAN_REPAYMENT, "outstanding_fen"),
    "coop_member": (Vct.COOP_MEMBERSHIP, "cooperative"),
    "min_land": (Vct.LAND_CONTRACT, "area_mu"),
}


def needs(rule: Rule) -> tuple[Vct, str]:
    """The credential type and the one claim this rule reads."""
    return NEEDS[rule.rule]


@dataclass(frozen=True, slots=True)
class Verdict:
    """One rule's outcome: the message key and params that explain it (`loan.unmet.*` when not met)."""

    rule: str
    met: bool
    message_key: str
    params: Mapping[str, object]


def params_of(rule: Rule) -> dict[str, object]:
    if isinstance(rule, Region):
        return {"region": rule.prefix}
    if isinstance(rule, MaxOutstanding):
        return {"amount": format_fen(rule.fen)}
    if isinstance(rule, MinLand):
        return {"mu": str(rule.mu)}
    return {}


def _area(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _met(rule: Rule, value: object) -> bool:
    if isinstance(rule, Adult):
        return value is True
    if isinstance(rule, UnderSixty):
        return value is False
    if isinstance(rule, Region):
        return isinstance(value, str) and value.startswith(rule.prefix)
    if isinstance(rule, MaxOutstanding):
        return isinstance(value, int) and not isinstance(value, bool) and value <= rule.fen
    if isinstance(rule, CoopMember):
        return isinstance(value, str) and bool(value)
    held, wanted = _area(value), _area(rule.mu)
    return held is not None and wanted is not None and held >= wanted


def check(rule: Rule, claims: Claims) -> Verdict:
    """Whether `claims` meet `rule`; a missing credential or claim is "not met", explained as such."""
    vct, claim = needs(rule)
    held = claims.get(vct.value, {})
    params = params_of(rule)
    if claim not in held:
        return Verdict(rule.rule, False, f"loan.missing.{vct.name.lower()}", params)
    met = _met(rule, held[claim])
    return Verdict(rule.rule, met, f"loan.{'rule' if met else 'unmet'}.{rule.rule}", params)


def check_all(rules: list[Rule], claims: Claims) -> list[Verdict]:
    return [check(r, claims) for r in rules]


def unmet(rules: list[Rule], claims: Claims) -> list[Verdict]:
    return [v for v in check_all(rules, claims) if not v.met]
