"""The county's credit evaluation: a transparent scorecard → a `credit_profile` inbox item per villager.

The factors, their points, caps and the credit-line formula live in a versioned TOML file (the packaged
`scorecard.toml` unless `--scorecard` names another); nothing is weighted outside it. What each factor reads:

- `repayment` — the county's repayment register: the banks' `loan_repayment` records (the claims of the
  还款记录 credential: loans_repaid, repaid_on_time, outstanding_fen), summed over lenders. The ledger holds no
  repayment events of its own (the banks do not post them), so the register is the only source.
- `attestations` — the ledger: committed `attest.peer` transactions whose subject is the villager, not expired
  when the profile is computed, counted once per attester (a villager cannot vouch for themselves).
- `land` — the land-contract register (`land_contract` claims), area_mu summed, decimal.
- `cooperative` — the co-operative register (`coop_membership` claims): a member of at least one.

The registers are one JSON file (`--records`): `{"villagers": {DID: {"loan_repayment": [claims…],
"land_contract": [claims…], "coop_membership": [claims…]}}}`, each entry checked against its credential type's
schema. The profile goes to the kiosk of the villager's newest committed transaction.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.credentials.kinds import Vct, validate_claims
from kiosk.errors import ConfigError, KioskError
from kiosk.identity import did as didm
from kiosk.loans.money import format_fen
from kiosk.tx import envelope as envm
from sync.county.ledger import LedgerReader

INBOX_KIND = "credit_profile"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class LineRule(_Strict):
    fen_per_point: int = Field(ge=1, le=10**9)
    max_fen: int = Field(ge=0, le=10**11)
    min_points: int = Field(ge=0, le=1000)
    round_fen: int = Field(ge=1, le=10**9)


class RepaymentFactor(_Strict):
    name: str = Field(min_length=1, max_length=20)
    points_per_on_time: int = Field(ge=0, le=100)
    points_per_late: int = Field(ge=-100, le=0)
    cap: int = Field(ge=0, le=1000)
    outstanding_limit_fen: int = Field(ge=0, le=10**12)


class AttestationsFactor(_Strict):
    name: str = Field(min_length=1, max_length=20)
    points_per_attester: int = Field(ge=0, le=100)
    cap: int = Field(ge=0, le=1000)


class LandFactor(_Strict):
    name: str = Field(min_length=1, max_length=20)
    points_per_mu: int = Field(ge=0, le=100)
    cap: int = Field(ge=0, le=1000)


class CooperativeFactor(_Strict):
    name: str = Field(min_length=1, max_length=20)
    points: int = Field(ge=0, le=1000)


class Factors(_Strict):
    repayment: RepaymentFactor
    attestations: AttestationsFactor
    land: LandFactor
    cooperative: CooperativeFactor


class Scorecard(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,39}$")
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=40)
    line: LineRule
    factors: Factors


def packaged_scorecard() -> str:
    return resources.files("sync.county").joinpath("scorecard.toml").read_text(encoding="utf-8")


def parse_scorecard(text: str) -> Scorecard:
    """The scorecard from TOML; a file that does not fit is refused with the first thing wrong."""
    try:
        return Scorecard.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the scorecard is not TOML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"scorecard: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc


def load_scorecard(path: Path | None) -> Scorecard:
    try:
        return parse_scorecard(packaged_scorecard() if path is None else path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"the scorecard cannot be read: {exc}") from exc


# --- what the county knows about a villager ------------------------------------------------------------------


@dataclass(slots=True)
class Facts:
    repayments: list[dict[str, Any]] = field(default_factory=list)
    land: list[dict[str, Any]] = field(default_factory=list)
    coops: list[dict[str, Any]] = field(default_factory=list)
    attesters: set[str] = field(default_factory=set)


_REGISTERS = {
    "loan_repayment": Vct.LOAN_REPAYMENT,
    "land_contract": Vct.LAND_CONTRACT,
    "coop_membership": Vct.COOP_MEMBERSHIP,
}


def load_records(data: Any) -> dict[str, Facts]:
    """The county's registers (see the module docstring), each entry checked; ConfigError on the first bad one."""
    if not isinstance(data, Mapping) or set(data) != {"villagers"} or not isinstance(data["villagers"], Mapping):
        raise ConfigError('the records file must be {"villagers": {DID: {...}}}')
    out: dict[str, Facts] = {}
    for did, regs in data["villagers"].items():
        if not isinstance(did, str) or not didm.DID_PATTERN.match(did) or not isinstance(regs, Mapping):
            raise ConfigError(f"records: {str(did)[:60]!r} is not a DID with its registers")
        facts = out[did] = Facts()
        for name, entries in regs.items():
            vct = _REGISTERS.get(name)
            if vct is None or not isinstance(entries, list):
                raise ConfigError(f"records: {did}: {str(name)[:40]!r} is not a register list")
            try:
                checked = [validate_claims(vct, e) for e in entries]
            except KioskError as exc:
                raise ConfigError(f"records: {did}: {exc}") from exc
            {"loan_repayment": facts.repayments, "land_contract": facts.land, "coop_membership": facts.coops}[
                name
            ].extend(checked)
    return out


@dataclass(frozen=True, slots=True)
class LedgerFacts:
    attesters: dict[str, set[str]]  # subject DID → the DIDs who vouched for them (unexpired)
    kiosk: dict[str, str]  # DID → the kiosk of their newest committed transaction
    height: int  # blocks read


