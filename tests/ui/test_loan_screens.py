"""The loan screens (issue 6) on fakes: from the 贷款 tile to the receipt, bad amounts, a blurred page, a saved
draft resumed (or past its limit) at the next sign-in, 我的申请 with the bank's answer, and withdrawing."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.clock import FakeClock
from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.credentials.kinds import Vct
from kiosk.loans.package import open_package
from kiosk.store import outbox
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import LoanApplyBody, validate_body
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone
from tests.ui.conftest import PIN, Kiosk
from ui.screen import Screen
from ui.screens.home import HomeScreen
from ui.screens.signin import SignInPinScreen
from ui.tour_loan import bank_answers, seed
from ui.viewmodels.loan import LoanPhase, LoanViewModel
from ui.widgets import TapButton

pytestmark = pytest.mark.ui

VILLAGER = DEMO_VILLAGERS[1]


class World:
    def __init__(self, k: Kiosk) -> None:
        self.k = k
        core = k.services.core
        self.did = enrol_someone(core, PIN, card=VILLAGER)
        self.bank_key: X25519PrivateKey = seed(core, self.did)
        self.docs = FakeDocumentChecker([GOOD_PAGE])
        k.window.loans.documents = self.docs

    @property
    def vm(self) -> LoanViewModel:
        vm = self.k.window.loans.vm
        assert vm is not None
        return vm

    def tile(self, label: str) -> None:
        home = self.k.cur
        assert isinstance(home, HomeScreen)
        [tile] = [t for t in home.tiles if t.text() == label]
        tile.click()

    def sign_in(self) -> None:
        k = self.k
        k.on("signin_card")
        k.reader.place(VILLAGER)
        k.on("signin_pin")
        screen = k.cur
        assert isinstance(screen, SignInPinScreen)
        for digit in PIN:
            [key] = [b for b in screen.keypad.keys if b.text() == digit]
            key.click()
        screen.primary.click()
        k.wait(lambda: k.window.session is not None, what="the sign-in")

    def idle(self, phase: LoanPhase) -> None:
        self.k.wait(lambda: self.vm.state.phase is phase and not self.vm.state.busy, what=str(phase))

    def to_form(self, product: str = "huinong-01") -> None:
        self.tile("贷款")
        self.sign_in()
        self.k.on("loan_products")
        self.vm.choose(product)
        self.idle(LoanPhase.DETAILS)
        self.vm.to_form()
        self.k.on("loan_form")

    def to_done(self, amount: str = "50000") -> str:
        """A whole application through the view-model; its number."""
        self.to_form()
        vm = self.vm
        for d in amount:
            vm.key(d)
        vm.set_purpose("种植")
        vm.set_term(12)
        vm.submit_form()
        self.idle(LoanPhase.MATERIALS)
        vm.capture()
        self.k.wait(lambda: vm.state.material is not None and vm.state.material.kept and not vm.state.busy)
        vm.next_material()
        self.idle(LoanPhase.REVIEW)
        vm.to_pin()
        for d in PIN:
            vm.pin.press(d)
        vm.submit_pin()
        self.idle(LoanPhase.DONE)
        assert vm.state.receipt is not None
        return vm.state.receipt.number


@pytest.fixture
def world(kiosk: Kiosk) -> World:
    return World(kiosk)


def _button(screen: Screen, caption: str) -> TapButton:
    found = [b for b in screen.findChildren(TapButton) if b.text() == caption and b.isVisible()]
    assert found, f"no button {caption!r} on {screen.name}"
    return found[0]


def _click_primary(k: Kiosk, then: str) -> None:
    assert k.cur.primary.isEnabled(), k.cur.primary.text()
    k.cur.primary.click()
    k.on(then)


def _said_since(k: Kiosk, start: int) -> list[str]:
    return k.speaker.said[start:]


def test_a_whole_application_from_the_tile_to_the_receipt(world: World) -> None:
    k = world.k
    world.tile("贷款")
    world.sign_in()
    k.on("loan_products")
    screen = k.cur
    assert screen.cards[0].name.text() == "惠农贷 · 兰考农商银行"  # type: ignore[attr-defined]
    assert "可贷3万元到200万元" in screen.cards[0].range.text()  # type: ignore[attr-defined]
    assert _button(screen, "下一页").isVisible()  # five products: a second page
    screen.cards[0].click()  # type: ignore[attr-defined]
    k.on("loan_details")
    details = k.cur
    assert "比如借10万元、分36个月还" in details.sample.text()  # type: ignore[attr-defined]
    before = len(k.speaker.said)
    _button(details, "读给我听").click()
    assert "一共还" in k.speaker.said[before] and details.awake.active  # type: ignore[attr-defined]
    _click_primary(k, "loan_form")
    form = k.cur
    assert VILLAGER.name in form.info.text()  # type: ignore[attr-defined]  # pre-filled from the credential
    said_before_keys = len(k.speaker.said)
    for digit in "50000":
        [key] = [b for b in form.keypad.keys if b.text() == digit]  # type: ignore[attr-defined]
        key.click()
    assert form.amount.text() == "借多少：5万元"  # type: ignore[attr-defined]
    _button(form, "种植").click()
    _button(form, "12个月").click()
    _click_primary(k, "loan_materials")
    assert k.cur.title.text() == "请把土地承包合同放在摄像头下"
    k.cur.primary.click()  # 拍照
    k.wait(lambda: k.cur.verdict.words.text() == "清楚，可以用")  # type: ignore[attr-defined]
    _click_primary(k, "loan_review")
    sees = k.cur.sees.text()  # type: ignore[attr-defined]
    assert sees.startswith("兰考农商银行将看到：实名身份中的姓名、所在地区、是否年满18岁；材料照片：土地承包合同")
    assert sees in k.speaker.said[-1]  # read aloud in full
    _click_primary(k, "loan_pin")
    pin_screen = k.cur
    said_at_pin = len(k.speaker.said)
    for digit in PIN:
        [key] = [b for b in pin_screen.keypad.keys if b.text() == digit]  # type: ignore[attr-defined]
        key.click()
    assert len(k.speaker.said) == said_at_pin  # no digit, no count spoken while typing
    _click_primary(k, "loan_done")
    receipt = world.vm.state.receipt
    assert receipt is not None and receipt.number in k.cur.number.text()  # type: ignore[attr-defined]
    assert not any(PIN in s or PIN[:3] in s for s in _said_since(k, said_before_keys))

    core = k.services.core
    item = outbox.get(core.db.conn, receipt.tx_id)
    assert item is not None and item.type == "loan.apply"
    env = envm.parse(item.envelope)
    verify(env, core.registry.resolver)
    body = validate_body("loan.apply", env.body)
    assert isinstance(body, LoanApplyBody) and body.amount_fen == 5_000_000 and body.term_months == 12
    assert [(d.vct, sorted(d.claims)) for d in body.disclosures] == [
        (Vct.REAL_NAME.value, ["age_over_18", "name", "region"])
    ]
    package = open_package(body.sealed.model_dump(), world.bank_key, body.application)
    assert package.materials == {"land": GOOD_PAGE.jpeg}
    assert VILLAGER.name not in item.envelope.decode()  # the claim values travel only sealed to the bank


def test_an_amount_outside_the_range_is_refused_on_screen(world: World) -> None:
    k = world.k
    world.to_form()
    form = k.cur
    for digit in "10000":
        [key] = [b for b in form.keypad.keys if b.text() == digit]  # type: ignore[attr-defined]
        key.click()
    _button(form, "种植").click()
    _button(form, "12个月").click()
    form.primary.click()
    k.wait(lambda: form.error.isVisible())  # type: ignore[attr-defined]
    assert form.error.text() == "这个产品能贷3万元到200万元，请重新输入"  # type: ignore[attr-defined]
    assert k.screen == "loan_form" and k.speaker.said[-1] == form.error.text()  # type: ignore[attr-defined]
    _button(form, "清空").click()
    form.primary.click()
    k.wait(lambda: form.error.text() == "请先在右边按数字，输入借多少元")  # type: ignore[attr-defined]


def test_a_blurred_page_is_refused_with_its_verdict_and_retaken(world: World) -> None:
    k = world.k
    k.window.loans.documents = FakeDocumentChecker([BLURRED_PAGE, GOOD_PAGE])
    world.to_form()
    vm = world.vm
    for d in "50000":
        vm.key(d)
    vm.set_purpose("养殖")
    vm.set_term(24)
    vm.submit_form()
    k.on("loan_materials")
    screen = k.cur
    screen.primary.click()
    k.wait(lambda: screen.verdict.words.text() == "太模糊：请拿稳，再拍一次")  # type: ignore[attr-defined]
    assert k.speaker.said[-1] == "太模糊：请拿稳，再拍一次"
    assert screen.primary.text() == "重拍"
    screen.primary.click()
    k.wait(lambda: screen.verdict.words.text() == "清楚，可以用")  # type: ignore[attr-defined]
    assert screen.primary.text() == "下一步"
    _click_primary(k, "loan_review")


def test_an_interrupted_draft_resumes_at_the_next_sign_in(world: World) -> None:
    k = world.k
    world.to_form()
    vm = world.vm
    for d in "80000":
        vm.key(d)
    k.time.now += k.window.idle.idle_s + k.window.idle.countdown_s + 1
    k.window.check_idle()
    k.on("home")
    assert k.window.loans.vm is None and k.window.session is None
    k.window.start_signin()
    world.sign_in()
    k.on("loan_resume")
    assert "“惠农贷”已经办到第3步" in k.cur.body.text()
    _click_primary(k, "loan_form")
    assert world.vm.state.form is not None


def test_a_draft_past_its_time_limit_gets_a_calm_message(world: World, clock: FakeClock) -> None:
    k = world.k
    world.to_form()
    k.window.go_home()
    clock.advance(k.settings.loans.draft_resume_s + 1)
    world.tile("进度查询")
    world.sign_in()
    k.on("loan_notice")
    assert k.cur.title.text() == "上次没填完的申请已超过30分钟，已经清除，请重新填写"
    _click_primary(k, "loan_mine")  # then what the tile asked for
    assert k.services.core.db.read("SELECT COUNT(*) FROM loan_draft")[0][0] == 0


def _status(world: World, number: str, *events: tuple[str, dict[str, Any]]) -> None:
    bank_answers(world.k.services.core, number, world.did, *events)


def test_my_applications_show_the_approval_and_a_withdrawal(world: World) -> None:
    k = world.k
    first = world.to_done("50000")
    _status(world, first, ("received", {}), ("approved", {"amount_fen": 5_000_000}))
    k.cur.primary.click()  # 看我的申请
    k.on("loan_mine")
    card = k.cur.cards[0]  # type: ignore[attr-defined]
    assert card.status.text() == "现在：已批准"
    card.click()
    k.on("loan_application")
    lines = [w.text() for w in k.cur.lines if w.isVisible()]  # type: ignore[attr-defined]
    assert lines[-1].endswith("：已批准，5万元") and len(lines) == 3
    assert not k.cur.primary.isVisible()  # approved: nothing left to withdraw

    k.window.go_home()
    second = world.to_done("60000")
    k.cur.primary.click()
    k.on("loan_mine")
    [card] = [c for c in k.cur.cards if c.isVisible() and c.key == second]  # type: ignore[attr-defined]
    card.click()
    k.on("loan_application")
    _click_primary(k, "loan_withdraw")
    assert k.cur.title.text() == "要撤回这笔申请吗？"
    for d in PIN:
        world.vm.pin.press(d)
    k.cur.refresh_view()  # type: ignore[attr-defined]
    _click_primary(k, "loan_application")
    k.wait(lambda: k.cur.status.text() == "现在：已撤回")  # type: ignore[attr-defined]
    rows = k.services.core.db.read("SELECT COUNT(*) FROM outbox WHERE type = 'loan.withdraw'")
    assert rows[0][0] == 1
    assert not any(PIN in s for s in k.speaker.said)
