"""信用额度 on screen: the line in 万元 words, the factors with points and reasons, how fresh, 为什么; a stale one;
none yet."""

from __future__ import annotations

import pytest

from tests.ui.conftest import Kiosk
from tests.ui.services_helpers import sign_in, villager
from ui import demo_services as demo
from ui.screens.credit import CreditProfileScreen, CreditWhyScreen

pytestmark = pytest.mark.ui


def _open(k: Kiosk) -> CreditProfileScreen:
    k.window.gov.open("credit")
    sign_in(k)
    k.on("credit")
    vm = k.window.gov.credit
    assert vm is not None
    k.wait(lambda: vm.state.loaded, what="the profile")
    screen = k.cur
    assert isinstance(screen, CreditProfileScreen)
    return screen


def test_the_line_the_factors_with_reasons_and_why(kiosk: Kiosk) -> None:
    k = kiosk
    did = villager(k)
    demo.deliver_credit_profile(k.services.core, did, age_days=3, line_fen=8_000_000)
    screen = _open(k)
    assert screen.title.text() == "您的预授信额度：8万元"
    assert screen.fresh.text() == "3天前更新"
    factors = [f.text() for f in screen.factors if f.isVisible()]
    assert factors[0] == "还款记录：30分（满分40）" and len(factors) == 4
    assert screen.reasons[0].text() == "按时还清2笔贷款"
    assert "8万元" not in "\n".join(k.speaker.said)  # the line is shown, not spoken
    screen.primary.click()  # 为什么
    k.on("credit_why")
    why = k.cur
    assert isinstance(why, CreditWhyScreen)
    assert "乡亲互证：10分（满分20）：2位乡亲为您作证" in why.lines.text()
    assert why.total.text() == "合计65分，预授信额度8万元（兰考县农户信用评价第2版）"
    why.back.click()
    k.on("credit")


def test_a_stale_profile_says_it_may_be_out_of_date(kiosk: Kiosk) -> None:
    k = kiosk
    did = villager(k)
    demo.deliver_credit_profile(k.services.core, did, age_days=120)
    screen = _open(k)
    assert screen.fresh.text() == "120天前更新，可能已经过时，县里更新后会再发来"
    assert screen.fresh.property("role") == "warning"
    assert k.speaker.said[-1] == screen.fresh.text()


def test_no_profile_yet_is_said_calmly(kiosk: Kiosk) -> None:
    k = kiosk
    villager(k)
    screen = _open(k)
    assert screen.title.text() == "县里还没有送来您的信用评价"
    assert screen.primary.text() == "回首页"


def test_the_villager_page_leads_to_the_credit_line(kiosk: Kiosk) -> None:
    k = kiosk
    did = villager(k)
    demo.deliver_credit_profile(k.services.core, did)
    k.window.start_signin()
    sign_in(k)
    k.on("villager_home")
    button = next(b for b in k.cur.findChildren(type(k.cur.primary)) if b.text() == "信用额度")
    button.click()
    k.on("credit")
