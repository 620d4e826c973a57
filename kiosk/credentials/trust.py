"""The trust list: which issuer may issue which vct, and which verifier may ask for which claims.

The county pushes it as the signed broadcast of kind `trust` (docs/protocol.md); the sync daemon checks the
county's signature and stores the payload in the `broadcast` table, where `load` reads it. The same payload,
as a JSON file, is what the county's verifier tooling uses. Validated strictly at the border.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.credentials import jose
from kiosk.credentials.errors import MalformedCredential, UntrustedIssuer, VerifierNotAllowed
from kiosk.credentials.kinds import kind_of
from kiosk.crypto.encoding import unb64u
from kiosk.errors import KioskError
from kiosk.store import deliveries

BROADCAST_KIND = "trust"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _checked_jwk(jwk: dict[str, Any]) -> dict[str, Any]:
    try:
        jose.key_of_jwk(jwk)
    except KioskError as exc:
        raise ValueError(str(exc)) from exc
    return jwk


class IssuerEntry(_Model):
    id: str = Field(min_length=1, max_length=200, description="the `iss` its credentials carry (a DID or URL)")
    kid: str = Field(min_length=1, max_length=100, description="the `kid` in its credentials' JWS header")
    jwk: dict[str, Any] = Field(description="its public key: Ed25519 (OKP) or P-256 (EC)")
    name: str = Field(min_length=1, max_length=60, description="shown to villagers, e.g. 望京医院")
    grade: str | None = Field(None, max_length=10, description="e.g. 三甲 for a hospital")
    vct: list[str] = Field(min_length=1, max_length=20, description="the credential types it may issue")

    _jwk = field_validator("jwk")(_checked_jwk)


class RequestRight(_Model):
    vct: str
    claims: list[str] = Field(min_length=1, max_length=40)


def _checked_enc(enc: str | None) -> str | None:
    if enc is not None:
        try:
            X25519PublicKey.from_public_bytes(unb64u(enc))
        except (KioskError, ValueError) as exc:
            raise ValueError("enc is not an X25519 public key (32 bytes, base64url)") from exc
    return enc


class VerifierEntry(_Model):
    id: str = Field(min_length=1, max_length=200, description="the verifier's id; the `aud` of presentations")
    kid: str = Field(min_length=1, max_length=100)
    jwk: dict[str, Any]
    name: str = Field(min_length=1, max_length=60, description="shown in the preview, e.g. 交通局")
    may_request: list[RequestRight] = Field(min_length=1, max_length=40)
    # Where presentations delivered through the county are sealed to (HPKE); without it, QR only.
    enc: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{43}$", description="X25519 public key, base64url")

    _jwk = field_validator("jwk")(_checked_jwk)
    _enc = field_validator("enc")(_checked_enc)

    def enc_key(self) -> X25519PublicKey | None:
        return None if self.enc is None else X25519PublicKey.from_public_bytes(unb64u(self.enc))


class TrustListPayload(_Model):
    v: Literal[1]
    county: str = Field(pattern=r"^[0-9]{6}$")
    issued_ms: int = Field(ge=0)
    issuers: list[IssuerEntry] = Field(max_length=2000)
    verifiers: list[VerifierEntry] = Field(max_length=2000)


@dataclass(frozen=True, slots=True)
class TrustList:
    """Look-ups over a validated trust list."""

    payload: TrustListPayload

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrustList:
        try:
            payload = TrustListPayload.model_validate(dict(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise MalformedCredential(
                "trust list: " + ".".join(str(p) for p in first["loc"]) + ": " + first["msg"]
            ) from exc
        for issuer in payload.issuers:
            for vct in issuer.vct:
                kind_of(vct)
        for verifier in payload.verifiers:
            for right in verifier.may_request:
                known = set(kind_of(right.vct).schema.model_fields)
                if not set(right.claims) <= known:
                    raise MalformedCredential(f"trust list: verifier {verifier.id[:40]} names claims {right.vct} lacks")
        return cls(payload)

    def issuer(self, iss: str, kid: str | None, vct: str) -> IssuerEntry:
        """The entry that lets `iss` (with this key id) issue `vct`; UntrustedIssuer if there is none."""
        for entry in self.payload.issuers:
            if entry.id == iss and (kid is None or entry.kid == kid) and vct in entry.vct:
                return entry
        raise UntrustedIssuer(f"{iss[:60]} may not issue {vct[:60]}")

    def issuer_key(self, iss: str, kid: str | None, vct: str) -> Mapping[str, Any]:
        """An `IssuerKeyLookup` for `kiosk.credentials.sdjwt.verify`."""
        return self.issuer(iss, kid, vct).jwk

    def issuers_named(self, iss: str) -> list[IssuerEntry]:
        return [e for e in self.payload.issuers if e.id == iss]

    def verifier(self, verifier_id: str) -> VerifierEntry:
        for entry in self.payload.verifiers:
            if entry.id == verifier_id:
                return entry
        raise VerifierNotAllowed(f"{verifier_id[:60]} is not on the trust list")

    def check_request_right(self, verifier_id: str, vct: str, claims: list[str]) -> VerifierEntry:
        """The verifier's entry if it may ask for all of `claims` of `vct`; VerifierNotAllowed otherwise."""
        entry = self.verifier(verifier_id)
        allowed = {c for r in entry.may_request if r.vct == vct for c in r.claims}
        if not allowed:
            raise VerifierNotAllowed(f"{verifier_id[:60]} may not ask for {vct[:60]}")
        extra = set(claims) - allowed
        if extra:
            raise VerifierNotAllowed(f"{verifier_id[:60]} may not ask for {len(extra)} of these claims")
        return entry


def load(conn: sqlite3.Connection) -> TrustList | None:
    """The trust list the county last broadcast, or None if this kiosk has not received one yet."""
    found = deliveries.broadcast(conn, BROADCAST_KIND)
    return None if found is None else TrustList.from_json(found.payload)
