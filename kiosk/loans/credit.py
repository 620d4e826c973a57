"""A villager's credit profile as the county delivered it: the pre-approved line, the factors and why, how fresh.

The county computes it with its published scorecard (sync/county/credit.py, `scorecard.toml`) and sends it as an
inbox item of kind `credit_profile` (docs/protocol.md). The kiosk computes nothing: it shows the newest profile
naming the villager. "Why?" (`explain`) is the factors that came with it, each with its points, its cap and the
county's reason in plain words — everything the score was made of, so asking needs no transaction and tells
the county nothing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.loans.money import format_fen
from kiosk.store import deliveries

logger = logging.getLogger(__name__)

INBOX_KIND = "credit_profile"
DAY_MS = 86_400_000
STALE_AFTER_MS = 90 * DAY_MS  # the county recomputes monthly; a quarter without a new one is worth saying


@dataclass(frozen=True, slots=True)
class Factor:
    id: str
    name: str
    points: int
    cap: int
    reason: str

    def words(self) -> str:
        """ "还款记录：30分（满分40）：按时还清3笔贷款"."""
        return f"{self.name}：{self.points}分（满分{self.cap}）：{self.reason}"


@dataclass(frozen=True, slots=True)
class CreditProfile:
    did: str
    line_fen: int
    points: int
    scorecard: str  # the scorecard's name
    scorecard_id: str
    scorecard_version: int
    computed_ms: int
    factors: tuple[Factor, ...]

    def line_words(self) -> str:
        if self.line_fen == 0:
            return "暂无预授信额度"
        return f"预授信额度{format_fen(self.line_fen)}"

    def age_days(self, now_ms: int) -> int:
        return max(0, now_ms - self.computed_ms) // DAY_MS

    def stale(self, now_ms: int, after_ms: int = STALE_AFTER_MS) -> bool:
        return now_ms - self.computed_ms > after_ms

    def freshness(self, now_ms: int, after_ms: int = STALE_AFTER_MS) -> str:
        days = self.age_days(now_ms)
        when = "今天更新" if days == 0 else f"{days}天前更新"
        return when + ("，可能已经过时，县里更新后会再发来" if self.stale(now_ms, after_ms) else "")


def explain(profile: CreditProfile) -> list[str]:
    """Why: each factor in plain words, then how the total became the line, with the scorecard's version."""
    lines = [f.words() for f in profile.factors]
    lines.append(
        f"合计{profile.points}分，{profile.line_words()}（{profile.scorecard}第{profile.scorecard_version}版）"
    )
    return lines


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _factor(raw: object) -> Factor | None:
    if not isinstance(raw, Mapping):
        return None
    points, cap = _int(raw.get("points")), _int(raw.get("cap"))
    texts = [raw.get(k) for k in ("id", "name", "reason")]
    if points is None or cap is None or not all(isinstance(t, str) and t for t in texts):
        return None
    return Factor(str(texts[0]), str(texts[1])[:20], points, cap, str(texts[2])[:120])


def parse_profile(payload: Any) -> CreditProfile | None:
    """One inbox payload as a profile, or None (logged) if it does not fit."""
    if not isinstance(payload, Mapping):
        return None
    card, raw_factors = payload.get("scorecard"), payload.get("factors")
    line, points, at = _int(payload.get("line_fen")), _int(payload.get("points")), _int(payload.get("computed_ms"))
    did = payload.get("did")
    if not isinstance(card, Mapping) or not isinstance(raw_factors, list) or not isinstance(did, str):
        logger.warning("a malformed credit profile was ignored")
        return None
    factors = tuple(f for f in (_factor(r) for r in raw_factors) if f is not None)
    version, card_id, name = _int(card.get("version")), card.get("id"), card.get("name")
    if None in (line, points, at, version) or len(factors) != len(raw_factors) or not factors:
        logger.warning("a malformed credit profile was ignored")
        return None
    if not isinstance(card_id, str) or not isinstance(name, str) or line is None or line < 0:
        logger.warning("a malformed credit profile was ignored")
        return None
    return CreditProfile(did, line, points or 0, name[:40], card_id, version or 0, at or 0, factors)


def newest(conn: sqlite3.Connection, did: str) -> CreditProfile | None:
    """The newest profile the county computed for this villager (by its `computed_ms`), or None."""
    best: CreditProfile | None = None
    for item in deliveries.inbox(conn, INBOX_KIND):
        profile = parse_profile(item.payload)
        if profile is not None and profile.did == did and (best is None or profile.computed_ms > best.computed_ms):
            best = profile
    return best
