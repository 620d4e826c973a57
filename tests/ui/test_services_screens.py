"""政务服务 on screen: the tile → sign-in → list → pre-filled form → typed fields → materials → review → PIN →
receipt; a required field left empty; a blurred page retaken; the office's answer as status and history."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from kiosk.services.status import ServiceStatus
from kiosk.store import outbox
from kiosk.tx import envelope as envm
from kiosk.tx.verify import verify
from tests.ui.conftest import PIN, Kiosk
from tests.ui.services_helpers import said, sign_in, villager
from ui import demo_services as demo
from ui.screens.home import HomeScreen
from ui.screens.services import ServicesFieldScreen, ServicesListScreen, ServicesMaterialsScreen
from ui.tour_services import fill_allowance
from ui.viewmodels.home import TILES
from ui.viewmodels.services import ServicesPhase, ServicesViewModel

pytestmark = pytest.mark.ui


def _tap_tile(k: Kiosk, tile_id: str) -> None:
    home = k.window.screen_named("home")
    assert isinstance(home, HomeScreen)
    button = next(b for b, tile in zip(home.tiles, TILES, strict=True) if tile.key == tile_id)
    button.click()


def _open(k: Kiosk) -> tuple[str, ServicesViewModel]:
    did = villager(k)
    demo.broadcast_services(k.services.core)
    _tap_tile(k, "services")
    sign_in(k)
    k.on("svc_list")
    vm = k.window.gov.services
    assert vm is not None
    k.wait(lambda: vm.state.loaded and not vm.state.busy, what="the list")
    return did, vm


def _idle(k: Kiosk, vm: ServicesViewModel) -> None:
    k.wait(lambda: not vm.state.busy, what="the work")


def test_a_whole_request_from_the_tile_to_a_verified_receipt(kiosk: Kiosk) -> None:
    k = kiosk
    did, vm = _open(k)
    screen = k.cur
    assert isinstance(screen, ServicesListScreen)
    names = [b.text() for b in screen.choices if b.isVisible()]
    assert names == ["残疾人两项补贴", "开具完税证明", "养老待遇资格认证"]
    k.window.gov.documents = FakeDocumentChecker([GOOD_PAGE])
    screen.choices[0].click()
    k.on("svc_form")
    shown = "\n".join(label.text() for label in k.cur.findChildren(type(k.cur.title)))
    assert "户籍地：河南省兰考县东坝头乡张庄村" in shown  # pre-filled from her credential, shown, not typed
    fill_allowance(k.window, vm)
    k.on("svc_materials")
    for _ in vm.state.materials:
        k.cur.primary.click()  # 拍照
        k.wait(lambda: vm.state.verdict is not None and not vm.state.busy, what="the verdict")
        k.cur.primary.click()  # 下一步
    k.on("svc_review")
    preview = vm.state.preview
    assert preview is not None
    assert said(k).endswith(preview.words())  # what the office will see, read aloud in full
    k.cur.primary.click()
    k.on("svc_pin")
    k.speaker.said.clear()
    for digit in PIN:
        vm.pin.press(digit)
        k.cur.enter()
    k.cur.primary.click()
    k.on("svc_done")
    receipt = vm.state.receipt
    assert receipt is not None and receipt.number.startswith("S")
    assert not any(d in line for line in k.speaker.said for d in PIN)  # the speaker never heard the digits
    item = outbox.get(k.services.core.db.conn, receipt.tx_id)
    assert item is not None
    env = envm.parse(item.envelope)
    assert env.type == "service.request" and env.body["did"] == did
    verify(env, k.services.core.registry.resolver)  # the county's own check passes
    assert receipt.number in "\n".join(w.text() for w in k.cur.findChildren(type(k.cur.title)))


def test_a_required_field_left_empty_is_named_and_nothing_moves_on(kiosk: Kiosk) -> None:
    k = kiosk
    _did, vm = _open(k)
    vm.choose(demo.TAX_CERT)
    k.on("svc_form")
    k.cur.primary.click()
    k.on("svc_field")
    screen = k.cur
    assert isinstance(screen, ServicesFieldScreen)
    assert screen.title.text() == "哪一年的" and "必须填写" in screen.body.text()
    assert screen.keypad.isVisible()
    screen.primary.click()  # nothing typed
    _idle(k, vm)
    assert vm.state.phase is ServicesPhase.FIELD and vm.state.field_index == 0
    assert screen.error.text() == "请填写：哪一年的"
    assert k.speaker.said[-1] == "请填写：哪一年的"
    for char in "1999":
        screen.keypad.keys[char].click()
    screen.primary.click()
    assert "请填2015到2035" in screen.error.text()
    screen.keypad.clear_key.click()
    for char in "2025":
        screen.keypad.keys[char].click()
    screen.primary.click()
    k.wait(lambda: vm.state.field_index == 1, what="the next field")
    assert screen.error.text() == ""


def test_a_blurred_page_is_said_and_retaken(kiosk: Kiosk) -> None:
    k = kiosk
    _did, vm = _open(k)
    k.window.gov.documents = FakeDocumentChecker([BLURRED_PAGE, GOOD_PAGE])
    vm.choose(demo.ALLOWANCE)
    k.on("svc_form")
    fill_allowance(k.window, vm)
    k.on("svc_materials")
    screen = k.cur
    assert isinstance(screen, ServicesMaterialsScreen)
    assert screen.title.text() == "请拍：残疾人证"
    screen.primary.click()
    k.wait(lambda: vm.state.verdict is not None and not vm.state.busy, what="the verdict")
    assert screen.verdict.text() == "照片模糊了：请拿稳，再拍一次" and screen.primary.text() == "重拍"
    assert k.speaker.said[-1].startswith("照片模糊了")
    screen.primary.click()
    k.wait(lambda: vm.state.verdict is not None and not vm.state.busy, what="the retake")
    assert screen.verdict.text() == "拍好了，很清楚" and screen.primary.text() == "下一步"
    screen.primary.click()
    QApplication.processEvents()
    assert screen.title.text() == "请拍：户口簿本人页"


def test_status_and_history_after_the_office_answers(kiosk: Kiosk) -> None:
    k = kiosk
    did, vm = _open(k)
    k.window.gov.documents = FakeDocumentChecker([GOOD_PAGE])
    vm.choose(demo.ALLOWANCE)
    k.on("svc_form")
    fill_allowance(k.window, vm)
    for _ in range(2):
        vm.shoot()
        k.wait(lambda: vm.state.verdict is not None and not vm.state.busy, what="the page")
        vm.material_next()
    k.on("svc_review")
    vm.to_pin()
    for digit in PIN:
        vm.pin.press(digit)
    vm.submit_pin()
    k.on("svc_done")
    receipt = vm.state.receipt
    assert receipt is not None
    core = k.services.core
    demo.office_answers(core, receipt.number, did, "received")
    demo.office_answers(core, receipt.number, did, "approved", reason="每月发放")
    vm.back_to_list()
    k.on("svc_list")
    k.cur.primary.click()  # 我的办事
    k.on("svc_mine")
    assert vm.state.requests[0].status is ServiceStatus.APPROVED
    rows = [b.text() for b in k.cur.rows if b.isVisible()]  # type: ignore[attr-defined]
    assert rows == ["残疾人两项补贴 · 已批准（每月发放）"]
    k.cur.rows[0].click()  # type: ignore[attr-defined]
    k.on("svc_request")
    history = k.cur.history.text()  # type: ignore[attr-defined]
    assert "在本机提交" in history and "办理部门已收到" in history and "已批准（每月发放）" in history


def test_without_a_catalog_the_villager_is_told_calmly_and_can_go_home(kiosk: Kiosk) -> None:
    k = kiosk
    villager(k)
    _tap_tile(k, "services")
    sign_in(k)
    k.on("svc_outcome")
    assert k.cur.body.text() == "办事目录还没有送到本机，请稍后再试"
    k.cur.primary.click()
    k.on("home")
    assert k.window.session is None
