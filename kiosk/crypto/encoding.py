"""Byte encodings used on the wire: base64url without padding, base58btc, hex digests."""

from __future__ import annotations

import base64
import binascii
import hashlib

import base58

from kiosk.errors import CanonicalJsonError


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    if not isinstance(text, str) or "=" in text:
        raise CanonicalJsonError("base64url value must be an unpadded string")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CanonicalJsonError("not valid base64url") from exc


def b58(data: bytes) -> str:
    return str(base58.b58encode(data).decode("ascii"))


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
