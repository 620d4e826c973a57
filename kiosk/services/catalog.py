"""The services catalog (零跑腿): the county's signed, versioned `services` broadcast of offices and their forms.

Each service is a form schema, so county IT adds a service without a software update: typed fields with zh/en
labels and limits, the credential claims that pre-fill some of them (never typed twice), the paper materials to
photograph, and the office that handles it with the X25519 key its answers are sealed to. The sync daemon
verified the signature and the version (sync/downlink.py); this module checks the meaning (docs/protocol.md,
"The services catalog") and refuses a bad catalog with the first thing wrong.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kiosk.credentials.kinds import kind_of
from kiosk.errors import DomainError, KioskError, UserFacingError
from kiosk.store import deliveries

logger = logging.getLogger(__name__)

BROADCAST_KIND = "services"
PENSION_TX = "pension.proof_of_life"  # the face check's own transaction (kiosk/flows/pension.py)
_ID = r"^[a-z0-9][a-z0-9_.:-]{1,63}$"
_B64U = r"^[A-Za-z0-9_-]+$"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Answer = str | int | bool


class InvalidServices(DomainError):
    """A services catalog that does not fit docs/protocol.md (its signature and version were checked already)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Words(_Model):
    zh: str = Field(min_length=1, max_length=40)
    en: str = Field(min_length=1, max_length=80)


class Office(_Model):
    id: str = Field(pattern=_ID, description="the office's id; also the audience of the presentations it receives")
    name: Words
    key: str = Field(pattern=_B64U, min_length=43, max_length=43, description="X25519 public key, base64url")
    region: str = Field("", max_length=60, description="if set, a pre-filled region must start with it")


class FieldType(StrEnum):
    TEXT = "text"  # min/max: length in characters
    INTEGER = "integer"  # min/max: the value (money is integer fen)
    CHOICE = "choice"  # one of `choices`
    DATE = "date"  # YYYY-MM-DD
    YES_NO = "yes_no"  # true or false


class Choice(_Model):
    value: str = Field(pattern=_ID)
    label: Words


class Prefill(_Model):
    vct: str
    claim: str

    @model_validator(mode="after")
    def _known(self) -> Prefill:
        if self.claim not in kind_of(self.vct).schema.model_fields:  # UnknownCredentialType for an unknown vct
            raise ValueError(f"{self.vct} has no claim {self.claim!r}")
        return self


class FormField(_Model):
    id: str = Field(pattern=_ID)
    type: FieldType = Field(strict=False)  # the JSON string names the enum member
    label: Words
    required: bool = True
    choices: list[Choice] = Field(default_factory=list, max_length=30)
    min: int | None = Field(None, ge=-(10**12), le=10**12)
    max: int | None = Field(None, ge=-(10**12), le=10**12)
    prefill: Prefill | None = Field(None, description="taken from this credential claim, shown, never typed")

    @model_validator(mode="after")
    def _consistent(self) -> FormField:
        if (self.type is FieldType.CHOICE) != bool(self.choices):
            raise ValueError(f"field {self.id}: choices belong to (and only to) a choice field")
        if len({c.value for c in self.choices}) != len(self.choices):
            raise ValueError(f"field {self.id}: a choice is repeated")
        if (self.min is not None or self.max is not None) and self.type not in (FieldType.TEXT, FieldType.INTEGER):
            raise ValueError(f"field {self.id}: min/max apply to text and integer fields only")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field {self.id}: min is above max")
        if self.type is FieldType.TEXT and ((self.min or 0) < 0 or (self.max or 200) > 200):
            raise ValueError(f"field {self.id}: a text is 0–200 characters")
        return self

    def check(self, value: object) -> Answer:
        """The answer as kept, or `service.field.invalid` naming the field in plain words."""
        bad = UserFacingError("service.field.invalid", label=self.label.zh)
        if self.type is FieldType.YES_NO:
            if not isinstance(value, bool):
                raise bad
            return value
        if self.type is FieldType.INTEGER:
            if isinstance(value, bool) or not isinstance(value, int):
                raise bad
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                raise UserFacingError("service.field.out_of_range", label=self.label.zh, range=self.range_words())
            return value
        if not isinstance(value, str):
            raise bad
        return self._check_text(value.strip(), bad)

    def _check_text(self, text: str, bad: UserFacingError) -> str:
        if self.type is FieldType.CHOICE:
            if text not in {c.value for c in self.choices}:
                raise bad
        elif self.type is FieldType.DATE:
            _check_date(text, bad)
        elif not (self.min or 1) <= len(text) <= (self.max or 200):
            raise UserFacingError("service.field.length", label=self.label.zh, low=self.min or 1, high=self.max or 200)
        return text

    def range_words(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min}到{self.max}"
        return f"不少于{self.min}" if self.min is not None else f"不超过{self.max}"

    def words(self, value: Answer) -> str:
        """An answer as the villager reads it back: the choice's label, 是/否, the text itself."""
        if self.type is FieldType.YES_NO:
            return "是" if value else "否"
        for c in self.choices:
            if c.value == value:
                return c.label.zh
        return str(value)


def _check_date(text: str, bad: UserFacingError) -> None:
    if not _DATE.match(text):
        raise bad
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        raise bad from exc


class Material(_Model):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=30, description="what to photograph, e.g. 残疾人证")


