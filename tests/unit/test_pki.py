"""County development PKI: chain, kiosk-made requests, refusals, expiry, file modes, generated broker files."""

from __future__ import annotations

import datetime as dt
import ipaddress
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store

from kiosk.errors import ConfigError
from kiosk.identity.device import KEY_FILE, provision
from sync.county import pki_cli
from sync.county.broker_config import render_acl, write_broker_files
from sync.county.pki import (
    BRIDGE_NAME,
    CountyCa,
    PkiError,
    PkiFiles,
    certificate_expiry,
    check_kiosk_id,
    create_ca,
    init_pki,
    issue_device_certificate,
    load_ca,
    load_certificate,
    verify_issued_by,
    write_certificate,
)
from sync.pki_client import install_device_certificate, make_device_csr

COUNTY = "410225"


@pytest.fixture(scope="module")
def ca() -> CountyCa:
    return create_ca(COUNTY)


@pytest.fixture
def secrets_dir(tmp_path: Path) -> Path:
    d = tmp_path / "secrets"
    provision(d, COUNTY, "kiosk-1", "ecdsa-p256")
    return d


def device_public_key(secrets_dir: Path) -> bytes:
    key = serialization.load_pem_private_key((secrets_dir / KEY_FILE).read_bytes(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_ca_is_a_p256_ca_that_signs_leaves_only(ca: CountyCa) -> None:
    cert = ca.certificate
    assert isinstance(ca.key.curve, ec.SECP256R1)
    bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical
    assert (bc.value.ca, bc.value.path_length) == (True, 0)
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    cert.verify_directly_issued_by(cert)  # self-signed
    assert "CountyCa(410225" in repr(ca)
    assert "PRIVATE" not in repr(ca)


def test_device_certificate_is_for_the_kiosks_own_key_and_chains_to_the_ca(ca: CountyCa, secrets_dir: Path) -> None:
    csr_pem = make_device_csr(secrets_dir, COUNTY, "kiosk-1")
    csr = x509.load_pem_x509_csr(csr_pem)
    assert csr.is_signature_valid
    assert b"PRIVATE" not in csr_pem
    cert = issue_device_certificate(ca, csr_pem, COUNTY, "kiosk-1")
    assert cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == device_public_key(secrets_dir)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kiosk-1"
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.UniformResourceIdentifier) == ["urn:lxt:kiosk:410225:kiosk-1"]
    assert ExtendedKeyUsageOID.CLIENT_AUTH in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    verify_issued_by(ca.certificate, cert)
    # The same chain under a WebPKI-style client policy (critical basic constraints, key usages, AKI/SKI).
    verifier = PolicyBuilder().store(Store([ca.certificate])).build_client_verifier()
    verified = verifier.verify(cert, [])
    assert verified.chain[-1] == ca.certificate


def test_broker_certificate_verifies_for_localhost_and_loopback(tmp_path: Path) -> None:
    files = PkiFiles(tmp_path / "pki")
    init_pki(files, COUNTY)
    ca_cert = load_certificate(files.ca_cert)
    store = Store([ca_cert])
    broker = load_certificate(files.broker_cert)
    for name in (x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))):
        PolicyBuilder().store(store).build_server_verifier(name).verify(broker, [])
    bridge = load_certificate(files.service_cert(BRIDGE_NAME))
    verify_issued_by(ca_cert, bridge)
    assert bridge.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == BRIDGE_NAME


def test_request_with_a_broken_signature_is_refused(ca: CountyCa, secrets_dir: Path) -> None:
    der = x509.load_pem_x509_csr(make_device_csr(secrets_dir, COUNTY, "kiosk-1")).public_bytes(
        serialization.Encoding.DER
    )
    tampered = der.replace(b"kiosk-1", b"kiosk-2")  # same length: still parses, no longer verifies
    assert tampered != der
    with pytest.raises(PkiError, match="signature"):
        issue_device_certificate(ca, tampered, COUNTY, "kiosk-2")


