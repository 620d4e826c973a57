"""The small part of JOSE we need, on our own signature suites: JWKs, algorithms, compact JWS.

Holder and issuer keys are `Signer`s of `kiosk.crypto.suites` (a villager key is only ever a Signer after the
PIN opened it), so JWS signatures are made here over the JWS signing input rather than by handing a private
key to a JOSE library. Ed25519 is `EdDSA`, P-256 is `ES256` (signatures raw r‖s, which is what JWS wants).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.credentials.errors import BadSignature, MalformedCredential
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import KioskError

ALG_OF_SUITE = {"ed25519": "EdDSA", "ecdsa-p256": "ES256"}
SUITE_OF_ALG = {alg: suite for suite, alg in ALG_OF_SUITE.items()}
_OPTIONAL_JWK = frozenset({"kid", "alg", "use", "key_ops"})


def alg_for(suite: str) -> str:
    try:
        return ALG_OF_SUITE[suite]
    except KeyError:
        raise MalformedCredential(f"no JOSE algorithm for suite {suite[:30]!r}") from None


def public_jwk(suite: str, public_key: bytes) -> dict[str, str]:
    """The public JWK of a raw suite key (P-256 keys are stored compressed; a JWK carries x and y)."""
    if suite == "ed25519":
        return {"crv": "Ed25519", "kty": "OKP", "x": b64u(public_key)}
    if suite == "ecdsa-p256":
        try:
            numbers = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key).public_numbers()
        except ValueError as exc:
            raise MalformedCredential("not a P-256 public key") from exc
        return {
            "crv": "P-256",
            "kty": "EC",
            "x": b64u(numbers.x.to_bytes(32, "big")),
            "y": b64u(numbers.y.to_bytes(32, "big")),
        }
    raise MalformedCredential(f"no JWK for suite {suite[:30]!r}")


def _coordinate(jwk: Mapping[str, Any], name: str) -> bytes:
    value = jwk.get(name)
    if not isinstance(value, str):
        raise MalformedCredential(f"JWK member {name} is missing")
    try:
        raw = unb64u(value)
    except KioskError as exc:
        raise MalformedCredential(f"JWK member {name} is not base64url") from exc
    if len(raw) != 32:
        raise MalformedCredential(f"JWK member {name} has the wrong length")
    return raw


def key_of_jwk(jwk: object) -> tuple[str, bytes]:
    """(suite, raw public key as the suite takes it) of an Ed25519 or P-256 public JWK; private JWKs are refused."""
    if not isinstance(jwk, Mapping):
        raise MalformedCredential("a JWK must be an object")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP" and crv == "Ed25519":
        members = {"kty", "crv", "x"}
        suite, key = "ed25519", _coordinate(jwk, "x")
    elif kty == "EC" and crv == "P-256":
        members = {"kty", "crv", "x", "y"}
        x, y = _coordinate(jwk, "x"), _coordinate(jwk, "y")
        try:
            point = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1())
            key = point.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )
        except ValueError as exc:
            raise MalformedCredential("the JWK is not a point on P-256") from exc
        suite = "ecdsa-p256"
    else:
        raise MalformedCredential("only Ed25519 (OKP) and P-256 (EC) public JWKs are accepted")
    extra = set(jwk) - members - _OPTIONAL_JWK
    if extra:  # "d" above all: a private key has no business in a credential or a trust list
        raise MalformedCredential("the JWK has members a public key does not have")
    return suite, key


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url): a stable key id for a public key."""
    suite, _ = key_of_jwk(jwk)
    names = ("crv", "kty", "x") if suite == "ed25519" else ("crv", "kty", "x", "y")
    text = json.dumps({n: jwk[n] for n in names}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(text.encode("ascii")).digest())


# --- compact JWS ------------------------------------------------------------------------------------------


def _b64json(value: Mapping[str, Any]) -> str:
    return b64u(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def sign_compact(header: Mapping[str, Any], payload: Mapping[str, Any], signer: Signer) -> str:
    """A compact JWS of `payload`, signed by `signer`; `alg` is set from the signer's suite."""
    protected = {**header, "alg": alg_for(signer.suite.name)}
    signing_input = f"{_b64json(protected)}.{_b64json(payload)}"
    return f"{signing_input}.{b64u(signer.sign(signing_input.encode('ascii')))}"


def _part(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(unb64u(text).decode("utf-8"))
    except (KioskError, UnicodeDecodeError, ValueError) as exc:
        raise MalformedCredential(f"the {what} is not base64url JSON") from exc
    if not isinstance(value, dict):
        raise MalformedCredential(f"the {what} is not a JSON object")
    return value


def split_compact(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS, without checking the signature."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]) or not token.isascii():
        raise MalformedCredential("not a compact JWS")
    try:
        signature = unb64u(parts[2])
    except KioskError as exc:
        raise MalformedCredential("the JWS signature is not base64url") from exc
    header, payload = _part(parts[0], "JWS header"), _part(parts[1], "JWS payload")
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def verify_compact(token: str, jwk: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a compact JWS whose signature verifies under `jwk` with the key's own algorithm."""
    header, payload, signing_input, signature = split_compact(token)
    suite, key = key_of_jwk(jwk)
    if header.get("alg") != ALG_OF_SUITE[suite]:  # no algorithm confusion: the key decides, not the header
        raise BadSignature(f"alg {str(header.get('alg'))[:20]!r} does not fit the {suite} key")
    if "crit" in header:
        raise MalformedCredential("critical JWS header extensions are not supported")
    try:
        get_suite(suite).verify(key, signing_input, signature)
    except KioskError as exc:
        raise BadSignature("the JWS signature does not verify") from exc
    return header, payload
