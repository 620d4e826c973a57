"""Authenticated encryption of data at rest under keys derived from the device secret.

Every sealed value is bound to where it lives (`context`, e.g. ``person.card:<ref>``): a sealed blob copied
into another row or column does not open. The device secret never leaves the secrets folder.
"""

from __future__ import annotations

import hmac
import os
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.errors import VerificationError

_FORMAT = b"\x01"
_NONCE_LEN = 12


def derive_key(secret: bytes, purpose: str, length: int = 32) -> bytes:
    """A key for one purpose from the device secret (HKDF-SHA256, the purpose as info)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode("utf-8")).derive(secret)


class Sealer:
    """AES-256-GCM with a key for one purpose."""

    def __init__(self, device_secret: bytes, purpose: str) -> None:
        self._aead = AESGCM(derive_key(device_secret, f"lxt/seal/{purpose}/v1"))

    def seal(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(_NONCE_LEN)
        return _FORMAT + nonce + self._aead.encrypt(nonce, plaintext, context.encode("utf-8"))

    def open(self, sealed: bytes, context: str) -> bytes:
        if len(sealed) < 1 + _NONCE_LEN + 16 or sealed[:1] != _FORMAT:
            raise VerificationError("sealed value is malformed")
        nonce, body = sealed[1 : 1 + _NONCE_LEN], sealed[1 + _NONCE_LEN :]
        try:
            return self._aead.decrypt(nonce, body, context.encode("utf-8"))
        except InvalidTag as exc:
            raise VerificationError("sealed value does not open here (wrong key or context)") from exc


def person_ref(device_secret: bytes, id_number: str) -> str:
    """The only plaintext index of a person: HMAC-SHA256(device key for this purpose, ID number), hex."""
    key = derive_key(device_secret, "lxt/person-ref/v1")
    return hmac.new(key, id_number.strip().upper().encode("ascii"), sha256).hexdigest()
