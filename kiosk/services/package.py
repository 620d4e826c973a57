"""What the office alone may read of a service request: the typed answers, the SD-JWT presentations whose claims
pre-filled the form, and the page JPEGs, sealed with HPKE (RFC 9180 base mode, the suite of
kiosk/identity/evidence.py) to the office's key from the services catalog.

The request number is bound in as HPKE `info`, so a package cannot be moved onto another request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.errors import KioskError, VerificationError
from kiosk.identity.evidence import ALG, key_id
from kiosk.services.catalog import Answer

_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)


@dataclass(frozen=True, slots=True, repr=False)
class RequestPackage:
    answers: Mapping[str, Answer]  # typed field id → answer (pre-filled fields travel as presentations)
    presentations: tuple[str, ...]
    materials: Mapping[str, bytes]  # material id → page JPEG

    def __repr__(self) -> str:
        return f"RequestPackage({len(self.answers)} answers, {len(self.presentations)} presentations, ***)"


def _info(request: str) -> bytes:
    return b"lxt/service-request/v1\n" + request.encode("ascii")


def office_public_key(key_b64u: str) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(unb64u(key_b64u))
    except (KioskError, ValueError) as exc:
        raise VerificationError("the office's key in the services catalog is not an X25519 key") from exc


def seal_request(package: RequestPackage, office_key: X25519PublicKey, request: str) -> dict[str, str]:
    plain = canonical.dumps(
        {
            "answers": dict(package.answers),
            "presentations": list(package.presentations),
            "materials": {k: b64u(v) for k, v in sorted(package.materials.items())},
        }
    )
    return {"alg": ALG, "kid": key_id(office_key), "ct": b64u(_SUITE.encrypt(plain, office_key, info=_info(request)))}


def _answers(raw: object) -> dict[str, Answer]:
    if not isinstance(raw, dict) or not all(isinstance(v, str | int | bool) for v in raw.values()):
        raise VerificationError("the request's answers have the wrong shape")
    return {str(k): v for k, v in raw.items()}


def open_request(sealed: Mapping[str, Any], office_private: X25519PrivateKey, request: str) -> RequestPackage:
    """The office's side; VerificationError if it is not for this key and request, or not a package."""
    if sealed.get("alg") != ALG or sealed.get("kid") != key_id(office_private.public_key()):
        raise VerificationError("the request is sealed to another key")
    try:
        plain = _SUITE.decrypt(unb64u(str(sealed.get("ct"))), office_private, info=_info(request))
    except Exception as exc:  # the HPKE binding has its own error types; any failure means "does not open"
        raise VerificationError("the request does not open with this key") from exc
    data = canonical.loads(plain)
    if not isinstance(data, dict):
        raise VerificationError("the request package is not an object")
    pres, mats = data.get("presentations"), data.get("materials")
    if not isinstance(pres, list) or not all(isinstance(p, str) for p in pres) or not isinstance(mats, dict):
        raise VerificationError("the request package has the wrong shape")
    return RequestPackage(_answers(data.get("answers")), tuple(pres), {str(k): unb64u(str(v)) for k, v in mats.items()})