class ServiceKind(StrEnum):
    FORM = "form"  # fields and materials, sent as service.request
    FACE_CHECK = "face_check"  # only the live face check of kiosk/flows/pension.py, sent as pension.proof_of_life


class Service(_Model):
    id: str = Field(pattern=_ID)
    office: str = Field(pattern=_ID)
    name: Words
    summary: Words
    kind: ServiceKind = Field(ServiceKind.FORM, strict=False)
    tx: str = Field("service.request", description="the transaction the request becomes")
    fields: list[FormField] = Field(default_factory=list, max_length=30)
    materials: list[Material] = Field(default_factory=list, max_length=6)
    outcome: str = Field("approved", pattern=r"^(approved|issued)$", description="the office's answer when met")
    withdrawn: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Service:
        if len({f.id for f in self.fields}) != len(self.fields):
            raise ValueError(f"service {self.id}: a field id is repeated")
        if len({m.id for m in self.materials}) != len(self.materials):
            raise ValueError(f"service {self.id}: a material id is repeated")
        sources = [(f.prefill.vct, f.prefill.claim) for f in self.fields if f.prefill is not None]
        if len(set(sources)) != len(sources):  # one claim shown once: two fields from it would be typed twice
            raise ValueError(f"service {self.id}: a credential claim pre-fills two fields")
        if self.kind is ServiceKind.FACE_CHECK:
            if self.fields or self.materials or self.tx != PENSION_TX:
                raise ValueError(f"service {self.id}: a face check has no fields or materials and tx {PENSION_TX}")
        elif self.tx != "service.request":
            raise ValueError(f"service {self.id}: a form is sent as service.request")
        elif not self.fields:
            raise ValueError(f"service {self.id}: a form needs at least one field")
        return self

    @property
    def typed(self) -> list[FormField]:
        """The fields the villager enters (the others are pre-filled from credentials)."""
        return [f for f in self.fields if f.prefill is None]

    @property
    def required_claims(self) -> dict[str, list[str]]:
        """vct → the claims shown to the office, in field order: exactly what pre-fills the form."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if f.prefill is not None:
                out.setdefault(f.prefill.vct, []).append(f.prefill.claim)
        return out

    def check_answers(self, answers: Mapping[str, object]) -> dict[str, Answer]:
        """The typed answers, each checked; a missing required one says which; unknown or pre-filled ids refused."""
        typed = {f.id: f for f in self.typed}
        extra = sorted(set(answers) - set(typed))
        if extra:
            raise InvalidServices(f"service {self.id}: no typed field {extra[0][:40]!r}")
        out: dict[str, Answer] = {}
        for fid, f in typed.items():
            value = answers.get(fid)
            if value is None or (isinstance(value, str) and not value.strip()):
                if f.required:
                    raise UserFacingError("service.field.required", label=f.label.zh)
                continue
            out[fid] = f.check(value)
        return out


class ServicesPayload(_Model):
    offices: list[Office] = Field(min_length=1, max_length=50)
    services: list[Service] = Field(max_length=200)

    @model_validator(mode="after")
    def _references(self) -> ServicesPayload:
        office_ids = [o.id for o in self.offices]
        if len(set(office_ids)) != len(office_ids):
            raise ValueError("an office id is repeated")
        ids = [s.id for s in self.services]
        if len(set(ids)) != len(ids):
            raise ValueError("a service id is repeated")
        for s in self.services:
            if s.office not in office_ids:
                raise ValueError(f"service {s.id} names unknown office {s.office}")
        return self


@dataclass(frozen=True, slots=True)
class ServicesCatalog:
    version: int
    payload: ServicesPayload

    @property
    def offered(self) -> list[Service]:
        return [s for s in self.payload.services if not s.withdrawn]

    def service(self, service_id: str) -> Service:
        """A service by id, for a request: a withdrawn or unknown one is refused in plain words."""
        for s in self.payload.services:
            if s.id == service_id:
                if s.withdrawn:
                    raise UserFacingError("service.withdrawn", name=s.name.zh)
                return s
        raise UserFacingError("service.unknown")

    def office(self, office_id: str) -> Office:
        for o in self.payload.offices:
            if o.id == office_id:
                return o
        raise InvalidServices(f"no office {office_id[:64]!r} in services catalog version {self.version}")


def parse_services(payload: Mapping[str, Any], version: int) -> ServicesCatalog:
    """Check a services payload; InvalidServices naming the first thing wrong."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidServices(f"services catalog version {version!r} is not a positive integer")
    try:
        return ServicesCatalog(version, ServicesPayload.model_validate(dict(payload)))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidServices(f"services v{version}: {where}: {first['msg']}") from exc
    except KioskError as exc:  # an unknown vct, raised inside a validator
        raise InvalidServices(f"services v{version}: {exc}") from exc


def load_services(conn: sqlite3.Connection) -> ServicesCatalog:
    """The services catalog the kiosk holds; `service.no_catalog` if none arrived yet or it does not fit."""
    found = deliveries.broadcast(conn, BROADCAST_KIND)
    if found is None or not isinstance(found.payload, Mapping):
        raise UserFacingError("service.no_catalog")
    try:
        return parse_services(found.payload, found.version)
    except InvalidServices as exc:
        logger.warning("the services catalog held here is not valid: %s", exc)
        raise UserFacingError("service.no_catalog") from exc
