"""The kiosk's side of enrolment: a certificate request signed with its own device key, which never leaves it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.config import load_settings
from kiosk.errors import ConfigError, KioskError
from kiosk.identity.device import KEY_FILE

CERT_FILE = "device.crt"


def make_device_csr(secrets_dir: Path, county_id: str, kiosk_id: str) -> bytes:
    """A PEM request for CN = the kiosk id (the MQTT username and topic level), OU = the county."""
    path = secrets_dir / KEY_FILE
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise ConfigError(f"no device key at {path}: run lxt-provision first") from exc
    if not (isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)):
        raise ConfigError("the device key is not ECDSA P-256, which mutual TLS needs (identity.device_suite)")
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lxt"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, county_id),
            x509.NameAttribute(NameOID.COMMON_NAME, kiosk_id),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM)


def install_device_certificate(secrets_dir: Path, cert_pem: bytes) -> Path:
    """Store the county's answer beside the key, after checking it certifies this kiosk's own key."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    key = serialization.load_pem_private_key((secrets_dir / KEY_FILE).read_bytes(), password=None)
    ours = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    theirs = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if ours != theirs:
        raise ConfigError("this certificate is for another key, not this kiosk's device key")
    target = secrets_dir / CERT_FILE
    tmp = target.with_name(CERT_FILE + ".tmp")
    tmp.write_bytes(cert_pem)
    tmp.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """`python -m sync.pki_client request|install`: the kiosk's half of enrolment, with its own settings."""
    parser = argparse.ArgumentParser(prog="python -m sync.pki_client")
    sub = parser.add_subparsers(dest="command", required=True)
    req = sub.add_parser("request", help="write this kiosk's certificate request (PEM) to stdout or --out")
    req.add_argument("--out", type=Path)
    inst = sub.add_parser("install", help="install the certificate the county issued for this kiosk")
    inst.add_argument("cert", type=Path)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        secrets_dir = settings.paths.secrets_dir
        if args.command == "request":
            csr = make_device_csr(secrets_dir, settings.identity.county_id, settings.identity.kiosk_id)
            if args.out is None:
                sys.stdout.write(csr.decode("ascii"))
            else:
                args.out.write_bytes(csr)
        else:
            print(install_device_certificate(secrets_dir, args.cert.read_bytes()))
    except (KioskError, OSError, ValueError) as exc:
        print(f"pki_client: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
