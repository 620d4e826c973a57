"""What the bank alone may read of an application: the SD-JWT presentations and the page JPEGs, sealed with
HPKE (RFC 9180 base mode, kiosk/applications/package.py, shared with service requests) to the bank's key from
the catalog.

The application number is bound in as HPKE `info`, so a package cannot be moved onto another application.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from kiosk.applications.package import MATERIALS_BUDGET, Names, open_sealed, page_digest, party_public_key, seal

__all__ = ["MATERIALS_BUDGET", "Package", "bank_public_key", "open_package", "page_digest", "seal_package"]

_NAMES = Names("the package", "the package")


@dataclass(frozen=True, slots=True, repr=False)
class Package:
    presentations: tuple[str, ...]
    materials: Mapping[str, bytes]  # material id → page JPEG

    def __repr__(self) -> str:
        return f"Package({len(self.presentations)} presentations, {len(self.materials)} pages)"


def _info(application: str) -> bytes:
    return b"lxt/loan-apply/v1\n" + application.encode("ascii")


def bank_public_key(key_b64u: str) -> X25519PublicKey:
    return party_public_key(key_b64u, "the bank's key in the catalog")


def seal_package(package: Package, bank_key: X25519PublicKey, application: str) -> dict[str, str]:
    return seal({}, package.presentations, package.materials, bank_key, _info(application))


def open_package(sealed: Mapping[str, Any], bank_private: X25519PrivateKey, application: str) -> Package:
    """The bank's side; VerificationError if it is not for this key and application, or not a package."""
    opened = open_sealed(sealed, bank_private, _info(application), _NAMES)
    return Package(opened.presentations, opened.materials)
