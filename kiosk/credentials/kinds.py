"""The credential types (`vct`) the kiosk knows: claim schemas, Chinese names, icons, and claim labels.

The schemas are pydantic at the border (a credential's disclosed claims are JSON from outside); inside, a
credential is its vct plus a plain dict of claims that passed its schema. Every claim is selectively
disclosable; `labels` give the words a villager hears in the preview ("交通局将看到：体检结论、体检日期").
Numbers are integers or decimal strings: the canonical JSON of the project refuses floats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from kiosk.credentials.errors import InvalidClaims, UnknownCredentialType

_DATE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_DID = r"^did:lxt:[0-9]{6}:[1-9A-HJ-NP-Za-km-z]{16,24}$"
_DECIMAL = r"^(0|[1-9]\d{0,6})(\.\d{1,4})?$"
_STRICT = ConfigDict(strict=True)


class Vct(StrEnum):
    REAL_NAME = "urn:lxt:vct:real_name:1"
    HEALTH_EXAM = "urn:lxt:vct:health_exam:1"
    LAND_CONTRACT = "urn:lxt:vct:land_contract:1"
    COOP_MEMBERSHIP = "urn:lxt:vct:coop_membership:1"
    LOAN_REPAYMENT = "urn:lxt:vct:loan_repayment:1"
    PEER_ATTESTATION = "urn:lxt:vct:peer_attestation:1"
    SELF_PROFILE = "urn:lxt:vct:self_profile:1"


class _Claims(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RealNameClaims(_Claims):
    """Issued by the county identity authority once it has verified the enrolment."""

    name: str = Field(min_length=1, max_length=40)
    sex: Literal["男", "女", "未知"]
    ethnicity: str = Field(min_length=1, max_length=20)
    birth_date: str = Field(pattern=_DATE)
    region: str = Field(min_length=1, max_length=60, description="县乡村, e.g. 河南省兰考县东坝头乡张庄村")
    age_over_18: bool
    age_over_60: bool
    id_number_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="hex SHA-256 of the ID number, never it")


class HealthExamClaims(_Claims):
    hospital: str = Field(min_length=1, max_length=60)
    hospital_grade: str = Field(min_length=1, max_length=10, description="三甲, 三乙, 二甲, 一级, …")
    date: str = Field(pattern=_DATE)
    conclusion: str = Field(min_length=1, max_length=200)
    results: dict[str, str] = Field(default_factory=dict, max_length=40, description="item → result text")


class LandContractClaims(_Claims):
    village: str = Field(min_length=1, max_length=60)
    area_mu: int | str = Field(description="area in 亩: an integer, or a decimal string such as '3.25'")
    contract_no: str = Field(min_length=1, max_length=40)
    term_end: str | None = Field(None, pattern=_DATE)

    @field_validator("area_mu")
    @classmethod
    def _area(cls, area: int | str) -> int | str:
        if isinstance(area, int) and not 0 < area < 10_000_000:
            raise ValueError("area_mu must be a positive integer")
        if isinstance(area, str) and (not re.match(_DECIMAL, area) or Decimal(area) <= 0):
            raise ValueError("area_mu must be a positive decimal string like '3.25'")
        return area


class CoopMembershipClaims(_Claims):
    cooperative: str = Field(min_length=1, max_length=60)
    member_since: str = Field(pattern=_DATE)
    role: str = Field("社员", min_length=1, max_length=20)


class LoanRepaymentClaims(_Claims):
    lender: str = Field(min_length=1, max_length=60)
    loans_repaid: int = Field(ge=0, le=1000)
    repaid_on_time: int = Field(ge=0, le=1000)
    outstanding_fen: int = Field(ge=0, le=10**12, description="still owed, in fen")
    as_of: str = Field(pattern=_DATE)


class PeerAttestationClaims(_Claims):
    """One villager vouching for another (互证); its expiry is the credential's `exp`, which it must have."""

    attester: str = Field(pattern=_DID)
    attester_name: str = Field(min_length=1, max_length=40)
    relation: Literal["邻居", "亲属", "同村", "同组", "合作社社员"]
    statement: str = Field(min_length=1, max_length=200)


class SelfProfileClaims(_Claims):
    """Self-declared: issued by the villager's own key, worth exactly what the villager says."""

    phone: str | None = Field(None, pattern=r"^1[3-9]\d{9}$")
    occupation: str | None = Field(None, min_length=1, max_length=30)
    crops: list[str] = Field(default_factory=list, max_length=20)


@dataclass(frozen=True, slots=True)
class Kind:
    vct: Vct
    name_zh: str
    name_en: str
    icon: str  # a name in the UI's icon set (ui/ picks the picture)
    schema: type[_Claims]
    labels: Mapping[str, tuple[str, str]]  # claim → (zh, en), in the order a preview reads them
    needs_exp: bool = False
    self_issued: bool = False  # issued by the holder's own key (needs no trust-list entry)


