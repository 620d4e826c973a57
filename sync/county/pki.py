"""The county's development PKI: a P-256 CA, the broker's certificate, service and kiosk device certificates.

Names are chosen for mosquitto: with `use_identity_as_username` the certificate's CN becomes the MQTT
username, and the ACL pattern `lxt/v1/<county>/%u/up/#` puts that username into ONE topic level. So a
kiosk's CN is its kiosk id alone (lower-case letters, digits, dashes: no `/` that would add levels, no
`+`/`#` that mosquitto refuses in pattern ACLs, no `:`), the county is fixed by the CA and the ACL file, and
the full identity `urn:lxt:kiosk:<county>:<kiosk>` is in the subjectAltName for anyone who wants it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.errors import ConfigError

COUNTY_PATTERN = re.compile(r"^[0-9]{6}$")
# The same rule as kiosk.config's identity.kiosk_id: one safe MQTT topic level.
KIOSK_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
BRIDGE_NAME = "county-bridge"
# County services are named `county-*`; `broadcast` is the county-wide topic level. A kiosk with one of
# these ids would, through the `%u` patterns, write where kiosks read (lxt/v1/<c>/broadcast/up/...) or
# share a username with the bridge, so no device certificate is ever issued for them.
RESERVED_PREFIX = "county-"
RESERVED_IDS = frozenset({"broadcast"})
KIOSK_URN = "urn:lxt:kiosk:{county}:{kiosk}"

CA_DAYS = 3650
BROKER_DAYS = 825
DEVICE_DAYS = 397
# Kiosks and brokers may disagree on the time by minutes; a certificate that is "not yet valid" for a
# second only makes a confusing first connect fail.
BACKDATE = dt.timedelta(hours=1)

CA_CERT = "ca.pem"
CA_KEY = "ca.key"
BROKER_CERT = "broker.pem"
BROKER_KEY = "broker.key"


class PkiError(ConfigError):
    """A certificate, key or request is wrong, or would break the naming rules of the ACL."""


@dataclass(frozen=True, slots=True, repr=False)
class CountyCa:
    county_id: str
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def __repr__(self) -> str:
        return f"CountyCa({self.county_id}, expires {self.certificate.not_valid_after_utc:%Y-%m-%d})"


@dataclass(frozen=True, slots=True)
class PkiFiles:
    """Where everything of one county PKI lives (`lxt-county pki --dir D`)."""

    root: Path

    @property
    def ca_cert(self) -> Path:
        return self.root / CA_CERT

    @property
    def ca_key(self) -> Path:
        return self.root / CA_KEY

    @property
    def broker_cert(self) -> Path:
        return self.root / BROKER_CERT

    @property
    def broker_key(self) -> Path:
        return self.root / BROKER_KEY

    @property
    def mosquitto_conf(self) -> Path:
        return self.root / "mosquitto.conf"

    @property
    def acl(self) -> Path:
        return self.root / "acl"

    def service_cert(self, name: str) -> Path:
        return self.root / "services" / f"{name}.pem"

    def service_key(self, name: str) -> Path:
        return self.root / "services" / f"{name}.key"

    def kiosk_cert(self, kiosk_id: str) -> Path:
        return self.root / "kiosks" / f"{kiosk_id}.pem"


# --- names ------------------------------------------------------------------------------------------


def check_county(county_id: str) -> None:
    if not COUNTY_PATTERN.fullmatch(county_id):
        raise PkiError(f"county id must be six digits, got {county_id!r}")


def check_kiosk_id(kiosk_id: str) -> None:
    """Refuse ids that are not exactly one safe topic level, or that collide with county names."""
    if not KIOSK_PATTERN.fullmatch(kiosk_id):
        raise PkiError(f"kiosk id must be lower-case letters, digits and dashes (2-63), got {kiosk_id!r}")
    if kiosk_id.startswith(RESERVED_PREFIX) or kiosk_id in RESERVED_IDS:
        raise PkiError(f"kiosk id {kiosk_id!r} is reserved for the county's own services and topics")


def check_service_name(name: str) -> None:
    if not (name.startswith(RESERVED_PREFIX) and KIOSK_PATTERN.fullmatch(name)):
        raise PkiError(f"a county service name must look like 'county-<name>', got {name!r}")


# --- files ------------------------------------------------------------------------------------------


def write_private_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    """PEM, unencrypted (mosquitto reads it unattended), created 0600 so it is never readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_certificate(path: Path, cert: x509.Certificate) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def load_certificate(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError as exc:
        raise PkiError(f"no certificate at {path}") from exc
    except ValueError as exc:
        raise PkiError(f"{path} is not a PEM certificate") from exc


def certificate_expiry(path: Path) -> dt.datetime:
    """When the certificate in `path` stops being valid (aware UTC), for diagnostics and renewal."""
    return load_certificate(path).not_valid_after_utc


def load_ca(files: PkiFiles) -> CountyCa:
    cert = load_certificate(files.ca_cert)
    key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(f"{files.ca_key} is not an EC key")
    county = _ou(cert.subject)
    if county is None:
        raise PkiError(f"{files.ca_cert} names no county (OU)")
    return CountyCa(county, cert, key)


# --- building certificates --------------------------------------------------------------------------


def _ou(name: x509.Name) -> str | None:
    attrs = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return str(attrs[0].value) if attrs else None


def _name(common_name: str, county_id: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "lxt"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, county_id),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _leaf(
    ca: CountyCa, subject: x509.Name, public_key: ec.EllipticCurvePublicKey, days: int
) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def create_ca(county_id: str, days: int = CA_DAYS) -> CountyCa:
    """A self-signed P-256 CA that may sign leaf certificates only (pathlen 0)."""
    check_county(county_id)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"lxt county {county_id} development CA", county_id)
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CountyCa(county_id, cert, key)


