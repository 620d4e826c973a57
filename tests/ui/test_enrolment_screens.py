"""Enrolment through the real screens on fake devices: every step, what is spoken, what reaches the outbox."""

from __future__ import annotations

import pytest

from drivers.fake.people import DEMO_VILLAGERS
from kiosk.store import outbox
from kiosk.store.outbox import OutboxState
from tests.ui.conftest import PIN, Kiosk
from ui.screens.enrolment import (
    EnrolCardScreen,
    EnrolConsentScreen,
    EnrolDoneScreen,
    EnrolFaceScreen,
    EnrolPinScreen,
)
from ui.viewmodels.enrolment import EnrolPhase

pytestmark = pytest.mark.ui


def _tap_pin(k: Kiosk, pin: str) -> None:
    screen = k.cur
    assert isinstance(screen, EnrolPinScreen)
    for digit in pin:
        [key] = [b for b in screen.keypad.keys if b.text() == digit]
        key.click()
    screen.primary.click()


def _to_pin(k: Kiosk) -> None:
    k.window.start_enrolment()
    k.on("enrol_card")
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.cur.primary.click()  # 是我
    k.on("enrol_consent")
    k.cur.primary.click()  # 同意
    k.on("enrol_face")
    face = k.cur
    assert isinstance(face, EnrolFaceScreen)
    k.wait(lambda: face.primary.isEnabled())
    k.wait(lambda: face.preview.frames_shown > 0)  # the live preview shows the camera
    face.primary.click()  # 开始拍照
    k.on("enrol_pin")


def test_enrolment_end_to_end_shows_pending_then_confirmed(kiosk: Kiosk) -> None:
    k = kiosk
    _to_pin(k)
    _tap_pin(k, PIN)
    vm = k.window.enrolment
    assert vm is not None
    k.wait(lambda: vm.state.phase is EnrolPhase.PIN_CONFIRM)
    assert k.cur.title.text() == "请再输入一遍"
    _tap_pin(k, PIN)
    k.on("enrol_done")
    done = k.cur
    assert isinstance(done, EnrolDoneScreen)
    assert done.chain_ref.text() == "待上链"
    assert done.did.text().startswith("did:lxt:410225:")
    [item] = outbox.pending(k.services.core.db.conn, 10)
    assert item.type == "identity.enroll"
    with k.services.core.db.transaction() as conn:  # the sync daemon, on a verified receipt
        outbox.mark_committed(conn, item.id, b"receipt", 1)
    done._refresh()
    k.wait(lambda: done.chain_ref.text() == "已上链")
    assert done.chain_words.text() == "县里已确认"
    assert vm.state.chain is OutboxState.COMMITTED


def test_each_screen_speaks_its_title_and_never_a_digit_or_a_name(kiosk: Kiosk) -> None:
    k = kiosk
    _to_pin(k)
    said_before_pin = list(k.speaker.said)
    assert "请把身份证放在感应区" in said_before_pin
    assert "请看摄像头" in said_before_pin
    assert any(s.startswith("请听一听，同意后继续") and "加密" in s for s in said_before_pin)  # read in full
    _tap_pin(k, PIN)
    k.wait(lambda: k.cur.title.text() == "请再输入一遍")
    _tap_pin(k, PIN)
    k.on("enrol_done")
    for sentence in k.speaker.said:
        assert PIN not in sentence
        assert not any(ch.isdigit() for ch in sentence.replace("6位", "")), sentence
        assert DEMO_VILLAGERS[1].name not in sentence


def test_a_pin_that_breaks_a_rule_is_explained_and_the_villager_stays(kiosk: Kiosk) -> None:
    k = kiosk
    _to_pin(k)
    _tap_pin(k, "111111")
    screen = k.cur
    assert isinstance(screen, EnrolPinScreen)
    assert screen.error.isVisible()
    assert screen.error.text() == "密码太简单，别人容易猜到，请换一个"
    assert k.window.enrolment is not None
    assert k.window.enrolment.state.phase is EnrolPhase.PIN


def test_mismatched_pins_go_back_to_the_first_entry(kiosk: Kiosk) -> None:
    k = kiosk
    _to_pin(k)
    _tap_pin(k, PIN)
    vm = k.window.enrolment
    assert vm is not None
    k.wait(lambda: vm.state.phase is EnrolPhase.PIN_CONFIRM)
    _tap_pin(k, "593017")
    k.wait(lambda: vm.state.phase is EnrolPhase.PIN and vm.state.error is not None)
    assert k.cur.title.text() == "请输入6位数字密码"
    assert outbox.depth(k.services.core.db.conn) == 0


def test_not_agreeing_cancels_and_saves_nothing(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.start_enrolment()
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.cur.primary.click()
    k.on("enrol_consent")
    screen = k.cur
    assert isinstance(screen, EnrolConsentScreen)
    screen.disagree.click()
    k.on("enrol_outcome")
    assert k.cur.title.text() == "已取消，什么都没有保存"
    assert outbox.depth(k.services.core.db.conn) == 0


def test_home_asks_before_discarding_work_and_keeps_going_if_told(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.start_enrolment()
    k.reader.place(DEMO_VILLAGERS[1])
    k.on("enrol_confirm")
    k.cur.home.click()
    assert k.window.ask_panel.isVisible()
    assert k.window.ask_panel.title.text() == "要放弃这次办理吗？"
    k.window.ask_panel.first.click()  # 继续办理
    assert k.screen == "enrol_confirm"
    assert k.window.enrolment is not None
    k.cur.home.click()
    k.window.ask_panel.second.click()  # 放弃
    k.on("home")
    assert k.window.enrolment is None


def test_a_card_that_cannot_be_read_says_what_to_do(kiosk: Kiosk) -> None:
    from kiosk.ports import CorruptCardRecord

    k = kiosk
    k.window.start_enrolment()
    k.reader.place(CorruptCardRecord("bad checksum"))
    screen = k.cur
    assert isinstance(screen, EnrolCardScreen)
    k.wait(lambda: screen.error.isVisible())
    assert screen.error.text() == "这张身份证读不出来，请重新放一次"
    assert screen.primary.text() == "再试一次"
    k.reader.place(DEMO_VILLAGERS[1])
    screen.primary.click()
    k.on("enrol_confirm")
