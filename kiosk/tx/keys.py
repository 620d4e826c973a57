"""The county keys a kiosk pins, read from PEM files: the ledger key signs block headers, notices and passes.

Pure (cryptography only), so the sync daemon, the UI's technician gate and the county tools read them alike.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from kiosk.config import Settings
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


def county_key_file(settings: Settings) -> Path:
    """Where this kiosk keeps the pinned county ledger key (`sync.county_ledger_key`, else data_dir/county)."""
    return settings.sync.county_ledger_key or settings.paths.county_dir / "ledger.pub"
