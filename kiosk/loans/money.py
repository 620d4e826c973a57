"""Money in integer fen: parsing what a villager typed, "3万元"-style words, and a sample total cost.

The project's canonical JSON has no floats, so an amount is always an int of fen (1 元 = 100 fen); anything
that is not a whole number of fen is refused, never rounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from kiosk.errors import UserFacingError

FEN_PER_YUAN = 100
FEN_PER_WAN = 10_000 * FEN_PER_YUAN
_YUAN = re.compile(r"^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$")


def check_fen(value: object) -> int:
    """An amount in fen: an int (never a bool or float), not negative."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserFacingError("loan.amount.not_fen")
    if value < 0:
        raise UserFacingError("loan.amount.not_fen")
    return value


def parse_yuan(text: str) -> int:
    """What the keypad gave, in 元 ("30000", "1500.5"), as fen; more than two decimals is not a whole fen."""
    cleaned = text.strip().replace(",", "")
    found = _YUAN.match(cleaned)
    if found is None:
        raise UserFacingError("loan.amount.not_fen")
    whole, cents = found.group(1), (found.group(2) or "").ljust(2, "0")
    return int(whole) * FEN_PER_YUAN + int(cents)


def _decimal(numerator: int, denominator: int) -> str:
    """numerator/denominator with at most four decimals, trailing zeros dropped (exact for our divisors)."""
    whole, rest = divmod(numerator, denominator)
    if rest == 0:
        return str(whole)
    frac = str(rest * 10_000 // denominator).rjust(4, "0").rstrip("0")
    return f"{whole}.{frac}" if frac else str(whole)


def format_fen(fen: int, lang: str = "zh") -> str:
    """3000000 → "3万元"; 3550000 → "3.55万元"; 85000 → "850元"; 12 → "0.12元" (en: "CNY 30,000")."""
    fen = check_fen(fen)
    if lang != "zh":
        yuan, cents = divmod(fen, FEN_PER_YUAN)
        return f"CNY {yuan:,}" + (f".{cents:02d}" if cents else "")
    if fen >= FEN_PER_WAN and fen % FEN_PER_YUAN == 0:  # whole 元: at most four decimals of 万
        return f"{_decimal(fen, FEN_PER_WAN)}万元"
    return f"{_decimal(fen, FEN_PER_YUAN)}元"


def format_rate(rate_bp: int) -> str:
    """Basis points per year in plain words: 435 → "年利率4.35%"."""
    return f"年利率{_decimal(rate_bp, 100)}%"


@dataclass(frozen=True, slots=True)
class CostSample:
    """What a loan of `amount_fen` over `term_months` costs, repaid in equal monthly instalments (等额本息)."""

    amount_fen: int
    term_months: int
    rate_bp: int
    monthly_fen: int
    total_fen: int  # every instalment together

    @property
    def interest_fen(self) -> int:
        return self.total_fen - self.amount_fen


def sample_cost(amount_fen: int, term_months: int, rate_bp: int) -> CostSample:
    """Equal instalments at the yearly rate / 12; each rounded up to the fen, the last one settles the rest."""
    amount_fen = check_fen(amount_fen)
    if term_months < 1:
        raise UserFacingError("loan.term.not_offered", terms="")
    r = Fraction(rate_bp, 10_000 * 12)
    if r == 0:
        monthly = Fraction(amount_fen, term_months)
    else:
        growth = (1 + r) ** term_months
        monthly = amount_fen * r * growth / (growth - 1)
    exact_total = monthly * term_months
    rounded = -(-monthly.numerator // monthly.denominator)  # up, so the bank is never paid less
    total = -(-exact_total.numerator // exact_total.denominator)
    return CostSample(amount_fen, term_months, rate_bp, rounded, total)
