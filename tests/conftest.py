"""Fixtures shared by every test: settings in a temp folder, a provisioned kiosk, the core, a fake clock."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.clock import FakeClock
from kiosk.config import Settings, load_settings
from kiosk.core import Core, open_core
from kiosk.identity.device import provision
from kiosk.identity.evidence import generate_keypair


class _ErrorCatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _no_unexpected_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that logs an ERROR fails, unless it says it expects one (`@pytest.mark.logs_errors`)."""
    catcher = _ErrorCatcher()
    root = logging.getLogger()
    root.addHandler(catcher)
    try:
        yield
    finally:
        root.removeHandler(catcher)
    if catcher.records and request.node.get_closest_marker("logs_errors") is None:
        lines = "; ".join(f"{r.name}: {r.getMessage()}" for r in catcher.records[:3])
        pytest.fail(f"unexpected ERROR logged: {lines}")


def make_settings(data_dir: Path, **overrides: str) -> Settings:
    env = {
        "LXT_PATHS__DATA_DIR": str(data_dir),
        # A cheap scrypt keeps the suite fast; the production cost is covered by its default's own test.
        "LXT_SECURITY__SCRYPT_LOG2_N": "10",
    }
    env.update(overrides)
    return load_settings(None, env)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def county_enrolment_key(settings: Settings) -> X25519PrivateKey:
    private, pem = generate_keypair()
    target = settings.paths.enrolment_key_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pem)
    return private


@pytest.fixture
def open_kiosk(
    settings: Settings, clock: FakeClock, county_enrolment_key: X25519PrivateKey
) -> Iterator[Callable[[], Core]]:
    """Provision a kiosk once; each call opens its core again (as a restart would). All are closed after."""
    ident = settings.identity
    provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
    opened: list[Core] = []

    def open_() -> Core:
        c = open_core(settings, clock)
        opened.append(c)
        return c

    yield open_
    for c in opened:
        c.close()


@pytest.fixture
def core(open_kiosk: Callable[[], Core]) -> Core:
    return open_kiosk()
