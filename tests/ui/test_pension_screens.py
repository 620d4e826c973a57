"""养老待遇资格认证 on screen: the live face passes on the fake face → 认证成功，明年X月前再来 (then the county's
answer); a still photo and a different person refused calmly with the tries left; the cadre's check in person."""

from __future__ import annotations

import pytest

from drivers.fake.face import FakeFaceAnalyser
from kiosk.flows.pension import CHINA, TX_TYPE
from kiosk.store import outbox
from kiosk.tx import envelope as envm
from tests.ui.conftest import Kiosk
from tests.ui.services_helpers import sign_in, villager
from ui import demo_services as demo
from ui.screens.pension import PensionFaceScreen
from ui.tour_services import HER, SOMEONE_ELSE, STILL_PHOTO
from ui.viewmodels.pension import PensionPhase, PensionViewModel

pytestmark = pytest.mark.ui


def _open(k: Kiosk, face: FakeFaceAnalyser) -> tuple[str, PensionViewModel]:
    did = villager(k)
    demo.broadcast_services(k.services.core)
    k.window.gov.face = face
    k.window.gov.open("services")
    sign_in(k)
    k.on("svc_list")
    vm = k.window.gov.services
    assert vm is not None
    k.wait(lambda: vm.state.loaded, what="the list")
    vm.choose(demo.PENSION)
    k.on("pension_face")
    pension = k.window.gov.pension
    assert pension is not None
    k.wait(lambda: not pension.state.busy, what="the check to start")
    k.wait(lambda: k.cur.primary.isEnabled(), what="the camera and face analyser")
    return did, pension


def _try(k: Kiosk, vm: PensionViewModel) -> None:
    k.cur.primary.click()
    k.wait(lambda: not vm.state.busy, what="the capture")


def test_the_villager_passes_and_is_told_when_to_come_again(kiosk: Kiosk) -> None:
    k = kiosk
    did, vm = _open(k, FakeFaceAnalyser([HER]))
    screen = k.cur
    assert isinstance(screen, PensionFaceScreen)
    assert screen.title.text() == "请看摄像头" and screen.preview.isVisible()
    _try(k, vm)
    k.on("pension_done")
    month = k.services.core.time.now().at.astimezone(CHINA).month
    assert k.cur.title.text() == f"认证成功，明年{month}月前再来"
    assert "眨眨眼" in k.speaker.said  # the hints were spoken while the capture ran
    receipt = vm.state.receipt
    assert receipt is not None and receipt.outcome == "passed" and receipt.check == "face_match"
    item = outbox.get(k.services.core.db.conn, receipt.tx_id)
    assert item is not None and envm.parse(item.envelope).type == TX_TYPE
    demo.pension_answer(k.services.core, receipt.tx_id, did, "2027-06-30")
    vm.refresh_answer()
    k.wait(lambda: bool(vm.state.answer), what="the county's answer")
    assert k.cur.title.text() == "认证成功，明年6月前再来"
    assert k.cur.answer.text() == "认证成功，请在2027年6月底前再来认证"  # type: ignore[attr-defined]


def test_a_still_photo_and_someone_else_are_refused_calmly_then_she_passes(kiosk: Kiosk) -> None:
    k = kiosk
    _did, vm = _open(k, FakeFaceAnalyser([STILL_PHOTO, SOMEONE_ELSE, HER]))
    screen = k.cur
    assert isinstance(screen, PensionFaceScreen)
    _try(k, vm)
    assert k.screen == "pension_face"
    assert screen.error.text() == "请本人正对摄像头，眨眨眼，再向左转头。不能用照片"
    assert screen.note.text() == "还可以再试2次" and screen.primary.text() == "再试一次"
    assert screen.cadre.isVisible() and screen.cadre.isEnabled()  # the way to a cadre's check, always
    _try(k, vm)
    assert screen.error.text() == "和登记的本人对不上，请领取待遇的本人来认证"
    assert k.speaker.said[-1] == "和登记的本人对不上，请领取待遇的本人来认证"
    conn = k.services.core.db.conn
    assert not [r for r in conn.execute("SELECT id FROM outbox WHERE type = ?", (TX_TYPE,))]  # nothing queued yet
    _try(k, vm)
    k.on("pension_done")


def test_when_the_tries_run_out_a_cadre_checks_her_in_person(kiosk: Kiosk) -> None:
    k = kiosk
    _did, vm = _open(k, FakeFaceAnalyser([STILL_PHOTO]))
    for _ in range(k.settings.enrolment.max_retries):
        _try(k, vm)
    k.on("pension_failed")
    assert vm.state.phase is PensionPhase.FAILED
    assert "村干部" in k.cur.body.text()
    k.cur.primary.click()  # 请村干部认证
    k.on("pension_cadre")
    assert "村干部入口" in k.cur.body.text()  # no cadre signed in here: how to get one, never a dead end
    assert k.cur.primary.text() == "回首页"
    k.cur.back.click()
    k.on("pension_failed")