def test_only_p256_device_keys_are_certified(ca: CountyCa) -> None:
    other = ec.generate_private_key(ec.SECP384R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk-1")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(other, hashes.SHA256())
    with pytest.raises(PkiError, match="P-256"):
        issue_device_certificate(ca, csr, COUNTY, "kiosk-1")


def test_request_for_another_kiosk_or_county_is_refused(ca: CountyCa, secrets_dir: Path) -> None:
    csr = make_device_csr(secrets_dir, COUNTY, "kiosk-1")
    with pytest.raises(PkiError, match="not for kiosk"):
        issue_device_certificate(ca, csr, COUNTY, "kiosk-9")
    with pytest.raises(PkiError, match="belongs to county"):
        issue_device_certificate(ca, csr, "411421", "kiosk-1")


@pytest.mark.parametrize(
    "kiosk_id", ["county-bridge", "county-console", "broadcast", "Kiosk-1", "k/1", "k+", "#", "410225:k1", "x"]
)
def test_ids_that_would_break_the_acl_are_never_certified(kiosk_id: str) -> None:
    with pytest.raises(PkiError):
        check_kiosk_id(kiosk_id)


def test_requested_extensions_are_not_copied(ca: CountyCa) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk-1")]))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert = issue_device_certificate(ca, csr, COUNTY, "kiosk-1")
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False


def test_expiry_is_read_back(ca: CountyCa, secrets_dir: Path, tmp_path: Path) -> None:
    cert = issue_device_certificate(ca, make_device_csr(secrets_dir, COUNTY, "kiosk-1"), COUNTY, "kiosk-1", days=30)
    path = tmp_path / "kiosk-1.pem"
    write_certificate(path, cert)
    expiry = certificate_expiry(path)
    assert expiry.tzinfo is not None
    assert expiry == cert.not_valid_after_utc
    assert expiry - cert.not_valid_before_utc == dt.timedelta(days=30, hours=1)


def test_init_writes_private_keys_0600_and_refuses_to_replace_a_ca(tmp_path: Path) -> None:
    files = PkiFiles(tmp_path / "pki")
    init_pki(files, COUNTY)
    for key in (files.ca_key, files.broker_key, files.service_key(BRIDGE_NAME)):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
    assert stat.S_IMODE(files.root.stat().st_mode) == 0o700
    assert load_ca(files).county_id == COUNTY
    with pytest.raises(PkiError, match="already holds a CA"):
        init_pki(files, COUNTY)


def test_kiosk_installs_only_a_certificate_for_its_own_key(ca: CountyCa, secrets_dir: Path, tmp_path: Path) -> None:
    cert = issue_device_certificate(ca, make_device_csr(secrets_dir, COUNTY, "kiosk-1"), COUNTY, "kiosk-1")
    path = install_device_certificate(secrets_dir, cert.public_bytes(serialization.Encoding.PEM))
    assert path == secrets_dir / "device.crt"
    other = tmp_path / "other"
    provision(other, COUNTY, "kiosk-1", "ecdsa-p256")
    with pytest.raises(ConfigError, match="another key"):
        install_device_certificate(other, cert.public_bytes(serialization.Encoding.PEM))


def test_csr_needs_a_p256_device_key(tmp_path: Path) -> None:
    d = tmp_path / "ed"
    provision(d, COUNTY, "kiosk-1", "ed25519")
    with pytest.raises(ConfigError, match="P-256"):
        make_device_csr(d, COUNTY, "kiosk-1")


def test_acl_confines_kiosks_to_their_own_level(tmp_path: Path) -> None:
    acl = render_acl(COUNTY)
    rules = [line for line in acl.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "pattern write lxt/v1/410225/%u/up/#",
        "pattern read lxt/v1/410225/%u/down/#",
        "pattern read lxt/v1/410225/broadcast/#",
        "user county-bridge",
        "topic read lxt/v1/410225/+/up/#",
        "topic write lxt/v1/410225/+/down/#",
        "topic write lxt/v1/410225/broadcast/#",
    ]


def test_broker_config_has_the_settings_the_county_relies_on(tmp_path: Path) -> None:
    files = PkiFiles(tmp_path / "pki")
    init_pki(files, COUNTY)
    write_broker_files(files, COUNTY, tmp_path / "state", run_as="mosquitto")
    lines = set(files.mosquitto_conf.read_text().splitlines())
    for wanted in (
        "per_listener_settings true",
        "require_certificate true",
        "use_identity_as_username true",
        "use_username_as_clientid true",
        "allow_anonymous false",
        "persistence true",
        "max_queued_messages 0",
        "message_size_limit 262144",
        "user mosquitto",
        f"acl_file {files.acl}",
        f"persistence_location {tmp_path / 'state' / 'persistence'}/",
    ):
        assert wanted in lines, wanted
    assert not any(line.startswith("listener 1883") for line in lines)


def test_cli_init_issue_show(tmp_path: Path, secrets_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "pki"
    assert pki_cli.main(["pki", "init", "--dir", str(d), "--county", COUNTY, "--service", "county-bridge"]) == 0
    csr = tmp_path / "k.csr"
    csr.write_bytes(make_device_csr(secrets_dir, COUNTY, "kiosk-1"))
    assert pki_cli.main(["pki", "issue", "--dir", str(d), "--csr", str(csr), "--kiosk", "kiosk-1"]) == 0
    assert (d / "kiosks" / "kiosk-1.pem").exists()
    assert pki_cli.main(["pki", "issue", "--dir", str(d), "--csr", str(csr), "--kiosk", "kiosk-2"]) == 2
    assert pki_cli.main(["pki", "show", "--dir", str(d)]) == 0
    out = capsys.readouterr()
    assert "not for kiosk 'kiosk-2'" in out.err
    shown = [line.split()[:2] for line in out.out.splitlines() if line.split()[0] in ("service", "kiosk")]
    assert shown[-2:] == [["service", "county-bridge"], ["kiosk", "kiosk-1"]]
    assert pki_cli.main(["pki", "init", "--dir", str(d), "--county", COUNTY]) == 2
