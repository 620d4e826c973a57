"""The technician's checks and the export bundle: verdicts from facts, and no personal data in the bundle."""

from __future__ import annotations

import logging
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.selftest import measure_camera, probe_card_reader, qr_selftest, read_card_test
from kiosk import diagnostics as d
from kiosk.core import Core
from kiosk.errors import StoreError
from kiosk.logring import RingHandler, scrub
from kiosk.ports import DeviceUnavailable
from kiosk.store import outbox
from tests.helpers import enrol_someone, make_card

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def _cert(path: Path, not_after: datetime) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dev-kiosk")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(not_after - timedelta(days=400))
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    path.write_bytes(cert.public_bytes(Encoding.PEM))
    return path


def test_certificate_expiry(tmp_path: Path) -> None:
    cert = tmp_path / "device.crt"
    assert d.cert_check(cert, True, NOW).level is d.Level.FAULT  # TLS on and no certificate
    assert d.cert_check(cert, False, NOW).level is d.Level.WARN
    _cert(cert, NOW + timedelta(days=200))
    ok = d.cert_check(cert, True, NOW)
    assert (ok.level, ok.facts["days_left"], ok.facts["expires"]) == (d.Level.OK, 200, "2027-06-11")
    _cert(cert, NOW + timedelta(days=10))
    assert d.cert_check(cert, True, NOW).level is d.Level.WARN
    _cert(cert, NOW - timedelta(days=1))
    assert d.cert_check(cert, True, NOW).facts["state"] == "expired"
    cert.write_text("not a certificate")
    assert d.cert_check(cert, True, NOW).facts["state"] == "unreadable"


def test_link_outbox_and_database_verdicts() -> None:
    online = {"link": "online", "link_broker": "county.example", "link_rtt_ms": 40}
    assert d.link_check(online).level is d.Level.OK
    assert d.link_check(online | {"link_rtt_ms": 2500}).level is d.Level.WARN
    assert d.link_check({"link": "offline", "link_last_error": "connect failed"}).level is d.Level.FAULT
    assert d.link_check({}).facts["state"] == "never"
    fresh = {"outbox_depth": 3, "outbox_oldest_ms": NOW_MS - 60_000, "outbox_rejected": 0}
    assert d.outbox_check(fresh, NOW_MS).level is d.Level.OK
    assert d.outbox_check(fresh | {"outbox_oldest_ms": NOW_MS - 2 * d.DAY_MS}, NOW_MS).level is d.Level.WARN
    assert d.outbox_check(fresh | {"outbox_rejected": 1}, NOW_MS).level is d.Level.WARN
    assert d.database_check({"audit_ok": True, "integrity": "ok"}).level is d.Level.OK
    assert d.database_check({"audit_ok": False, "integrity": "ok"}).level is d.Level.FAULT
    assert d.worst([d.link_check(online), d.database_check({"audit_ok": False})]) is d.Level.FAULT


def test_store_status_reads_the_queue(core: Core) -> None:
    enrol_someone(core)
    status = d.store_status(core.db, NOW_MS)
    assert status["outbox_depth"] == 1 and status["audit_ok"] and status["integrity"] == "ok"
    assert status["link"] == "offline" and status["link_rtt_ms"] is None
    assert d.disk_check(core.settings.paths.data_dir).facts["free_mb"] > 0


def test_device_self_tests_on_fakes() -> None:
    reader = FakeCardReader()
    assert probe_card_reader(reader).facts["state"] == "no_card"
    assert read_card_test(reader, 0.05).level is d.Level.WARN  # nobody placed a card
    reader.place(make_card())
    read = read_card_test(reader, 1.0)
    assert read.level is d.Level.OK and "张" not in str(read.facts)
    reader.place(DeviceUnavailable("unplugged"))
    assert probe_card_reader(reader).level is d.Level.FAULT
    camera = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=30)
    try:
        seen = measure_camera(camera, 0.5)
    finally:
        camera.close()
    assert seen.level is d.Level.OK and seen.facts["frames_seen"] > 0 and seen.facts["width"] == 64
    gone = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], plugged=False)
    try:
        assert measure_camera(gone, 0.2).level is d.Level.FAULT
    finally:
        gone.close()
    assert qr_selftest().facts["state"] == "read"


def test_the_ring_keeps_warnings_and_errors_and_masks_id_numbers() -> None:
    ring = RingHandler(size=3)
    log = logging.getLogger("test.ring")
    log.addHandler(ring)
    log.propagate = False
    try:
        log.info("not kept")
        log.warning("a warning %s", "here")
        log.warning("card 41022519580312302X refused")
        log.warning("third")
        log.warning("fourth")
    finally:
        log.removeHandler(ring)
        log.propagate = True
    lines = ring.lines()
    assert [x.message for x in lines] == ["card [id-number] refused", "third", "fourth"]
    assert scrub("x" * 500) == "x" * 200


def test_the_bundle_holds_no_personal_data(core: Core, tmp_path: Path) -> None:
    card = make_card(name="王秀英", serial="417")
    did = enrol_someone(core, card=card)
    status = d.store_status(core.db, NOW_MS)
    checks = [d.outbox_check(status, NOW_MS), d.link_check(status), d.database_check(status)]
    ring = RingHandler()
    ring.emit(logging.LogRecord("kiosk", logging.ERROR, __file__, 1, "enrolment of %s failed", (card.id_number,), None))
    usb = tmp_path / "usb"
    usb.mkdir()
    documents = {
        "status": status,
        "checks": [c.as_json() for c in checks],
        "versions": d.versions(status),
        "settings": d.settings_without_secrets(core.settings),
        "errors": d.log_lines_json(ring.lines()),
        "refusals": d.audit_refusals(core.db),
    }
    path = d.write_bundle(usb, "dev-kiosk", documents, NOW)
    assert path.name == "lxt-diag-dev-kiosk-20261123-090000.tar.gz"
    with tarfile.open(path) as tar:
        names = sorted(tar.getnames())
        text = "".join(tar.extractfile(m).read().decode("utf-8") for m in tar.getmembers())  # type: ignore[union-attr]
    assert names == ["checks.json", "errors.json", "refusals.json", "settings.json", "status.json", "versions.json"]
    assert '"outbox_depth": 1' in text
    for secret in (card.name, card.id_number, card.id_number[6:14], did, card.address):
        assert secret not in text
    assert list(usb.iterdir()) == [path]  # no half-written file left beside it


def test_the_bundle_needs_the_usb_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="USB"):
        d.write_bundle(tmp_path / "no-stick", "dev-kiosk", {"status": {}})


def test_settings_lose_url_credentials(core: Core) -> None:
    settings = core.settings.model_copy(
        update={"devices": core.settings.devices.model_copy(update={"camera_source": "rtsp://admin:pw@10.0.0.9/s"})}
    )
    assert d.settings_without_secrets(settings)["devices"]["camera_source"] == "rtsp://***@10.0.0.9/s"
    assert outbox.depth(core.db.conn) == 0