def read_ledger(ledger: LedgerReader, now_s: int) -> LedgerFacts:
    attesters: dict[str, set[str]] = {}
    kiosk: dict[str, str] = {}
    for height in range(ledger.height()):
        for _idx, _tx, raw in ledger.envelopes(height):
            env = envm.parse(raw)
            sig = env.signature(envm.SignerRole.VILLAGER)
            if sig is not None:
                kiosk[didm.split_key_id(sig.kid)[0]] = env.kiosk
            body = env.body
            if env.type == "attest.peer" and int(body.get("expires_s", 0)) > now_s:
                subject, attester = str(body.get("subject")), str(body.get("attester"))
                if subject != attester:
                    attesters.setdefault(subject, set()).add(attester)
    return LedgerFacts(attesters, kiosk, ledger.height())


# --- the scorecard ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactorScore:
    id: str
    name: str
    points: int
    cap: int
    reason: str  # plain words, for the villager


def _repayment(f: RepaymentFactor, facts: Facts) -> FactorScore:
    if not facts.repayments:
        return FactorScore("repayment", f.name, 0, f.cap, "没有还款记录")
    on_time = sum(min(r["repaid_on_time"], r["loans_repaid"]) for r in facts.repayments)
    late = sum(r["loans_repaid"] for r in facts.repayments) - on_time
    owed = sum(r["outstanding_fen"] for r in facts.repayments)
    if owed > f.outstanding_limit_fen:
        why = f"还欠{format_fen(owed)}，超过{format_fen(f.outstanding_limit_fen)}，这一项不计分"
        return FactorScore("repayment", f.name, 0, f.cap, why)
    points = max(0, min(f.cap, on_time * f.points_per_on_time + late * f.points_per_late))
    why = f"按时还清{on_time}笔贷款" + (f"，{late}笔逾期" if late else "")
    if on_time * f.points_per_on_time > f.cap and not late:
        why += f"（最多{f.cap}分）"
    return FactorScore("repayment", f.name, points, f.cap, why)


def _attestations(f: AttestationsFactor, facts: Facts) -> FactorScore:
    n = len(facts.attesters)
    points = min(f.cap, n * f.points_per_attester)
    why = (
        f"{n}位村民为您作证" + (f"（最多{f.cap}分）" if n * f.points_per_attester > f.cap else "")
        if n
        else "还没有村民为您作证"
    )
    return FactorScore("attestations", f.name, points, f.cap, why)


def _land(f: LandFactor, facts: Facts) -> FactorScore:
    if not facts.land:
        return FactorScore("land", f.name, 0, f.cap, "没有土地承包记录")
    mu = sum((Decimal(str(c["area_mu"])) for c in facts.land), Decimal(0))
    raw = int((mu * f.points_per_mu).to_integral_value(rounding=ROUND_FLOOR))
    why = f"承包土地{mu.normalize():f}亩" + (f"（最多{f.cap}分）" if raw > f.cap else "")
    return FactorScore("land", f.name, min(f.cap, raw), f.cap, why)


def _cooperative(f: CooperativeFactor, facts: Facts) -> FactorScore:
    if not facts.coops:
        return FactorScore("cooperative", f.name, 0, f.points, "不是合作社社员")
    return FactorScore("cooperative", f.name, f.points, f.points, f"{facts.coops[0]['cooperative']}社员")


@dataclass(frozen=True, slots=True)
class Profile:
    did: str
    line_fen: int
    points: int
    factors: tuple[FactorScore, ...]

    def payload(self, card: Scorecard, computed_ms: int) -> dict[str, Any]:
        return {
            "did": self.did,
            "line_fen": self.line_fen,
            "points": self.points,
            "scorecard": {"id": card.id, "version": card.version, "name": card.name},
            "computed_ms": computed_ms,
            "factors": [
                {"id": f.id, "name": f.name, "points": f.points, "cap": f.cap, "reason": f.reason} for f in self.factors
            ],
        }


def score(card: Scorecard, did: str, facts: Facts) -> Profile:
    fs = card.factors
    factors = (
        _repayment(fs.repayment, facts),
        _attestations(fs.attestations, facts),
        _land(fs.land, facts),
        _cooperative(fs.cooperative, facts),
    )
    total = sum(f.points for f in factors)
    line = card.line
    fen = 0 if total < line.min_points else min(line.max_fen, total * line.fen_per_point)
    return Profile(did, fen - fen % line.round_fen, total, factors)


def profiles(
    card: Scorecard, records: Mapping[str, Facts], ledger: LedgerFacts, dids: Iterable[str] | None = None
) -> list[tuple[str, Profile]]:
    """(kiosk, profile) for each villager asked for (default: everyone with a committed transaction)."""
    out = []
    for did in sorted(dids if dids is not None else ledger.kiosk):
        kiosk = ledger.kiosk.get(did)
        if kiosk is None:
            raise ConfigError(f"{did} has no committed transaction: no kiosk to deliver to")
        known = records.get(did, Facts())
        facts = Facts(known.repayments, known.land, known.coops, ledger.attesters.get(did, set()))
        out.append((kiosk, score(card, did, facts)))
    return out


def read_records(path: Path | None) -> dict[str, Facts]:
    if path is None:
        return {}
    try:
        return load_records(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"the records file cannot be read: {exc}") from exc
