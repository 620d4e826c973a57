"""Sign-in with lockout, the idle timeout that wipes the session, home's tiles, the lock, faults, no way out."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent

from drivers.fake.people import DEMO_VILLAGERS
from kiosk.crypto.suites import Signer
from tests.ui.conftest import PIN, Kiosk
from ui.screens.home import HomeScreen
from ui.screens.signin import SignInOutcomeScreen, SignInPinScreen
from ui.viewmodels.enrolment import EnrolPhase
from ui.viewmodels.home import TILES, TileAction
from ui.viewmodels.signin import SignInPhase
from ui.widgets import TapButton

pytestmark = pytest.mark.ui


def _tap(k: Kiosk, pin: str) -> None:
    screen = k.cur
    assert isinstance(screen, SignInPinScreen)
    for digit in pin:
        [key] = [b for b in screen.keypad.keys if b.text() == digit]
        key.click()
    screen.primary.click()


def _enrol(k: Kiosk, card_index: int = 1) -> None:
    """Enrol a villager through the view-model (the screens have their own tests)."""
    k.window.start_enrolment()
    vm = k.window.enrolment
    assert vm is not None
    k.reader.place(DEMO_VILLAGERS[card_index])
    k.wait(lambda: vm.state.phase is EnrolPhase.CONFIRM)
    vm.confirm(True)
    vm.consent(True)
    k.wait(lambda: k.services.face.ready)
    vm.capture_face(k.window.background.run_on_main)
    k.wait(lambda: vm.state.phase is EnrolPhase.PIN)
    for _ in range(2):
        for d in PIN:
            vm.pin.press(d)
        vm.submit_pin()
    k.wait(lambda: vm.state.phase is EnrolPhase.DONE)
    k.window.go_home()


def _sign_in_card(k: Kiosk, card_index: int = 1) -> None:
    k.window.start_signin()
    k.on("signin_card")
    k.reader.place(DEMO_VILLAGERS[card_index])


def test_sign_in_greets_the_villager_and_sign_out_wipes_the_key(kiosk: Kiosk) -> None:
    k = kiosk
    _enrol(k)
    _sign_in_card(k)
    k.on("signin_pin")
    assert DEMO_VILLAGERS[1].name in k.cur.body.text()
    _tap(k, PIN)
    k.on("villager_home")
    session = k.window.session
    assert session is not None
    signer = session.signer
    assert isinstance(signer, Signer)
    assert k.cur.title.text() == f"{DEMO_VILLAGERS[1].name}，您好"
    k.wait(lambda: k.cur.pending.text() == "您有1件事正在上报县里")  # type: ignore[attr-defined]
    wiped: list[bool] = []
    original = signer.wipe

    def wipe() -> None:
        wiped.append(True)
        original()

    signer.wipe = wipe  # type: ignore[method-assign]
    k.cur.primary.click()  # 退出
    k.on("home")
    assert wiped == [True]
    assert k.window.session is None
    assert session.did == "" and session.name == "" and session.signer is None


def test_five_wrong_pins_lock_the_key_and_say_what_to_do(kiosk: Kiosk) -> None:
    k = kiosk
    _enrol(k)
    _sign_in_card(k)
    k.on("signin_pin")
    vm = k.window.signin
    assert vm is not None
    for remaining in (4, 3, 2, 1):
        _tap(k, "246813")
        k.wait(lambda: not vm.state.busy and vm.state.error is not None)
        assert k.cur.error.text() == f"密码不对，还可以试{remaining}次"  # type: ignore[attr-defined]
        assert vm.state.phase is SignInPhase.PIN
    _tap(k, "246813")
    k.on("signin_outcome")
    screen = k.cur
    assert isinstance(screen, SignInOutcomeScreen)
    assert screen.title.text() == "密码已锁定"
    assert "找村干部" in screen.body.text()
    # The lock is in the database: the right PIN on a new sign-in does not open it.
    k.window.go_home()
    _sign_in_card(k)
    k.on("signin_outcome")
    assert k.cur.title.text() == "密码已锁定"


def test_a_card_not_enrolled_here_is_offered_enrolment(kiosk: Kiosk) -> None:
    k = kiosk
    _sign_in_card(k, 3)
    k.on("signin_outcome")
    assert k.cur.title.text() == "您还没有办理数字身份"
    assert k.cur.home.isVisible()  # not a dead end: home is in sight beside 去办理
    k.cur.primary.click()  # 去办理
    k.on("enrol_card")


def test_idle_countdown_then_wipe_and_home(kiosk: Kiosk) -> None:
    k = kiosk
    _enrol(k)
    _sign_in_card(k)
    k.on("signin_pin")
    k.window.check_idle()
    assert not k.window.idle_panel.isVisible()
    k.time.now += 61
    k.window.check_idle()
    assert k.window.idle_panel.isVisible()
    assert k.window.idle_panel.body.text() == "19秒后回到首页，您的信息会清除"
    assert k.speaker.said[-1].startswith("还在吗？")
    k.window.idle_panel.first.click()  # 继续, as often as they like
    assert not k.window.idle_panel.isVisible()
    assert k.screen == "signin_pin"
    k.time.now += 70
    k.window.check_idle()
    assert k.window.idle_panel.isVisible()
    vm = k.window.signin
    assert vm is not None
    k.time.now += 15
    k.window.check_idle()
    assert k.screen == "home"
    assert k.window.signin is None
    assert vm.state.phase is SignInPhase.ENDED
    assert vm.state.name == ""


def test_idle_timeout_wipes_a_signed_in_session(kiosk: Kiosk) -> None:
    k = kiosk
    _enrol(k)
    _sign_in_card(k)
    k.on("signin_pin")
    _tap(k, PIN)
    k.on("villager_home")
    session = k.window.session
    assert session is not None
    k.time.now += 81
    k.window.check_idle()
    assert k.screen == "home"
    assert k.window.session is None
    assert session.signer is None and session.name == ""


def test_home_has_no_timeout(kiosk: Kiosk) -> None:
    k = kiosk
    k.time.now += 3600
    k.window.check_idle()
    assert k.screen == "home"
    assert not k.window.idle_panel.isVisible()


def test_home_tiles_and_the_services_not_open_yet(kiosk: Kiosk) -> None:
    k = kiosk
    home = k.cur
    assert isinstance(home, HomeScreen)
    labels = [t.text() for t in home.tiles]
    assert labels == ["办理数字身份", "我的证明", "出示证明", "贷款", "政务服务", "进度查询"]
    for index in range(1, 6):
        home.tiles[index].click()
        if TILES[index].action is TileAction.NOT_OPEN:
            k.on("not_open")
            assert labels[index] in k.cur.title.text()
            assert "村干部" in k.cur.body.text()
            k.cur.primary.click()
        else:  # an open service needs the villager signed in first
            k.on("signin_card")
            k.window.go_home()
        k.on("home")
    home.tiles[0].click()
    k.on("enrol_card")


def test_offline_is_shown_quietly_and_blocks_nothing(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.status.refresh()
    k.wait(lambda: "离线" in k.cur.link.text())
    home = k.cur
    assert isinstance(home, HomeScreen)
    assert home.state_line.text() == "离线，稍后自动同步 · 都已上报"
    with k.services.core.db.transaction() as conn:
        conn.execute("UPDATE sync_status SET online = 1, updated_ms = ? WHERE id = 1", (int(time.time() * 1000),))
    k.window.status.refresh()
    k.wait(lambda: k.cur.link.text() == "● 在线")
    home.tiles[0].click()
    k.on("enrol_card")  # offline or online, nothing waits on the link


def test_the_county_lock_ends_the_session_and_lifts(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.start_enrolment()
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.lock.locked = True
    k.window.status.refresh()
    k.on("lock")
    assert k.window.enrolment is None
    assert k.cur.title.text() == "本机暂停使用"
    assert not k.cur.home.isVisible() and not k.cur.primary.isVisible()
    k.lock.locked = False
    k.window.status.refresh()
    k.on("home")


@pytest.mark.logs_errors
def test_an_unexpected_error_shows_the_calm_fault_screen(kiosk: Kiosk) -> None:
    from ui.faults import install

    k = kiosk
    k.window.start_enrolment()
    uninstall = install(k.window.show_fault, k.window.background.run_on_main)
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        k.on("fault")
    finally:
        uninstall()
    assert k.window.enrolment is None
    assert k.cur.title.text() == "机器出了点问题"
    k.cur.primary.click()
    k.on("home")


def test_no_key_or_close_request_leaves_the_app(kiosk: Kiosk) -> None:
    k = kiosk
    for key, mods in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ):
        event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
        k.window.keyPressEvent(event)
        assert event.isAccepted()
    close = QCloseEvent()
    k.window.closeEvent(close)
    assert not close.isAccepted()
    assert k.window.isVisible()


def test_a_double_tap_fires_once(kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.widgets.DOUBLE_TAP_S", 0.5)
    taps: list[int] = []
    button = TapButton("x", lambda: taps.append(1))
    button.click()
    button.click()
    assert taps == [1]


def test_a_card_placed_on_home_starts_sign_in_or_enrolment(kiosk: Kiosk) -> None:
    k = kiosk
    _enrol(k)
    k.on("home")
    k.reader.place(DEMO_VILLAGERS[1])  # enrolled: straight to the PIN, the card is not asked for again
    k.on("signin_pin")
    assert DEMO_VILLAGERS[1].name in k.cur.body.text()
    k.window.go_home(ask=False)
    k.on("home")
    k.reader.place(DEMO_VILLAGERS[0])  # someone new: enrolment, at the check of their card
    k.on("enrol_confirm")
    assert k.reader.waiting == 0


def test_a_double_tap_on_a_keypad_digit_types_it_once(kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    k = kiosk
    _enrol(k)
    _sign_in_card(k)
    k.on("signin_pin")
    screen = k.cur
    assert isinstance(screen, SignInPinScreen)
    monkeypatch.setattr("ui.widgets.DOUBLE_TAP_S", 0.5)
    [seven] = [b for b in screen.keypad.keys if b.text() == "7"]
    seven.click()
    seven.click()
    assert screen.keypad.dots.text() == "●○○○○○"
