"""Presentation requests: what a verifier asks a villager to show, as a compact JWS signed by the verifier.

Read from a QR (or an inbox item), checked against the trust list before anything is shown to the villager:
the signature must be by the key the trust list holds for the verifier, and the verifier must be allowed to
ask for every claim it names. `typ` is `lxt-pr+jwt`; the payload:

    {"iss": verifier id, "purpose": "…", "vct": "…", "claims": ["…"], "accept": {"issuers": […], "grades": […]},
     "nonce": "…", "aud": "…", "iat": s, "exp": s, "response": "qr" | "county"}

`response: "county"` asks for the presentation sealed to the verifier's encryption key (`enc` in its trust
list entry) and delivered through the county (`presentation.deliver`); a verifier without one cannot ask so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.credentials import jose
from kiosk.credentials.errors import (
    BadSignature,
    CredentialNotYetValid,
    MalformedCredential,
    NoDeliveryKey,
    OversizedInput,
    RequestExpired,
)
from kiosk.credentials.kinds import kind_of
from kiosk.credentials.sdjwt import CLOCK_SKEW_S, MAX_QR_BYTES
from kiosk.credentials.trust import TrustList, VerifierEntry
from kiosk.crypto.suites import Signer

TYP = "lxt-pr+jwt"
MAX_REQUEST_LIFETIME_S = 86_400  # a request is for now, not a standing permission


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Accept(_Model):
    issuers: list[str] = Field(default_factory=list, max_length=50, description="accepted iss values; empty: any")
    grades: list[str] = Field(default_factory=list, max_length=10, description="accepted issuer grades; empty: any")


class RequestPayload(_Model):
    iss: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=60, description="in plain words, shown and spoken")
    vct: str
    claims: list[str] = Field(min_length=1, max_length=40)
    accept: Accept = Field(default_factory=Accept)
    nonce: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    aud: str = Field(min_length=1, max_length=200, description="what the presentation's key binding must name")
    iat: int = Field(ge=0)
    exp: int = Field(ge=0)
    response: Literal["qr", "county"] = "qr"  # county: sealed to the verifier's `enc` key, relayed by the county


@dataclass(frozen=True, slots=True)
class PresentationRequest:
    """A verified request, with the trust list's entry for its verifier (the name shown to the villager)."""

    payload: RequestPayload
    verifier: VerifierEntry
    token: str

    @property
    def verifier_name(self) -> str:
        return self.verifier.name


def make_request(payload: Mapping[str, Any], signer: Signer, kid: str) -> str:
    """Sign a request (the verifier's side, and tests). The payload is validated first."""
    checked = RequestPayload.model_validate(dict(payload))
    return jose.sign_compact({"typ": TYP, "kid": kid}, checked.model_dump(), signer)


def parse_request(token: str, trust: TrustList, *, now_s: int, max_bytes: int = MAX_QR_BYTES) -> PresentationRequest:
    """Verify a request: size, shape, the verifier's signature and right to ask, and its lifetime."""
    if not isinstance(token, str):
        raise MalformedCredential("a request is text")
    if len(token) > max_bytes:
        raise OversizedInput(f"{len(token)} characters, the limit is {max_bytes}", limit=max_bytes)
    token = token.strip()
    header, unverified, _, _ = jose.split_compact(token)
    if header.get("typ") != TYP:
        raise MalformedCredential(f"a presentation request's typ is {TYP}")
    verifier_id = unverified.get("iss")
    if not isinstance(verifier_id, str):
        raise MalformedCredential("the request names no verifier")
    entry = trust.verifier(verifier_id)  # VerifierNotAllowed before any signature work for strangers
    if header.get("kid") != entry.kid:
        raise BadSignature("the request is signed with another key than the trust list holds for its verifier")
    _, raw = jose.verify_compact(token, entry.jwk)
    try:
        payload = RequestPayload.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise MalformedCredential("request: " + ".".join(str(p) for p in first["loc"]) + ": " + first["msg"]) from exc
    _check_times(payload, now_s)
    trust.check_request_right(entry.id, payload.vct, payload.claims)
    if payload.response == "county" and entry.enc is None:
        raise NoDeliveryKey(f"{entry.id[:60]} has no encryption key in the trust list to deliver through the county")
    return PresentationRequest(payload, entry, token)


def request_id(token: str) -> str:
    """A request's id: hex SHA-256 of its compact form (what `presentation.deliver` names, and the office files)."""
    return hashlib.sha256(token.strip().encode("ascii")).hexdigest()


def _check_times(payload: RequestPayload, now_s: int) -> None:
    if not set(payload.claims) <= set(kind_of(payload.vct).schema.model_fields):
        raise MalformedCredential("the request names claims its credential type does not have")
    if payload.exp <= payload.iat or payload.exp - payload.iat > MAX_REQUEST_LIFETIME_S:
        raise MalformedCredential("the request's lifetime is not between 0 and a day")
    if now_s >= payload.exp + CLOCK_SKEW_S:
        raise RequestExpired("the request has expired")
    if payload.iat > now_s + CLOCK_SKEW_S:
        raise CredentialNotYetValid("the request is from the future")
