"""Cadre mode on the real window with fake devices: the hidden entry, refusals, assisted and proxy enrolment with
the cadre's witness signature, the queue with a rejected item, today's activity, and leaving (退出, idle)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from drivers.fake.people import DEMO_VILLAGERS
from kiosk.crypto.suites import Signer
from kiosk.store import audit, outbox
from kiosk.tx import envelope
from kiosk.tx.envelope import SignerRole
from kiosk.tx.verify import verify
from tests.ui.conftest import PIN, Kiosk
from tests.ui.test_session_screens import _enrol
from ui.screens.cadre import CadreHomeScreen
from ui.screens.cadre_desk import CadreQueueScreen, CadreTodayScreen
from ui.screens.home import HomeScreen
from ui.tour_cadre import publish_roster
from ui.viewmodels.enrolment import EnrolPhase
from ui.viewmodels.taps import TapCounter
from ui.widgets import Keypad

pytestmark = pytest.mark.ui

CADRE = 0  # DEMO_VILLAGERS[0], 张秀兰, is the village's cadre in these tests
BANNER = "村干部协助模式 · 王建国"


def _did(k: Kiosk, index: int) -> str:
    person = k.services.core.registry.find(DEMO_VILLAGERS[index].id_number)
    assert person is not None
    return person.did


def _tap_village(k: Kiosk, times: int = 5) -> None:
    place = k.cur.place
    for _ in range(times):
        QTest.mouseClick(place, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, 8))


def _keypad(k: Kiosk, pin: str) -> None:
    keypad = k.cur.findChild(Keypad)
    assert keypad is not None
    for digit in pin:
        [key] = [b for b in keypad.keys if b.text() == digit]
        key.click()
    k.cur.primary.click()


def _enter(k: Kiosk, card: int = CADRE) -> None:
    _tap_village(k)
    k.on("cadre_card")
    k.reader.place(DEMO_VILLAGERS[card])


def _cadre_mode(k: Kiosk) -> None:
    """Enrol the cadre, publish the roster with them, and come in through the hidden entry."""
    _enrol(k, CADRE)
    publish_roster(k.window, _did(k, CADRE))
    _enter(k)
    k.on("cadre_pin")
    assert "王建国" in k.cur.body.text()  # the roster's name, not the card's
    _keypad(k, PIN)
    k.on("cadre_home")


def _cadre_actions(k: Kiosk) -> list[str]:
    return [
        e.detail for e in audit.entries(k.services.core.db.conn) if e.action == audit.AuditAction.CADRE_ACTION.value
    ]


def test_five_taps_on_the_village_name_open_the_entry_and_four_do_not(kiosk: Kiosk) -> None:
    k = kiosk
    assert isinstance(k.cur, HomeScreen)
    _tap_village(k, 4)
    assert k.screen == "home"
    _tap_village(k, 5)
    k.on("cadre_card")
    assert k.cur.title.text() == "村干部请放身份证"
    k.window.start_enrolment()  # only home has the entry: five taps on another screen's village name do nothing
    k.on("enrol_card")
    _tap_village(k, 5)
    assert k.screen == "enrol_card"


def test_the_taps_must_come_within_three_seconds() -> None:
    now = [0.0]
    taps = TapCounter(lambda: now[0])
    for at in (0.0, 0.5, 1.0, 1.5, 3.2):  # the first is 3.2 s old at the fifth: only four count
        now[0] = at
        assert not taps.tap()
    now[0] = 3.3
    assert taps.tap()  # 0.5 … 3.3: five within 3 s
    assert not taps.tap()  # and the count starts again


def test_without_a_roster_the_entry_says_so_calmly(kiosk: Kiosk) -> None:
    k = kiosk
    _tap_village(k)
    k.on("cadre_outcome")
    assert k.cur.title.text() == "不能进入村干部模式"
    assert "还没有收到县里的村干部名单" in k.cur.body.text()
    k.cur.primary.click()
    k.on("home")
    assert '"why":"no_roster"' in _cadre_actions(k)[-1]


def test_a_villager_not_on_the_roster_is_refused_and_sent_home(kiosk: Kiosk) -> None:
    k = kiosk
    _enrol(k, CADRE)
    _enrol(k, 1)
    publish_roster(k.window, _did(k, CADRE))
    _enter(k, 1)
    k.on("cadre_outcome")
    assert "不在县里的村干部名单上" in k.cur.body.text()
    assert not k.window.cadre.active
    k.cur.primary.click()
    k.on("home")
    assert not k.cur.banner.isVisible()


def test_an_assisted_enrolment_is_witnessed_by_the_cadres_signature(kiosk: Kiosk) -> None:
    k = kiosk
    _cadre_mode(k)
    home = k.cur
    assert isinstance(home, CadreHomeScreen)
    assert home.banner.isVisible() and home.banner.text() == BANNER
    assert [t.text() for t in home.tiles] == ["协助办理", "代为操作", "待上报", "今日记录"]
    home.tiles[0].click()
    k.on("enrol_card")
    assert k.cur.banner.isVisible() and k.cur.banner.text() == BANNER
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.cur.primary.click()  # 是我
    k.on("enrol_consent")
    k.cur.primary.click()  # 同意
    k.on("enrol_face")
    k.wait(lambda: k.cur.primary.isEnabled(), what="the camera")
    k.cur.primary.click()
    k.on("enrol_pin")
    _keypad(k, "730561")
    k.wait(lambda: k.cur.title.text() == "请再输入一遍")
    _keypad(k, "730561")
    k.on("cadre_witness")
    assert k.cur.banner.text() == BANNER
    said_before = len(k.speaker.said)
    _keypad(k, "246813")  # a wrong cadre PIN: said, counted, and the cadre may try again
    k.wait(lambda: "密码不对" in k.cur.error.text())  # type: ignore[attr-defined]
    _keypad(k, PIN)
    k.on("enrol_done")
    assert not any(d in s for s in k.speaker.said[said_before:] for d in ("246813", PIN, "王建国"))
    vm = k.window.enrolment
    assert vm is not None and vm.state.tx_id is not None
    row = outbox.get(k.services.core.db.conn, vm.state.tx_id)
    assert row is not None
    env = envelope.parse(row.envelope)
    verify(env, k.services.core.registry.resolver)
    cadre = _did(k, CADRE)
    assert (env.type, env.body["mode"], env.body["witness"]) == ("identity.enroll", "assisted", cadre)
    assert [s.kid for s in env.sigs if s.role is SignerRole.CADRE] == [f"{cadre}#k0"]
    k.cur.primary.click()  # 完成: back to the cadre's home, still in cadre mode
    k.on("cadre_home")
    assert k.window.cadre.active
    assert '"action":"assisted"' in "".join(_cadre_actions(k))
    enrolled = [e for e in audit.entries(k.services.core.db.conn) if e.action == "identity.enrolled"][-1]
    assert enrolled.actor == cadre and '"mode":"assisted"' in enrolled.detail


def test_a_proxy_enrolment_is_recorded_as_proxy(kiosk: Kiosk) -> None:
    k = kiosk
    _cadre_mode(k)
    home = k.cur
    assert isinstance(home, CadreHomeScreen)
    home.tiles[1].click()  # 代为操作
    vm = k.window.enrolment
    assert vm is not None
    k.reader.place(DEMO_VILLAGERS[1])
    k.wait(lambda: vm.state.phase is EnrolPhase.CONFIRM)
    vm.confirm(True)
    vm.consent(True)
    k.wait(lambda: k.services.face.ready)
    vm.capture_face(k.window.background.run_on_main)
    k.wait(lambda: vm.state.phase is EnrolPhase.PIN)
    for _ in range(2):
        for d in "730561":
            vm.pin.press(d)
        vm.submit_pin()
    k.on("cadre_witness")
    assert "代为操作" in k.cur.body.text()
    _keypad(k, PIN)
    k.wait(lambda: vm.state.phase is EnrolPhase.DONE)
    row = outbox.get(k.services.core.db.conn, str(vm.state.tx_id))
    assert row is not None
    env = envelope.parse(row.envelope)
    verify(env, k.services.core.registry.resolver)
    assert (env.body["mode"], env.body["witness"]) == ("proxy", _did(k, CADRE))
    assert '"action":"proxy"' in "".join(_cadre_actions(k))


def test_the_queue_shows_a_rejected_item_with_its_reason_and_resends_it(kiosk: Kiosk) -> None:
    k = kiosk
    _cadre_mode(k)
    db = k.services.core.db
    cadre_tx = outbox.pending(db.conn, 10)[0].id
    with db.transaction() as conn:  # the county sends the cadre's own enrolment back
        outbox.mark_rejected(conn, cadre_tx, "unknown_kiosk: 410225/zhangzhuang-01 is not registered", 1)
    k.cur.tiles[2].click()  # type: ignore[attr-defined]
    k.on("cadre_queue")
    screen = k.cur
    assert isinstance(screen, CadreQueueScreen)
    k.wait(lambda: screen.rows[0].isVisible(), what="the queue")
    assert screen.counts.text() == "待上报0件 · 已上报0件 · 被退回1件"
    assert screen.rows[0].text().endswith("办理数字身份（本人办） · 被退回")
    assert screen.reasons[0].text() == "⚠ 县里的原因：县里没有这台机器的登记，登记好后可重新上报"
    assert screen.resend_buttons[0].isVisible()
    screen.resend_buttons[0].click()
    k.wait(lambda: screen.note.isVisible(), what="the resend")
    assert screen.counts.text() == "待上报1件 · 已上报0件 · 被退回0件"
    assert not screen.resend_buttons[0].isVisible()
    assert [i.id for i in outbox.pending(db.conn, 10)] == [cadre_tx]
    assert '"action":"retried"' in _cadre_actions(k)[-2]  # then the queue was looked at again
    screen.primary.click()  # 返回
    k.on("cadre_home")


def test_today_lists_what_this_kiosk_did_without_names(kiosk: Kiosk) -> None:
    k = kiosk
    _cadre_mode(k)
    k.cur.tiles[3].click()  # type: ignore[attr-defined]
    k.on("cadre_today")
    screen = k.cur
    assert isinstance(screen, CadreTodayScreen)
    k.wait(lambda: screen.rows[0].isVisible(), what="today")
    assert screen.counts.text() == "今天办理1人：本人办1，协助办0，代办0"
    lines = [r.text() for r in screen.rows if r.isVisible()]
    assert lines[0].endswith("村干部进入协助模式")
    assert lines[1].endswith("办理了数字身份（本人办）")
    shown = " ".join(lines)
    assert DEMO_VILLAGERS[CADRE].name not in shown and "did:lxt" not in shown


def test_the_idle_timeout_leaves_cadre_mode_and_wipes_the_key(kiosk: Kiosk) -> None:
    k = kiosk
    _cadre_mode(k)
    session = k.window.cadre.session
    assert session is not None and isinstance(session.signer, Signer)
    k.time.now += 61
    k.window.check_idle()
    assert k.window.idle_panel.isVisible()
    k.time.now += 20
    k.window.check_idle()
    k.on("home")
    assert not k.window.cadre.active and k.window.cadre.session is None
    assert session.signer is None and session.name == ""
    assert not k.cur.banner.isVisible()
    k.wait(lambda: '"why":"idle"' in _cadre_actions(k)[-1], what="the audit of leaving")


def test_exit_wipes_the_key_and_home_inside_a_task_returns_to_the_cadres_home(kiosk: Kiosk) -> None:
    k = kiosk
    _cadre_mode(k)
    k.cur.tiles[0].click()  # type: ignore[attr-defined]
    k.on("enrol_card")
    k.cur.home.click()  # nothing typed yet: straight back, still in cadre mode
    k.on("cadre_home")
    session = k.window.cadre.session
    assert session is not None and session.active
    k.cur.primary.click()  # 退出
    k.on("home")
    assert session.signer is None and not k.window.cadre.active
    k.wait(lambda: '"why":"exit"' in _cadre_actions(k)[-1], what="the audit of leaving")


def test_in_cadre_mode_the_cadre_can_check_the_person_in_place_of_the_camera(kiosk: Kiosk) -> None:
    # UI.md: a villager whose face the camera cannot read is never stuck; in cadre mode the cadre checks them.
    k = kiosk
    _cadre_mode(k)
    k.cur.tiles[0].click()  # type: ignore[attr-defined]  # 协助办理
    k.on("enrol_card")
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.cur.primary.click()
    k.on("enrol_consent")
    k.cur.primary.click()
    k.on("enrol_face")
    check = k.cur.cadre_check  # type: ignore[attr-defined]
    k.wait(check.isVisible, what="the cadre's check")
    assert check.text() == "村干部核对本人"
    check.click()
    k.on("enrol_pin")
    for _ in range(2):
        _keypad(k, "730561")
    k.on("cadre_witness")
    _keypad(k, PIN)
    k.on("enrol_done")
    vm = k.window.enrolment
    assert vm is not None and vm.state.tx_id is not None
    row = outbox.get(k.services.core.db.conn, vm.state.tx_id)
    assert row is not None
    env = envelope.parse(row.envelope)
    verify(env, k.services.core.registry.resolver)
    assert (env.body["identity_check"], env.body["witness"]) == ("cadre", _did(k, CADRE))


def test_without_a_cadre_the_face_screen_offers_no_cadre_check(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.start_enrolment()
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.cur.primary.click()
    k.on("enrol_consent")
    k.cur.primary.click()
    k.on("enrol_face")
    assert not k.cur.cadre_check.isVisible()  # type: ignore[attr-defined]
