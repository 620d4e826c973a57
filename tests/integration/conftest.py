"""Fixtures for integration tests that need real services started by the test itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.mosquitto import Mosquitto, MosquittoError, make_test_pki


def _run(broker: Mosquitto) -> Iterator[Mosquitto]:
    try:
        broker.start()
    except MosquittoError as exc:
        pytest.fail(str(exc))
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    """A plain, anonymous mosquitto on a free loopback port (`host`, `port`), stopped after the test."""
    yield from _run(Mosquitto(tmp_path / "mosquitto"))


@pytest.fixture
def mosquitto_tls(tmp_path: Path) -> Iterator[Mosquitto]:
    """The county broker: mutual TLS on `tls_port` with the generated ACL and a fresh development PKI.

    `port` is also open: a plain loopback listener without ACL, for test observers only. Get client
    identities with `enrol_kiosk(data_dir, kiosk_id)` and `service_tls()` (the county bridge).
    """
    pki = make_test_pki(tmp_path / "pki")
    yield from _run(Mosquitto(tmp_path / "mosquitto", pki=pki))
