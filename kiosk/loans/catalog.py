"""The loan catalog: the county's signed, versioned `catalog` broadcast of banks and their loan products.

The sync daemon verifies the county's signature and keeps only newer versions (sync/downlink.py) before a
catalog reaches the `broadcast` table; this module checks the payload's meaning (docs/protocol.md, "The loan
catalog") and answers what the loan flow asks: which products are on offer, is an amount in range, which
claims of which credentials does a product need.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kiosk.credentials.kinds import kind_of
from kiosk.errors import DomainError, KioskError, UserFacingError
from kiosk.loans.eligibility import Rule, needs
from kiosk.loans.money import check_fen, format_fen
from kiosk.store import deliveries

logger = logging.getLogger(__name__)

BROADCAST_KIND = "catalog"
_ID = r"^[a-z0-9][a-z0-9_.:-]{1,63}$"
_B64U = r"^[A-Za-z0-9_-]+$"


class InvalidCatalog(DomainError):
    """A catalog payload that does not fit docs/protocol.md (its signature and version were checked already)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Bank(_Model):
    id: str = Field(pattern=_ID, description="the bank's id; also the audience of the presentations it receives")
    name: str = Field(min_length=1, max_length=40)
    key: str = Field(pattern=_B64U, min_length=43, max_length=43, description="X25519 public key, base64url")


class RequiredCredential(_Model):
    vct: str
    claims: list[str] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _known(self) -> RequiredCredential:
        fields = kind_of(self.vct).schema.model_fields  # UnknownCredentialType for an unknown vct
        unknown = [c for c in self.claims if c not in fields]
        if unknown or len(set(self.claims)) != len(self.claims):
            raise ValueError(f"{self.vct}: unknown or repeated claims {unknown}")
        return self


class Material(_Model):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=30, description="what to photograph, e.g. 营业执照")


class Product(_Model):
    id: str = Field(pattern=_ID)
    bank: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=30)
    purpose: str = Field(min_length=1, max_length=60)
    amount_min_fen: int = Field(ge=100, le=10**12)
    amount_max_fen: int = Field(ge=100, le=10**12)
    term_months: list[int] = Field(min_length=1, max_length=12)
    rate_bp: int = Field(ge=0, le=3600, description="yearly rate in basis points: 435 = 4.35%")
    credentials: list[RequiredCredential] = Field(min_length=1, max_length=7)
    materials: list[Material] = Field(default_factory=list, max_length=6)
    eligibility: list[Rule] = Field(default_factory=list, max_length=12)
    withdrawn: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        if self.amount_min_fen > self.amount_max_fen:
            raise ValueError("amount_min_fen is above amount_max_fen")
        if len(set(self.term_months)) != len(self.term_months) or not all(1 <= t <= 360 for t in self.term_months):
            raise ValueError("term_months must be distinct and 1–360")
        vcts = [c.vct for c in self.credentials]
        if len(set(vcts)) != len(vcts):
            raise ValueError("a credential type is required twice")
        if len({m.id for m in self.materials}) != len(self.materials):
            raise ValueError("a material id is repeated")
        asked = {(c.vct, claim) for c in self.credentials for claim in c.claims}
        for rule in self.eligibility:
            vct, claim = needs(rule)
            if (vct.value, claim) not in asked:  # the bank could not check what it is not shown
                raise ValueError(f"rule {rule.rule} reads {vct.value} {claim}, which the product does not ask for")
        return self

    @property
    def required_claims(self) -> dict[str, list[str]]:
        return {c.vct: list(c.claims) for c in self.credentials}

    def check_amount(self, amount_fen: object) -> int:
        fen = check_fen(amount_fen)
        if not self.amount_min_fen <= fen <= self.amount_max_fen:
            raise UserFacingError(
                "loan.amount.out_of_range", low=format_fen(self.amount_min_fen), high=format_fen(self.amount_max_fen)
            )
        return fen

    def check_term(self, months: object) -> int:
        if isinstance(months, bool) or not isinstance(months, int) or months not in self.term_months:
            raise UserFacingError("loan.term.not_offered", terms="、".join(f"{t}个月" for t in self.term_months))
        return months

    def amount_range_text(self) -> str:
        return f"{format_fen(self.amount_min_fen)}–{format_fen(self.amount_max_fen)}"


class CatalogPayload(_Model):
    banks: list[Bank] = Field(min_length=1, max_length=50)
    products: list[Product] = Field(max_length=200)

    @model_validator(mode="after")
    def _references(self) -> CatalogPayload:
        bank_ids = [b.id for b in self.banks]
        if len(set(bank_ids)) != len(bank_ids):
            raise ValueError("a bank id is repeated")
        ids = [p.id for p in self.products]
        if len(set(ids)) != len(ids):
            raise ValueError("a product id is repeated")
        for p in self.products:
            if p.bank not in bank_ids:
                raise ValueError(f"product {p.id} names unknown bank {p.bank}")
        return self


@dataclass(frozen=True, slots=True)
class Catalog:
    version: int
    payload: CatalogPayload

    @property
    def offered(self) -> list[Product]:
        """Products a villager may apply for now: the withdrawn ones are not listed."""
        return [p for p in self.payload.products if not p.withdrawn]

    def product(self, product_id: str) -> Product:
        """A product by id, for applying: a withdrawn or unknown one is refused in plain words."""
        for p in self.payload.products:
            if p.id == product_id:
                if p.withdrawn:
                    raise UserFacingError("loan.product.withdrawn", name=p.name)
                return p
        raise UserFacingError("loan.product.unknown")

    def bank(self, bank_id: str) -> Bank:
        for b in self.payload.banks:
            if b.id == bank_id:
                return b
        raise InvalidCatalog(f"no bank {bank_id[:64]!r} in catalog version {self.version}")


def parse_catalog(payload: Mapping[str, Any], version: int) -> Catalog:
    """Check a catalog payload; InvalidCatalog naming the first thing wrong."""
    try:
        return Catalog(version, CatalogPayload.model_validate(dict(payload)))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidCatalog(f"catalog v{version}: {where}: {first['msg']}") from exc
    except KioskError as exc:  # an unknown vct, raised inside a validator
        raise InvalidCatalog(f"catalog v{version}: {exc}") from exc


def load_catalog(conn: sqlite3.Connection) -> Catalog:
    """The catalog the kiosk holds; `loan.no_catalog` if none arrived yet or the county sent a bad one."""
    found = deliveries.broadcast(conn, BROADCAST_KIND)
    if found is None or not isinstance(found.payload, Mapping):
        raise UserFacingError("loan.no_catalog")
    try:
        return parse_catalog(found.payload, found.version)
    except InvalidCatalog as exc:
        logger.warning("the loan catalog held here is not valid: %s", exc)
        raise UserFacingError("loan.no_catalog") from exc
