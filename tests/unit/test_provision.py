"""`lxt-provision`: the device identity, its file modes, the county key, and no second provisioning."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from drivers.fake.clock import FakeClock
from kiosk.cli.provision import run
from kiosk.identity.device import load_identity, load_signer
from kiosk.identity.evidence import generate_keypair
from kiosk.store import audit
from kiosk.store.db import Database


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("LXT_PATHS__DATA_DIR", str(data))
    monkeypatch.setenv("LXT_IDENTITY__KIOSK_ID", "zhangzhuang-01")
    monkeypatch.delenv("LXT_CONFIG", raising=False)
    return data


def test_provision_makes_a_private_identity_and_installs_the_county_key(env: Path, tmp_path: Path) -> None:
    _private, pem = generate_keypair()
    county = tmp_path / "enrolment.pub"
    county.write_bytes(pem)
    assert run(["--county-enrolment-key", str(county)], FakeClock()) == 0
    secrets = env / "secrets"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    for name in ("device.secret", "device.key", "device.json"):
        assert stat.S_IMODE((secrets / name).stat().st_mode) == 0o600, name
    ident = load_identity(secrets)
    assert ident.kid == "kiosk:410225:zhangzhuang-01"
    assert load_signer(secrets, ident).public_key == ident.public_key
    assert (env / "county" / "enrolment.pub").read_bytes() == pem
    db = Database(env / "kiosk.sqlite3")
    assert [e.action for e in audit.entries(db.conn)] == ["device.provisioned"]
    db.close()


def test_provisioning_twice_is_refused_and_changes_nothing(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([], FakeClock()) == 0
    key = (env / "secrets" / "device.key").read_bytes()
    assert run([], FakeClock()) == 2
    assert "refusing to replace" in capsys.readouterr().err
    assert (env / "secrets" / "device.key").read_bytes() == key


def test_a_county_key_that_is_not_a_key_is_refused(env: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pub"
    bogus.write_text("not a key")
    assert run(["--county-enrolment-key", str(bogus)], FakeClock()) == 2
    assert not (env / "secrets").exists()  # nothing half-made


def test_a_readable_secret_is_refused(env: Path) -> None:
    assert run([], FakeClock()) == 0
    (env / "secrets" / "device.secret").chmod(0o644)
    with pytest.raises(Exception, match="readable by its owner only"):
        load_identity(env / "secrets")
