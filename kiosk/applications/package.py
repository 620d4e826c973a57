"""HPKE sealing of what only the receiving party (a bank, an office) may read, shared by loans and services.

RFC 9180 base mode, the suite of kiosk/identity/evidence.py, to the party's X25519 key from its signed catalog.
The application or request number is bound in as HPKE `info` (with the kind's own label), so a package cannot be
moved onto another one. What the package holds besides the presentations and the page JPEGs is the kind's own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.errors import KioskError, VerificationError
from kiosk.identity.evidence import ALG, key_id

_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
# bytes of page JPEGs per application or request: the sealed package must fit one MQTT message
MATERIALS_BUDGET = 150_000


@dataclass(frozen=True, slots=True)
class Names:
    """How errors name the sealed thing ("the package", "the request") and its content ("the request package")."""

    sealed: str
    content: str


@dataclass(frozen=True, slots=True, repr=False)
class Opened:
    data: Mapping[str, Any]  # the whole plaintext object, for the kind's own parts
    presentations: tuple[str, ...]
    materials: dict[str, bytes]  # material id → page JPEG

    def __repr__(self) -> str:
        return f"Opened({len(self.presentations)} presentations, {len(self.materials)} pages)"


def page_digest(jpeg: bytes) -> str:
    return hashlib.sha256(jpeg).hexdigest()


def party_public_key(key_b64u: str, where: str) -> X25519PublicKey:
    """The party's key from its catalog; `where` names it in the error ("the bank's key in the catalog")."""
    try:
        return X25519PublicKey.from_public_bytes(unb64u(key_b64u))
    except (KioskError, ValueError) as exc:
        raise VerificationError(f"{where} is not an X25519 key") from exc


def seal(
    extra: Mapping[str, Any],
    presentations: tuple[str, ...],
    materials: Mapping[str, bytes],
    key: X25519PublicKey,
    info: bytes,
) -> dict[str, str]:
    plain = canonical.dumps(
        {
            **extra,
            "presentations": list(presentations),
            "materials": {k: b64u(v) for k, v in sorted(materials.items())},
        }
    )
    return {"alg": ALG, "kid": key_id(key), "ct": b64u(_SUITE.encrypt(plain, key, info=info))}


def open_sealed(sealed: Mapping[str, Any], private: X25519PrivateKey, info: bytes, names: Names) -> Opened:
    """The party's side; VerificationError if it is not for this key and `info`, or not a package."""
    if sealed.get("alg") != ALG or sealed.get("kid") != key_id(private.public_key()):
        raise VerificationError(f"{names.sealed} is sealed to another key")
    try:
        plain = _SUITE.decrypt(unb64u(str(sealed.get("ct"))), private, info=info)
    except Exception as exc:  # the HPKE binding has its own error types; any failure means "does not open"
        raise VerificationError(f"{names.sealed} does not open with this key") from exc
    data = canonical.loads(plain)
    if not isinstance(data, dict):
        raise VerificationError(f"{names.content} is not an object")
    pres, mats = data.get("presentations"), data.get("materials")
    if not isinstance(pres, list) or not all(isinstance(p, str) for p in pres) or not isinstance(mats, dict):
        raise VerificationError(f"{names.content} has the wrong shape")
    return Opened(data, tuple(pres), {str(k): unb64u(str(v)) for k, v in mats.items()})
