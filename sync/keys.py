"""The county keys a kiosk pins: the ledger key that signs block headers (and so every receipt)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from kiosk.errors import ConfigError
from kiosk.tx.verify import PublicKey


def public_key_from_pem(data: bytes, origin: str) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise ConfigError(f"{origin} is not a PEM public key") from exc
    if isinstance(key, ed25519.Ed25519PublicKey):
        return PublicKey("ed25519", key.public_bytes_raw())
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        point = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        return PublicKey("ecdsa-p256", point)
    raise ConfigError(f"{origin} is a key of a kind the county does not use")


def load_county_key(path: Path) -> PublicKey:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(f"the county ledger key is missing: {path}") from exc
    return public_key_from_pem(data, str(path))
