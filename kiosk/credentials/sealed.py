"""A presentation delivered through the county: sealed with HPKE to the verifier's encryption key.

RFC 9180 base mode, the suite of kiosk/identity/evidence.py, to the `enc` key of the verifier's trust list entry.
The request id is bound in as HPKE `info`, so a sealed presentation cannot be moved onto another request. Inside,
canonical JSON `{"presentation": SD-JWT with key binding, "request": the signed request it answers}`: the county
relays the blob without being able to read it, and the verifier checks the request is its own.
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

_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)


def _info(request_id: str) -> bytes:
    return b"lxt/presentation-deliver/v1\n" + request_id.encode("ascii")


@dataclass(frozen=True, slots=True, repr=False)
class Opened:
    presentation: str
    request: str

    def __repr__(self) -> str:
        return "Opened(…)"


def seal_presentation(
    presentation: str, request: str, verifier_key: X25519PublicKey, request_id: str
) -> dict[str, str]:
    """The `sealed` field of a presentation.deliver body."""
    plain = canonical.dumps({"presentation": presentation, "request": request})
    return {
        "alg": ALG,
        "kid": key_id(verifier_key),
        "ct": b64u(_SUITE.encrypt(plain, verifier_key, info=_info(request_id))),
    }


def open_presentation(sealed: Mapping[str, Any], verifier_private: X25519PrivateKey, request_id: str) -> Opened:
    """The verifier's side; VerificationError unless it is sealed to this key for this request and well formed."""
    if sealed.get("alg") != ALG or sealed.get("kid") != key_id(verifier_private.public_key()):
        raise VerificationError("the presentation is sealed to another key")
    try:
        plain = _SUITE.decrypt(unb64u(str(sealed.get("ct"))), verifier_private, info=_info(request_id))
    except Exception as exc:  # the HPKE binding has its own error types; any failure means "does not open"
        raise VerificationError("the presentation does not open with this key for this request") from exc
    try:
        data = canonical.loads(plain)
    except KioskError as exc:
        raise VerificationError("the sealed presentation is not canonical JSON") from exc
    if not isinstance(data, dict) or set(data) != {"presentation", "request"}:
        raise VerificationError("the sealed presentation has the wrong shape")
    pres, req = data["presentation"], data["request"]
    if not isinstance(pres, str) or not isinstance(req, str):
        raise VerificationError("the sealed presentation has the wrong shape")
    return Opened(pres, req)
