"""`lxt-diag`: status and the audit verification a technician runs."""

from __future__ import annotations

import json

import pytest

from drivers.diag import main
from kiosk.core import Core
from kiosk.store import audit
from tests.helpers import enrol_someone


@pytest.fixture
def diag_env(core: Core, monkeypatch: pytest.MonkeyPatch) -> Core:
    monkeypatch.setenv("LXT_PATHS__DATA_DIR", str(core.settings.paths.data_dir))
    monkeypatch.delenv("LXT_CONFIG", raising=False)
    return core


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return int(info.value.code or 0)


def test_audit_verify_ok_then_names_the_broken_entry(diag_env: Core, capsys: pytest.CaptureFixture[str]) -> None:
    enrol_someone(diag_env)
    assert _run(["audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    conn = diag_env.db.conn
    entries = audit.entries(conn)
    assert [e.action for e in entries] == ["identity.enrolled"]
    conn.executescript("DROP TRIGGER audit_no_update;")
    conn.execute("UPDATE audit SET detail = '{}' WHERE seq = 1")
    assert _run(["audit", "verify"]) == 1
    assert "BROKEN at entry 1" in capsys.readouterr().out


def test_status_shows_the_queue_without_personal_data(diag_env: Core, capsys: pytest.CaptureFixture[str]) -> None:
    enrol_someone(diag_env)
    assert _run(["status", "--json"]) == 0
    out = capsys.readouterr().out
    status = json.loads(out)
    assert status["outbox_depth"] == 1
    assert status["outbox_oldest_seq"] == 1
    assert status["audit_ok"] is True
    assert status["device"] == "kiosk:410225:dev-kiosk"
    assert status["tables"]["person"] == 1
    assert status["link"] == "offline"  # no sync daemon has run
    assert "张秀兰" not in out


def test_config_lists_every_setting(diag_env: Core, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["config"]) == 0
    out = capsys.readouterr().out
    assert "security.pin_max_attempts" in out
    assert "paths.data_dir" in out


def test_a_bad_setting_is_a_clear_error(
    diag_env: Core, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LXT_SECURITY__PIN_MAX_ATEMPTS", "3")
    assert _run(["status"]) == 2
    assert "unknown setting 'security.pin_max_atempts'" in capsys.readouterr().err
