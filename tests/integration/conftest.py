"""Fixtures for integration tests that need real services started by the test itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.fake.vcard import VirtualCard
from tests.integration.mosquitto import Mosquitto, MosquittoError, make_test_pki
from tests.integration.pcscd import Pcscd, wait_for_card_state
from tests.integration.pcscd import missing as pcscd_missing

_PCSCD: Pcscd | None = None


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


@pytest.fixture(scope="session")
def pcscd_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    """A private pcscd with the vpcd reader for the whole session (pcsc-lite reads its socket name once per
    process, so this fixture, imported by several conftest files, hands out one daemon per process)."""
    why = pcscd_missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the real PC/SC tests: {why}")  # `make setup` installs them
        pytest.skip(why)
    global _PCSCD
    owner = _PCSCD is None
    if _PCSCD is None:
        _PCSCD = Pcscd(tmp_path_factory.mktemp("pcscd"))
        os.environ.update(_PCSCD.env)
        _PCSCD.start()
    try:
        yield _PCSCD
    finally:
        if owner:
            _PCSCD.stop()
            _PCSCD = None


@pytest.fixture
def vcard(pcscd_stack: Pcscd) -> Iterator[VirtualCard]:
    """The virtual card slot of the session's vpcd reader; the card is taken out after the test."""
    if not pcscd_stack.running:
        pcscd_stack.start()
    card = VirtualCard(pcscd_stack.port)
    try:
        yield card
    finally:
        if card.inserted:
            card.remove()
            if pcscd_stack.running:
                wait_for_card_state(False)  # the next test starts with an empty reader, as pcscd sees it
        if not pcscd_stack.running:
            pcscd_stack.start()  # a test that stopped it leaves the next one a working stack
