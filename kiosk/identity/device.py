"""The kiosk's own identity: device secret and device key, made once by provisioning, kept 0600.

The device secret keys every sealed value and the person index on this kiosk; the device key co-signs
every transaction and (with its county certificate) authenticates the kiosk to the broker.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import ConfigError, KioskError

SECRET_FILE = "device.secret"  # noqa: S105 - a file name, not a password
KEY_FILE = "device.key"
INFO_FILE = "device.json"
SECRET_LEN = 32


class NotProvisioned(KioskError):
    """This kiosk has no device identity yet: run `lxt-provision`."""


@dataclass(frozen=True, slots=True, repr=False)
class DeviceIdentity:
    county_id: str
    kiosk_id: str
    suite: str
    public_key: bytes
    secret: bytes

    @property
    def kid(self) -> str:
        return f"kiosk:{self.county_id}:{self.kiosk_id}"

    def __repr__(self) -> str:
        return f"DeviceIdentity({self.kid}, suite={self.suite})"


def _write_private(path: Path, data: bytes) -> None:
    # Created with 0600 from the start (not chmod afterwards), so the secret is never readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def provision(secrets_dir: Path, county_id: str, kiosk_id: str, suite_name: str) -> DeviceIdentity:
    """Create the device secret and key. Refuses to overwrite an existing identity."""
    if (secrets_dir / SECRET_FILE).exists() or (secrets_dir / KEY_FILE).exists():
        raise ConfigError(f"{secrets_dir} already holds a device identity; refusing to replace it")
    secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(secrets_dir, 0o700)
    suite = get_suite(suite_name)
    secret = secrets.token_bytes(SECRET_LEN)
    private = suite.generate()
    signer = suite.signer(private)
    _write_private(secrets_dir / SECRET_FILE, secret)
    _write_private(secrets_dir / KEY_FILE, suite.private_key_pem(private))
    info = {
        "county": county_id,
        "kiosk": kiosk_id,
        "suite": suite.name,
        "public_key": b64u(signer.public_key),
    }
    _write_private(secrets_dir / INFO_FILE, json.dumps(info, indent=2).encode("utf-8"))
    signer.wipe()
    return DeviceIdentity(county_id, kiosk_id, suite.name, signer.public_key, secret)


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} must be readable by its owner only (mode is {mode:o}, want 600)")


def load_identity(secrets_dir: Path) -> DeviceIdentity:
    secret_file = secrets_dir / SECRET_FILE
    if not secret_file.exists():
        raise NotProvisioned(f"no device identity in {secrets_dir}: run lxt-provision")
    for name in (SECRET_FILE, KEY_FILE):
        _check_private(secrets_dir / name)
    info = json.loads((secrets_dir / INFO_FILE).read_text(encoding="utf-8"))
    secret = secret_file.read_bytes()
    if len(secret) != SECRET_LEN:
        raise ConfigError(f"{secret_file} is damaged (wrong length)")
    return DeviceIdentity(info["county"], info["kiosk"], info["suite"], unb64u(info["public_key"]), secret)


def load_signer(secrets_dir: Path, identity: DeviceIdentity) -> Signer:
    """The device key ready to sign; it must match the public key recorded at provisioning."""
    key = serialization.load_pem_private_key((secrets_dir / KEY_FILE).read_bytes(), password=None)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = bytearray(key.private_bytes_raw())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        raw = bytearray(key.private_numbers().private_value.to_bytes(32, "big"))
    else:
        raise ConfigError("device key is of a kind this kiosk does not use")
    signer = get_suite(identity.suite).signer(raw)
    if signer.public_key != identity.public_key:
        raise ConfigError("device key does not match device.json")
    return signer
