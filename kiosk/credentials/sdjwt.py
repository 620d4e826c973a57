"""SD-JWT VC with key binding, on the reference `sd-jwt` library, with what it lacks added here.

The library makes the disclosures, selects them for a presentation and checks the issuer's signature and the
digests. This module adds: the SD-JWT VC `typ` (`dc+sd-jwt`) and `vct`; `iss`, `iat`, `nbf`, `exp` checked
against our clock; holder binding through `cnf.jwk` (the villager key); a key-binding JWT made with our own
`Signer` (so the private key never leaves the unlocked signer) and checked for `typ`, algorithm, signature,
`iat` freshness, `nonce`, `aud` and `sd_hash`; disclosures that no signed digest references are refused (the
library ignores them silently); a size limit; and every failure as a `CredentialError` with its reason.

Compact form only: ``<issuer JWT>~<disclosure>~…~<KB-JWT or empty>``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from jwcrypto.common import JWException
from jwcrypto.jwk import JWK
from jwcrypto.jws import InvalidJWSSignature
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from kiosk.credentials import jose
from kiosk.credentials.errors import (
    BadSignature,
    CredentialError,
    CredentialExpired,
    CredentialNotYetValid,
    ForgedDisclosure,
    MalformedCredential,
    NoQualifyingCredential,
    NotBoundToHolder,
    OversizedInput,
    StaleKeyBinding,
    WrongAudience,
    WrongNonce,
)
from kiosk.crypto.suites import Signer

TYP = "dc+sd-jwt"
KB_TYP = "kb+jwt"
MAX_CREDENTIAL_BYTES = 16_384  # an inbox delivery; a credential is ~1–3 KB
MAX_QR_BYTES = 2_953  # the most a QR code holds at all (version 40-L, bytes): anything longer was not a QR
CLOCK_SKEW_S = 300  # kiosk clocks may lag (DESIGN §6); so may a phone's
KB_MAX_AGE_S = 600  # a key-binding JWT older than this is a replay, not a villager at the kiosk now

# Claims that stay visible (never selectively disclosed) and that no disclosure may name.
REGISTERED = frozenset({"iss", "iat", "nbf", "exp", "vct", "cnf", "status", "sub", "_sd", "_sd_alg", "..."})


@dataclass(frozen=True, slots=True)
class StatusRef:
    """Where a credential's status lives: entry `idx` of the token status list at `uri`."""

    uri: str
    idx: int

    def to_json(self) -> dict[str, Any]:
        return {"status_list": {"idx": self.idx, "uri": self.uri}}


@dataclass(frozen=True, slots=True)
class VerifiedSdJwt:
    """An SD-JWT VC whose issuer signature, digests and validity times were checked."""

    header: dict[str, Any]
    payload: dict[str, Any]  # as signed, with `_sd` digests
    claims: dict[str, Any]  # the disclosed subject claims only (no iss, vct, cnf, …)
    iss: str
    vct: str
    iat: int
    nbf: int | None
    exp: int | None
    holder_jwk: dict[str, Any]
    status: StatusRef | None
    issuer_jwt: str
    disclosures: tuple[str, ...]
    kb_payload: dict[str, Any] | None  # the key-binding JWT's payload, when one was checked

    @property
    def issued_form(self) -> str:
        """The credential as the issuer handed it over (no key binding)."""
        return "~".join((self.issuer_jwt, *self.disclosures, ""))


# Given (iss, kid from the header, vct): the issuer's public JWK, or raise UntrustedIssuer.
IssuerKeyLookup = Callable[[str, str | None, str], Mapping[str, Any]]


# --- issuing -----------------------------------------------------------------------------------------------


class _Issuer(SDJWTIssuer):  # type: ignore[misc]  # the library is untyped
    """The library's issuer, signing with our Signer instead of a JOSE private key."""

    def _create_signed_jws(self) -> None:
        self.serialized_sd_jwt = jose.sign_compact(self._extra_header_parameters, self.sd_jwt_payload, self._issuer_key)


def issue(
    *,
    signer: Signer,
    iss: str,
    kid: str,
    vct: str,
    claims: Mapping[str, Any],
    holder_jwk: Mapping[str, Any],
    iat: int,
    exp: int | None,
    nbf: int | None = None,
    status: StatusRef | None = None,
) -> str:
    """An SD-JWT VC in issued form (ending with `~`): every subject claim selectively disclosable."""
    clash = REGISTERED & set(claims)
    if clash:
        raise MalformedCredential(f"subject claims may not use registered names: {sorted(clash)}")
    jose.key_of_jwk(holder_jwk)  # refuses a private or foreign key before it is bound for good
    user: dict[Any, Any] = {"iss": iss, "iat": iat, "vct": vct, "cnf": {"jwk": dict(holder_jwk)}}
    if exp is not None:
        user["exp"] = exp
    if nbf is not None:
        user["nbf"] = nbf
    if status is not None:
        user["status"] = status.to_json()
    user.update({SDObj(name): value for name, value in claims.items()})
    issuer = _Issuer(user, signer, extra_header_parameters={"typ": TYP, "kid": kid})
    return str(issuer.sd_jwt_issuance)


