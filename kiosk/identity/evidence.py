"""Enrolment evidence (card record, photo, face image) sealed to the county's enrolment key with HPKE.

RFC 9180 base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. Only the holder of the county
enrolment private key opens it; the kiosk cannot read back what it sealed. The transaction id is bound in
as HPKE `info`, so evidence cannot be moved onto another enrolment.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.errors import ConfigError, VerificationError

ALG = "hpke-x25519-sha256-aes256gcm"
_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)


def key_id(public_key: X25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _info(did: str) -> bytes:
    return b"lxt/enrolment-evidence/v1\n" + did.encode("ascii")


def seal_evidence(evidence: dict[str, Any], county_key: X25519PublicKey, did: str) -> dict[str, str]:
    """The `evidence` field of an identity.enroll body."""
    ct = _SUITE.encrypt(canonical.dumps(evidence), county_key, info=_info(did))
    return {"alg": ALG, "kid": key_id(county_key), "ct": b64u(ct)}


def open_evidence(sealed: dict[str, Any], county_private: X25519PrivateKey, did: str) -> dict[str, Any]:
    if sealed.get("alg") != ALG:
        raise VerificationError("evidence is sealed with an unknown algorithm")
    if sealed.get("kid") != key_id(county_private.public_key()):
        raise VerificationError("evidence is sealed to another county key")
    try:
        plain = _SUITE.decrypt(unb64u(str(sealed.get("ct"))), county_private, info=_info(did))
    except Exception as exc:  # the HPKE binding raises its own error types; any failure means "does not open"
        raise VerificationError("evidence does not open with this key") from exc
    value = canonical.loads(plain)
    if not isinstance(value, dict):
        raise VerificationError("evidence is not an object")
    return value


def load_public_key(path: Path) -> X25519PublicKey:
    """The county enrolment key: 32 raw bytes, or a PEM SubjectPublicKeyInfo."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(f"county enrolment key not found: {path}") from exc
    try:
        if len(data) == 32:
            return X25519PublicKey.from_public_bytes(data)
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise ConfigError(f"{path} is not an X25519 public key") from exc
    if not isinstance(key, X25519PublicKey):
        raise ConfigError(f"{path} is not an X25519 public key")
    return key


def generate_keypair() -> tuple[X25519PrivateKey, bytes]:
    """A county enrolment key pair (for the county tooling and the demo): the key and its PEM public part."""
    private = X25519PrivateKey.generate()
    pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, pem