KINDS: Mapping[Vct, Kind] = {
    k.vct: k
    for k in (
        Kind(
            Vct.REAL_NAME,
            "实名身份",
            "Real-name identity",
            "id-card",
            RealNameClaims,
            {
                "name": ("姓名", "name"),
                "sex": ("性别", "sex"),
                "ethnicity": ("民族", "ethnicity"),
                "birth_date": ("出生日期", "date of birth"),
                "region": ("所在地区", "region"),
                "age_over_18": ("是否年满18岁", "over 18"),
                "age_over_60": ("是否年满60岁", "over 60"),
                "id_number_hash": ("身份证号摘要", "ID number digest"),
            },
        ),
        Kind(
            Vct.HEALTH_EXAM,
            "体检报告",
            "Health examination",
            "stethoscope",
            HealthExamClaims,
            {
                "conclusion": ("体检结论", "exam conclusion"),
                "date": ("体检日期", "exam date"),
                "hospital": ("医院名称", "hospital"),
                "hospital_grade": ("医院等级", "hospital grade"),
                "results": ("各项检查结果", "itemised results"),
            },
        ),
        Kind(
            Vct.LAND_CONTRACT,
            "土地承包",
            "Land contract",
            "field",
            LandContractClaims,
            {
                "village": ("所在村", "village"),
                "area_mu": ("承包面积（亩）", "area (mu)"),
                "contract_no": ("合同编号", "contract number"),
                "term_end": ("承包到期日", "term ends"),
            },
        ),
        Kind(
            Vct.COOP_MEMBERSHIP,
            "合作社社员",
            "Co-operative membership",
            "handshake",
            CoopMembershipClaims,
            {
                "cooperative": ("合作社名称", "co-operative"),
                "member_since": ("入社日期", "member since"),
                "role": ("身份", "role"),
            },
        ),
        Kind(
            Vct.LOAN_REPAYMENT,
            "还款记录",
            "Loan repayment record",
            "receipt",
            LoanRepaymentClaims,
            {
                "lender": ("贷款机构", "lender"),
                "loans_repaid": ("已还清笔数", "loans repaid"),
                "repaid_on_time": ("按时还款笔数", "repaid on time"),
                "outstanding_fen": ("未还金额", "outstanding"),
                "as_of": ("统计日期", "as of"),
            },
        ),
        Kind(
            Vct.PEER_ATTESTATION,
            "村民互证",
            "Peer attestation",
            "people",
            PeerAttestationClaims,
            {
                "attester_name": ("作证人姓名", "attester's name"),
                "attester": ("作证人数字身份", "attester's DID"),
                "relation": ("关系", "relation"),
                "statement": ("证明内容", "statement"),
            },
            needs_exp=True,
        ),
        Kind(
            Vct.SELF_PROFILE,
            "个人资料",
            "Self-declared profile",
            "person",
            SelfProfileClaims,
            {
                "phone": ("手机号", "phone"),
                "occupation": ("职业", "occupation"),
                "crops": ("种植作物", "crops"),
            },
            self_issued=True,
        ),
    )
}


def kind_of(vct: str) -> Kind:
    try:
        return KINDS[Vct(vct)]
    except ValueError:
        raise UnknownCredentialType(f"unknown vct {vct[:60]!r}") from None


def validate_claims(vct: str, claims: Mapping[str, Any]) -> dict[str, Any]:
    """The claims, checked against their vct's schema; only the claims given (a presentation shows a few).

    A full credential (at issuance and import) must fit the whole schema; a presentation's subset is checked
    claim by claim against the same field types.
    """
    kind = kind_of(vct)
    try:
        return kind.schema.model_validate(dict(claims)).model_dump(exclude_unset=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidClaims(f"{kind.vct.value}: {where}: {first['msg']}") from exc


def validate_partial(vct: str, claims: Mapping[str, Any]) -> dict[str, Any]:
    """A disclosed subset: each claim must be one of the kind's and of the right type."""
    kind = kind_of(vct)
    unknown = set(claims) - set(kind.schema.model_fields)
    if unknown:
        raise InvalidClaims(f"{kind.vct.value}: unknown claims {sorted(unknown)[:5]}")
    fields = kind.schema.model_fields
    for name, value in claims.items():
        field = fields[name]
        try:
            # the field's type with its constraints (Annotated needs at least one)
            form: Any = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
            TypeAdapter(form, config=_STRICT).validate_python(value)
            if name == "area_mu":
                LandContractClaims._area(value)
        except (ValidationError, ValueError) as exc:
            raise InvalidClaims(f"{kind.vct.value}: {name} does not fit its type") from exc
    return {name: claims[name] for name in fields if name in claims}


def preview(vct: str, claims: list[str], lang: str = "zh") -> list[str]:
    """The labels of `claims` in the kind's reading order, for the plain-words preview."""
    kind = kind_of(vct)
    order = [name for name in kind.labels if name in claims]
    return [kind.labels[name][0 if lang == "zh" else 1] for name in order]
