"""What the bank alone may read of an application: the SD-JWT presentations and the page JPEGs, sealed with
HPKE (RFC 9180 base mode, the suite of kiosk/identity/evidence.py) to the bank's key from the catalog.

The application number is bound in as HPKE `info`, so a package cannot be moved onto another application.
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
MATERIALS_BUDGET = 150_000  # bytes of page JPEGs per application: the sealed package must fit one MQTT message


@dataclass(frozen=True, slots=True, repr=False)
class Package:
    presentations: tuple[str, ...]
    materials: Mapping[str, bytes]  # material id → page JPEG

    def __repr__(self) -> str:
        return f"Package({len(self.presentations)} presentations, {len(self.materials)} pages)"


def _info(application: str) -> bytes:
    return b"lxt/loan-apply/v1\n" + application.encode("ascii")


def bank_public_key(key_b64u: str) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(unb64u(key_b64u))
    except (KioskError, ValueError) as exc:
        raise VerificationError("the bank's key in the catalog is not an X25519 key") from exc


def page_digest(jpeg: bytes) -> str:
    return hashlib.sha256(jpeg).hexdigest()


def seal_package(package: Package, bank_key: X25519PublicKey, application: str) -> dict[str, str]:
    plain = canonical.dumps(
        {
            "presentations": list(package.presentations),
            "materials": {k: b64u(v) for k, v in sorted(package.materials.items())},
        }
    )
    return {"alg": ALG, "kid": key_id(bank_key), "ct": b64u(_SUITE.encrypt(plain, bank_key, info=_info(application)))}


def open_package(sealed: Mapping[str, Any], bank_private: X25519PrivateKey, application: str) -> Package:
    """The bank's side; VerificationError if it is not for this key and application, or not a package."""
    if sealed.get("alg") != ALG or sealed.get("kid") != key_id(bank_private.public_key()):
        raise VerificationError("the package is sealed to another key")
    try:
        plain = _SUITE.decrypt(unb64u(str(sealed.get("ct"))), bank_private, info=_info(application))
    except Exception as exc:  # the HPKE binding has its own error types; any failure means "does not open"
        raise VerificationError("the package does not open with this key") from exc
    data = canonical.loads(plain)
    if not isinstance(data, dict):
        raise VerificationError("the package is not an object")
    pres, mats = data.get("presentations"), data.get("materials")
    if not isinstance(pres, list) or not all(isinstance(p, str) for p in pres) or not isinstance(mats, dict):
        raise VerificationError("the package has the wrong shape")
    return Package(tuple(pres), {str(k): unb64u(str(v)) for k, v in mats.items()})
