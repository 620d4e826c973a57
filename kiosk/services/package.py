"""What the office alone may read of a service request: the typed answers, the SD-JWT presentations whose claims
pre-filled the form, and the page JPEGs, sealed with HPKE (RFC 9180 base mode, kiosk/applications/package.py,
shared with loan applications) to the office's key from the services catalog.

The request number is bound in as HPKE `info`, so a package cannot be moved onto another request. The typed
answers are what a request carries beyond a loan's package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from kiosk.applications.package import Names, open_sealed, party_public_key, seal
from kiosk.errors import VerificationError
from kiosk.services.catalog import Answer

_NAMES = Names("the request", "the request package")


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
    return party_public_key(key_b64u, "the office's key in the services catalog")


def seal_request(package: RequestPackage, office_key: X25519PublicKey, request: str) -> dict[str, str]:
    answers = {"answers": dict(package.answers)}
    return seal(answers, package.presentations, package.materials, office_key, _info(request))


def _answers(raw: object) -> dict[str, Answer]:
    if not isinstance(raw, dict) or not all(isinstance(v, str | int | bool) for v in raw.values()):
        raise VerificationError("the request's answers have the wrong shape")
    return {str(k): v for k, v in raw.items()}


def open_request(sealed: Mapping[str, Any], office_private: X25519PrivateKey, request: str) -> RequestPackage:
    """The office's side; VerificationError if it is not for this key and request, or not a package."""
    opened = open_sealed(sealed, office_private, _info(request), _NAMES)
    return RequestPackage(_answers(opened.data.get("answers")), opened.presentations, opened.materials)
