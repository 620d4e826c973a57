"""The technician's hidden entry and diagnostics on the real window with fake devices and the real zbar."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import to_ms
from kiosk.config import Settings
from kiosk.crypto.suites import Signer, get_suite
from kiosk.diagnostics import CheckKey, Level
from kiosk.store import audit
from kiosk.techpass import issue_tech_pass
from tests.conftest import make_settings
from tests.helpers import enrol_someone, make_card
from tests.ui.conftest import Kiosk
from ui.screens.diagnostics import DiagSummaryScreen, DiagSystemScreen, TechEntryScreen
from ui.tour_diag import TECHNICIAN, hold_up, pin_county_key, tech_pass
from ui.viewmodels.diagnostics import DiagTest

pytestmark = pytest.mark.ui


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    usb = tmp_path / "usb"
    usb.mkdir()
    return make_settings(tmp_path / "data", LXT_DIAGNOSTICS__EXPORT_DIR=str(usb))


def _tap_link(kiosk: Kiosk, qtbot: QtBot, times: int = 5) -> None:
    home = kiosk.window.screen_named("home")
    for _ in range(times):
        qtbot.mouseClick(home.link, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def _audit_actions(kiosk: Kiosk) -> list[str]:
    with kiosk.services.core.db.transaction() as conn:
        return [e.action for e in audit.entries(conn) if e.action.startswith("technician.")]


def _enter(kiosk: Kiosk, qtbot: QtBot) -> Signer:
    signer = pin_county_key(kiosk.window)
    kiosk.on("home")
    _tap_link(kiosk, qtbot)
    kiosk.on("tech_entry")
    hold_up(kiosk.window, tech_pass(kiosk.window, signer))
    kiosk.on("diag_summary")
    diag = kiosk.window.maintenance.diag
    assert diag is not None
    kiosk.wait(lambda: not diag.state.running, what="the checks")
    return signer


def test_five_taps_on_the_link_state_open_the_entry_and_a_good_pass_opens_diagnostics(
    kiosk: Kiosk, qtbot: QtBot
) -> None:
    kiosk.on("home")
    _tap_link(kiosk, qtbot, 4)
    assert kiosk.screen == "home"  # four taps are not the pattern
    _enter(kiosk, qtbot)
    screen = kiosk.cur
    assert isinstance(screen, DiagSummaryScreen)
    assert screen.banner.isVisible() and screen.banner.text() == f"维护模式 · {TECHNICIAN}"
    assert screen.banner.property("role") == "banner-tech"
    assert _audit_actions(kiosk) == ["technician.admitted"]
    screen.home.click()  # 退出维护
    kiosk.on("home")
    kiosk.wait(lambda: _audit_actions(kiosk) == ["technician.admitted", "technician.left"], what="the leave audited")
    assert kiosk.window.maintenance.diag is None


def test_a_pass_for_another_kiosk_is_refused_with_its_reason(kiosk: Kiosk, qtbot: QtBot) -> None:
    signer = pin_county_key(kiosk.window)
    kiosk.on("home")
    _tap_link(kiosk, qtbot)
    kiosk.on("tech_entry")
    hold_up(kiosk.window, tech_pass(kiosk.window, signer, kiosk="another-kiosk"))
    entry = kiosk.window.maintenance.entry
    assert entry is not None
    kiosk.wait(lambda: entry.state.refused == "other_kiosk", what="the refusal")
    screen = kiosk.cur
    assert isinstance(screen, TechEntryScreen)
    assert screen.error.text() == "维护二维码不是给这台机器的"
    assert kiosk.screen == "tech_entry" and kiosk.window.maintenance.diag is None
    assert _audit_actions(kiosk) == ["technician.refused"]
    # A pass signed by someone else than the county: refused too, and still no way in.
    stranger = get_suite("ed25519").signer(get_suite("ed25519").generate())
    ident = kiosk.settings.identity
    now = to_ms(kiosk.services.core.time.now().at)
    forged = issue_tech_pass(stranger, ident.county_id, "假师傅", [ident.kiosk_id], now - 1000, now + 86_400_000)
    hold_up(kiosk.window, forged)
    kiosk.wait(lambda: entry.state.refused == "forged", what="the forged pass refused")
    assert kiosk.screen == "tech_entry"


def test_the_summary_shows_a_failing_card_reader_and_the_link_offline(kiosk: Kiosk, qtbot: QtBot) -> None:
    kiosk.reader.close()  # the reader is gone (unplugged): every read says so
    _enter(kiosk, qtbot)
    screen = kiosk.cur
    assert isinstance(screen, DiagSummaryScreen)
    card = screen.rows[CheckKey.CARD_READER]
    assert card.word.text() == "故障" and card.word.property("role") == "error"
    assert "读卡器没有连接" in card.detail.text()
    link = screen.rows[CheckKey.LINK]
    assert link.word.text() == "故障" and "同步程序还没有运行过" in link.detail.text()
    assert screen.rows[CheckKey.QR].word.text() == "正常"
    assert screen.rows[CheckKey.DATABASE].word.text() == "正常"
    assert "项故障" in screen.body.text()


def test_the_camera_self_test_measures_fps(kiosk: Kiosk, qtbot: QtBot) -> None:
    _enter(kiosk, qtbot)
    kiosk.window.go("diag_devices")
    diag = kiosk.window.maintenance.diag
    assert diag is not None
    kiosk.cur.tests[DiagTest.CAMERA].click()  # type: ignore[attr-defined]
    assert DiagTest.CAMERA in diag.state.running
    kiosk.wait(lambda: DiagTest.CAMERA not in diag.state.running, timeout_s=15, what="the camera test")
    camera = diag.state.checks[CheckKey.CAMERA]
    assert camera.level is Level.OK and camera.facts["frames_seen"] > 0
    assert "秒看到" in kiosk.cur.rows[CheckKey.CAMERA].detail.text()  # type: ignore[attr-defined]


def test_the_export_writes_a_bundle_without_personal_data(kiosk: Kiosk, qtbot: QtBot) -> None:
    card = make_card(name="赵桂芝", serial="551")
    did = enrol_someone(kiosk.services.core, card=card)
    _enter(kiosk, qtbot)
    kiosk.window.go("diag_system")
    screen = kiosk.cur
    assert isinstance(screen, DiagSystemScreen)
    usb = kiosk.settings.diagnostics.export_dir
    assert str(usb) in screen.where.text()
    usb.rmdir()  # no stick in: it says so
    screen.primary.click()
    kiosk.wait(lambda: screen.failure.isVisible(), what="the export failure")
    assert "USB" in screen.failure.text()
    usb.mkdir()
    screen.primary.click()
    kiosk.wait(lambda: screen.outcome.isVisible(), what="the export")
    bundles = list(usb.glob("lxt-diag-*.tar.gz"))
    assert len(bundles) == 1 and screen.outcome.text().endswith(bundles[0].name)
    with tarfile.open(bundles[0]) as tar:
        text = "".join(tar.extractfile(m).read().decode("utf-8") for m in tar.getmembers())  # type: ignore[union-attr]
        assert {"status.json", "checks.json", "versions.json", "settings.json", "errors.json"} <= set(tar.getnames())
    assert '"outbox_depth": 1' in text
    for secret in (card.name, card.id_number, did, TECHNICIAN):
        assert secret not in text


def test_the_idle_timeout_leaves_maintenance_mode(kiosk: Kiosk, qtbot: QtBot) -> None:
    _enter(kiosk, qtbot)
    kiosk.time.now += kiosk.window.idle.idle_s + kiosk.window.idle.countdown_s + 2
    kiosk.window.check_idle()
    kiosk.window.check_idle()
    kiosk.on("home")
    assert not kiosk.window.maintenance.active