# --- presenting --------------------------------------------------------------------------------------------


def _b64sha(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode("ascii")).digest()).decode().rstrip("=")


def sd_hash(presented_without_kb: str) -> str:
    """`sd_hash` of the key-binding JWT: SHA-256 over everything up to and including the last `~`."""
    return _b64sha(presented_without_kb)


def present(credential: str, disclose: Iterable[str], *, nonce: str, aud: str, signer: Signer, now_s: int) -> str:
    """A presentation revealing only the claims named in `disclose`, key-bound by the holder's `signer`.

    The signer must be the key the credential is bound to; it is checked before anything is signed.
    """
    parsed = parse(credential, max_bytes=MAX_CREDENTIAL_BYTES)
    cnf = _cnf_jwk(parsed.payload)
    if jose.key_of_jwk(cnf) != (signer.suite.name, signer.public_key):
        raise NotBoundToHolder("the signer is not the key this credential is bound to")
    wanted = list(dict.fromkeys(disclose))
    available = {d[1] for d in parsed.decoded if len(d) == 3}
    missing = [name for name in wanted if name not in available]
    if missing:
        raise NoQualifyingCredential(f"the credential does not hold {len(missing)} of the claims asked for")
    holder = SDJWTHolder(parsed.issued_form)
    holder.create_presentation({name: True for name in wanted})
    body = str(holder.sd_jwt_presentation)  # no KB yet: ends with "~"
    kb = jose.sign_compact(
        {"typ": KB_TYP}, {"aud": aud, "iat": now_s, "nonce": nonce, "sd_hash": sd_hash(body)}, signer
    )
    return body + kb


# --- parsing and verifying ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parsed:
    issuer_jwt: str
    header: dict[str, Any]
    payload: dict[str, Any]
    disclosures: tuple[str, ...]
    decoded: tuple[tuple[Any, ...], ...]
    kb_jwt: str

    @property
    def issued_form(self) -> str:
        return "~".join((self.issuer_jwt, *self.disclosures, ""))


def _decode_disclosure(text: str) -> tuple[Any, ...]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedCredential("a disclosure is not base64url JSON") from exc
    if "=" in text or not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str):
        raise MalformedCredential("a disclosure is not [salt, name, value] or [salt, value]")
    if len(value) == 3 and (not isinstance(value[1], str) or value[1] in REGISTERED):
        raise MalformedCredential("a disclosure names a claim that cannot be disclosed")
    return tuple(value)


def parse(token: str, *, max_bytes: int) -> _Parsed:
    """Split and decode without checking signatures: the shape, the size, the typ."""
    if not isinstance(token, str):
        raise MalformedCredential("a credential is text")
    if len(token) > max_bytes:
        raise OversizedInput(f"{len(token)} characters, the limit is {max_bytes}", limit=max_bytes)
    token = token.strip()
    if not token.isascii() or "~" not in token:
        raise MalformedCredential("not an SD-JWT (no ~ separators)")
    issuer_jwt, *disclosures, kb_jwt = token.split("~")
    header, payload, _, _ = jose.split_compact(issuer_jwt)
    if header.get("typ") != TYP:
        raise MalformedCredential(f"typ must be {TYP}")
    if any(not d for d in disclosures):
        raise MalformedCredential("an empty disclosure")
    decoded = tuple(_decode_disclosure(d) for d in disclosures)
    return _Parsed(issuer_jwt, header, payload, tuple(disclosures), decoded, kb_jwt)


def _cnf_jwk(payload: Mapping[str, Any]) -> dict[str, Any]:
    cnf = payload.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if not isinstance(jwk, dict):
        raise NotBoundToHolder("the credential carries no holder key (cnf.jwk)")
    jose.key_of_jwk(jwk)
    return jwk


def _numeric_date(payload: Mapping[str, Any], name: str) -> int:
    value = payload.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MalformedCredential(f"{name} must be a NumericDate (integer seconds)")
    return value


def _optional_date(payload: Mapping[str, Any], name: str) -> int | None:
    return None if payload.get(name) is None else _numeric_date(payload, name)


def _check_times(payload: Mapping[str, Any], now_s: int, skew_s: int) -> tuple[int, int | None, int | None]:
    iat, nbf, exp = _numeric_date(payload, "iat"), _optional_date(payload, "nbf"), _optional_date(payload, "exp")
    if exp is not None and now_s >= exp + skew_s:
        raise CredentialExpired("the credential has expired")
    if iat > now_s + skew_s or (nbf is not None and nbf > now_s + skew_s):
        raise CredentialNotYetValid("the credential is not valid yet")
    return iat, nbf, exp


def _status_ref(payload: Mapping[str, Any]) -> StatusRef | None:
    status = payload.get("status")
    if status is None:
        return None
    entry = status.get("status_list") if isinstance(status, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("uri"), str):
        raise MalformedCredential("status must be {status_list: {idx, uri}}")
    idx = entry.get("idx")
    if not isinstance(idx, int) or isinstance(idx, bool) or idx < 0:
        raise MalformedCredential("status_list.idx must be a non-negative integer")
    return StatusRef(str(entry["uri"]), idx)