def issue_server_certificate(
    ca: CountyCa, hosts: Iterable[str] = ("localhost", "127.0.0.1"), days: int = BROKER_DAYS
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The broker's certificate: every host name or address the kiosks dial must be in `hosts`."""
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    if not names:
        raise PkiError("the broker certificate needs at least one host name or address")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _leaf(ca, _name("lxt county broker", ca.county_id), key.public_key(), days)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return cert, key


def issue_service_certificate(
    ca: CountyCa, name: str = BRIDGE_NAME, days: int = BROKER_DAYS
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A county client (bridge, console): the key is made here, on the county's own machine."""
    check_service_name(name)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _leaf(ca, _name(name, ca.county_id), key.public_key(), days)
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(f"urn:lxt:county:{ca.county_id}:{name}")]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return cert, key


def load_csr(data: bytes) -> x509.CertificateSigningRequest:
    try:
        return x509.load_pem_x509_csr(data)
    except ValueError:
        pass
    try:
        return x509.load_der_x509_csr(data)
    except ValueError as exc:
        raise PkiError("not a certificate signing request (PEM or DER)") from exc


def _check_csr(csr: x509.CertificateSigningRequest, county_id: str, kiosk_id: str) -> ec.EllipticCurvePublicKey:
    try:
        signed = csr.is_signature_valid
    except InvalidSignature:
        signed = False
    if not signed:
        raise PkiError("the request's signature does not verify: it was not made with the key it carries")
    key = csr.public_key()
    if not (isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)):
        raise PkiError("a device key must be ECDSA P-256 (the same key serves mutual TLS)")
    cns = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if [str(a.value) for a in cns] != [kiosk_id]:
        raise PkiError(f"the request is not for kiosk {kiosk_id!r}")
    if _ou(csr.subject) not in (None, county_id):
        raise PkiError(f"the request is not for county {county_id!r}")
    return key


def issue_device_certificate(
    ca: CountyCa,
    csr: x509.CertificateSigningRequest | bytes,
    county_id: str,
    kiosk_id: str,
    days: int = DEVICE_DAYS,
) -> x509.Certificate:
    """Sign a kiosk's request: the kiosk's own key, CN = the kiosk id, nothing copied from the request but its key.

    Extensions the request asks for are ignored on purpose: a kiosk must not be able to ask for CA rights.
    """
    check_county(county_id)
    check_kiosk_id(kiosk_id)
    if county_id != ca.county_id:
        raise PkiError(f"this CA belongs to county {ca.county_id}, not {county_id}")
    request = load_csr(csr) if isinstance(csr, bytes) else csr
    key = _check_csr(request, county_id, kiosk_id)
    urn = KIOSK_URN.format(county=county_id, kiosk=kiosk_id)
    return (
        _leaf(ca, _name(kiosk_id, county_id), key, days)
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(urn)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca.key, hashes.SHA256())
    )


def verify_issued_by(ca_cert: x509.Certificate, cert: x509.Certificate) -> None:
    """Signature and validity window of `cert` under `ca_cert` (a diagnostics check, not TLS policy)."""
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise PkiError(f"{cert.subject.rfc4514_string()} was not issued by this CA") from exc
    now = _now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise PkiError(f"{cert.subject.rfc4514_string()} is outside its validity period")


def common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else ""


# --- a whole county PKI on disk ---------------------------------------------------------------------


def init_pki(
    files: PkiFiles,
    county_id: str,
    broker_hosts: Iterable[str] = ("localhost", "127.0.0.1"),
    services: Iterable[str] = (BRIDGE_NAME,),
) -> CountyCa:
    """CA, broker certificate and one certificate per county service. Refuses to replace an existing CA."""
    if files.ca_cert.exists() or files.ca_key.exists():
        raise PkiError(f"{files.root} already holds a CA; refusing to replace it")
    names = list(services)
    for name in names:
        check_service_name(name)
    files.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(files.root, 0o700)
    ca = create_ca(county_id)
    write_private_key(files.ca_key, ca.key)
    write_certificate(files.ca_cert, ca.certificate)
    cert, key = issue_server_certificate(ca, broker_hosts)
    write_private_key(files.broker_key, key)
    write_certificate(files.broker_cert, cert)
    for name in names:
        cert, key = issue_service_certificate(ca, name)
        write_private_key(files.service_key(name), key)
        write_certificate(files.service_cert(name), cert)
    return ca
