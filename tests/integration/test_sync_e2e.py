"""End to end through real processes: kiosk outbox → lxt-sync → mosquitto → lxt-county bridge → ledger → receipts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.mosquitto import Mosquitto
from tests.syncworld import County, Kiosk, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def county(tmp_path: Path) -> County:
    return County(tmp_path / "county")


def test_transactions_are_committed_once_and_receipts_verify(
    tmp_path: Path, mosquitto: Mosquitto, county: County
) -> None:
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    ids = kiosk.enqueue(40)
    bridge = county.bridge(mosquitto)
    sync = kiosk.sync(mosquitto)
    try:
        wait_for("every transaction committed", lambda: kiosk.all_committed(len(ids)))
        more = kiosk.enqueue(10)  # queued while the daemon runs: picked up without a restart
        wait_for("the later ones too", lambda: kiosk.all_committed(len(ids) + len(more)))
    finally:
        sync.stop()
        bridge.stop()
    assert sync.popen is not None and sync.popen.returncode == 0, sync.text()[-2000:]
    assert bridge.popen is not None and bridge.popen.returncode == 0, bridge.text()[-2000:]
    assert kiosk.verify_receipts() == 50
    assert county.committed() == set(ids + more)
    assert county.tx_count() == 50
    verdict = county.verify()
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert verdict.stdout.startswith("ok:")


def test_tls_with_client_certificates_and_the_acl(tmp_path: Path, mosquitto_tls: Mosquitto, county: County) -> None:
    tls = mosquitto_tls.enrol_kiosk(tmp_path / "kiosk" / "data", "zhangzhuang-01")
    kiosk = Kiosk(tmp_path / "kiosk", county, tls=tls)
    county.register(kiosk)
    ids = kiosk.enqueue(20)
    bridge = county.bridge(mosquitto_tls, "lxt-bridge", mosquitto_tls.service_tls())
    sync = kiosk.sync(mosquitto_tls)
    try:
        wait_for("every transaction committed over mutual TLS", lambda: kiosk.all_committed(len(ids)))
    finally:
        sync.stop()
        bridge.stop()
    assert kiosk.verify_receipts() == 20
    assert county.verify().returncode == 0