def _referenced(value: Any, by_hash: Mapping[str, tuple[Any, ...]], seen: set[str]) -> None:
    """Collect every digest reachable from `value` through `_sd` arrays and `{"...": digest}` elements."""
    if isinstance(value, dict):
        digests = value.get("_sd", [])
        if "..." in value and len(value) == 1:
            digests = [value["..."]]
        for digest in digests if isinstance(digests, list) else []:
            if isinstance(digest, str) and digest in by_hash and digest not in seen:
                seen.add(digest)
                _referenced(by_hash[digest][-1], by_hash, seen)
        for key, item in value.items():
            if key not in ("_sd", "..."):
                _referenced(item, by_hash, seen)
    elif isinstance(value, list):
        for item in value:
            _referenced(item, by_hash, seen)


def _library_verify(parsed: _Parsed, jwk: Mapping[str, Any]) -> dict[str, Any]:
    """The issuer signature and the disclosed claims, by the library; its exceptions become ours."""
    key = JWK.from_json(json.dumps(dict(jwk)))
    try:
        verifier = SDJWTVerifier(parsed.issued_form, lambda _iss, _header: key)
        claims = verifier.get_verified_payload()
    except InvalidJWSSignature as exc:
        raise BadSignature("the issuer's signature does not verify") from exc
    except (JWException, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise MalformedCredential(f"the SD-JWT does not verify: {type(exc).__name__}") from exc
    if not isinstance(claims, dict):
        raise MalformedCredential("the SD-JWT payload is not an object")
    return claims


def verify(
    token: str,
    issuer_key: IssuerKeyLookup,
    *,
    now_s: int,
    max_bytes: int = MAX_CREDENTIAL_BYTES,
    skew_s: int = CLOCK_SKEW_S,
) -> VerifiedSdJwt:
    """Check an SD-JWT VC (issued form or presentation) up to, not including, the key binding."""
    parsed = parse(token, max_bytes=max_bytes)
    iss, vct = parsed.payload.get("iss"), parsed.payload.get("vct")
    if not isinstance(iss, str) or not iss or not isinstance(vct, str) or not vct:
        raise MalformedCredential("iss and vct must be non-empty strings")
    kid = parsed.header.get("kid")
    jwk = issuer_key(iss, kid if isinstance(kid, str) else None, vct)
    suite, _ = jose.key_of_jwk(jwk)
    if parsed.header.get("alg") != jose.ALG_OF_SUITE[suite]:  # the trusted key decides the algorithm
        raise BadSignature("the credential's alg does not fit its issuer's key")
    disclosed = _library_verify(parsed, jwk)
    by_hash = {_b64sha(d): dec for d, dec in zip(parsed.disclosures, parsed.decoded, strict=True)}
    seen: set[str] = set()
    _referenced(parsed.payload, by_hash, seen)
    if len(seen) != len(by_hash):
        raise ForgedDisclosure(f"{len(by_hash) - len(seen)} disclosure(s) are not covered by the issuer's digests")
    iat, nbf, exp = _check_times(parsed.payload, now_s, skew_s)
    return VerifiedSdJwt(
        header=parsed.header,
        payload=parsed.payload,
        claims={k: v for k, v in disclosed.items() if k not in REGISTERED},
        iss=iss,
        vct=vct,
        iat=iat,
        nbf=nbf,
        exp=exp,
        holder_jwk=_cnf_jwk(parsed.payload),
        status=_status_ref(parsed.payload),
        issuer_jwt=parsed.issuer_jwt,
        disclosures=parsed.disclosures,
        kb_payload=None,
    )


def verify_key_binding(
    token: str,
    verified: VerifiedSdJwt,
    *,
    nonce: str,
    aud: str,
    now_s: int,
    max_age_s: int = KB_MAX_AGE_S,
    skew_s: int = CLOCK_SKEW_S,
) -> VerifiedSdJwt:
    """Check the presentation's key-binding JWT against the holder key the issuer bound; returns it with kb."""
    body, _, kb_jwt = token.strip().rpartition("~")
    if not kb_jwt:
        raise NotBoundToHolder("the presentation has no key-binding JWT")
    try:
        header, payload = jose.verify_compact(kb_jwt, verified.holder_jwk)
    except CredentialError as exc:
        raise NotBoundToHolder("the key-binding JWT is not signed by the holder's key") from exc
    if header.get("typ") != KB_TYP:
        raise MalformedCredential(f"the key-binding JWT's typ must be {KB_TYP}")
    iat = _numeric_date(payload, "iat")
    if iat > now_s + skew_s or now_s - iat > max_age_s + skew_s:
        raise StaleKeyBinding("the key-binding JWT is too old or from the future")
    if payload.get("nonce") != nonce:
        raise WrongNonce("the key-binding nonce is not the one asked for")
    if payload.get("aud") != aud:
        raise WrongAudience("the key-binding audience is not this verifier")
    if payload.get("sd_hash") != sd_hash(body + "~"):
        raise NotBoundToHolder("the key binding does not cover these disclosures")
    return replace(verified, kb_payload=payload)
