"""The tour's walk through 政务服务, the pension check and 信用额度 (issue 6), on the villager the tour enrolled.

Only what comes from outside the kiosk is staged (ui/demo_services.py): the services catalog broadcast, the
villager's real-name credential, the credit profile, the offices' answers. The page check and the face
analyser are scripted (a blurred page then clear ones; a still photo, someone else, then the villager). The rest
goes through the real window, view-models and flows.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.fake.card import FakeCardReader
from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from drivers.fake.face import FakeCaptureScript, FakeFaceAnalyser, FakeOutcome
from drivers.fake.people import DEMO_VILLAGERS
from ui import demo_services as demo
from ui.tour import TOUR_PIN, Tour, TourError, _type_pin, wait_until
from ui.tour_proofs import _enrolled
from ui.viewmodels.pension import PensionPhase, PensionViewModel
from ui.viewmodels.services import ServicesPhase, ServicesViewModel
from ui.viewmodels.signin import SignInPhase
from ui.window import KioskWindow

VILLAGER = 1  # enrolled (with her face) by the tour's first enrolment
STILL_PHOTO = FakeCaptureScript(FakeOutcome.NOT_LIVE, hints=())
SOMEONE_ELSE = FakeCaptureScript(person="someone else", hints=())
HER = FakeCaptureScript()


def _on(w: KioskWindow, name: str) -> Callable[[], bool]:
    return lambda: w.current is not None and w.current.name == name


def sign_in_through(w: KioskWindow, reader: FakeCardReader, card: int = VILLAGER) -> None:
    """After a tile asked for sign-in: the villager's card and PIN."""
    vm = w.signin
    if vm is None:
        raise TourError("sign-in did not start")
    reader.place(DEMO_VILLAGERS[card])
    wait_until(lambda: vm.state.phase is SignInPhase.PIN, "the villager's card")
    _type_pin(w, TOUR_PIN, vm)
    vm.submit_pin()
    wait_until(lambda: w.session is not None, "the sign-in")


def services_vm(w: KioskWindow) -> ServicesViewModel:
    vm = w.gov.services
    if vm is None:
        raise TourError("政务服务 did not open")
    return vm


def pension_vm(w: KioskWindow) -> PensionViewModel:
    vm = w.gov.pension
    if vm is None:
        raise TourError("the pension check did not open")
    return vm


def idle(vm: ServicesViewModel | PensionViewModel) -> Callable[[], bool]:
    return lambda: not vm.state.busy


def fill_allowance(w: KioskWindow, vm: ServicesViewModel, tour: Tour | None = None) -> None:
    """The disability allowance's typed fields, from the first one; a required one skipped once on the way."""
    vm.form_next()
    for char in "4102251958031200":
        vm.key(char)
    if tour is not None:
        tour.shot("svc_field_keypad")
    for char in "2X43":
        vm.key(char)
    vm.field_next()
    vm.more()
    if tour is not None:
        tour.shot("svc_field_choice")
    vm.pick("physical")
    vm.field_next()
    vm.field_next()  # 残疾等级 left empty: it is required, and the screen says so
    wait_until(lambda: vm.state.error is not None, "the required field")
    if tour is not None:
        tour.shot("svc_field_required")
    vm.pick("g2")
    vm.field_next()
    vm.pick(True)
    if tour is not None:
        tour.shot("svc_field_yes_no")
    vm.field_next()
    vm.field_next()  # the phone may be left empty
    wait_until(lambda: vm.state.phase is ServicesPhase.MATERIALS and not vm.state.busy, "the materials")


def services_walk(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    w.go_home()
    core = w.services.core
    did = _enrolled(w, VILLAGER)
    demo.give_real_name(core, did, DEMO_VILLAGERS[VILLAGER].name)
    w.gov.open("services")
    sign_in_through(w, reader)
    vm = services_vm(w)
    wait_until(lambda: _on(w, "svc_outcome")(), "no catalog yet")
    tour.shot("svc_outcome")
    demo.broadcast_services(core)
    demo.deliver_credit_profile(core, did)
    w.gov.open("services")
    vm = services_vm(w)
    wait_until(lambda: _on(w, "svc_list")() and vm.state.loaded, "the services list")
    tour.shot("svc_list")
    _request(tour, vm, did)
    _pension(tour, reader)
    _credit(tour)
    w.gov.face = None
    w.go_home()


def _request(tour: Tour, vm: ServicesViewModel, did: str) -> None:
    w = tour.window
    vm.choose(demo.ALLOWANCE)
    wait_until(_on(w, "svc_form"), "the form")
    tour.shot("svc_form")
    fill_allowance(w, vm, tour)
    w.gov.documents = FakeDocumentChecker([BLURRED_PAGE, GOOD_PAGE])
    preview = getattr(w.current, "preview", None)
    if preview is not None:
        wait_until(lambda: preview.frames_shown > 0, "the camera preview")
    tour.shot("svc_materials")
    vm.shoot()
    wait_until(lambda: vm.state.verdict is not None and not vm.state.busy, "the blurred page")
    tour.shot("svc_materials_blurred")
    vm.shoot()
    wait_until(lambda: vm.state.verdict is not None and not vm.state.busy, "the retaken page")
    tour.shot("svc_materials_ok")
    vm.material_next()
    vm.shoot()
    wait_until(lambda: vm.state.verdict is not None and not vm.state.busy, "the second page")
    vm.material_next()
    wait_until(_on(w, "svc_review"), "the review")
    tour.shot("svc_review")
    vm.to_pin()
    _type_pin(w, TOUR_PIN[:3], vm)
    tour.shot("svc_pin")
    _type_pin(w, TOUR_PIN[3:], vm)
    vm.submit_pin()
    wait_until(_on(w, "svc_done"), "the receipt")
    tour.shot("svc_done")
    receipt = vm.state.receipt
    if receipt is None:
        raise TourError("no receipt")
    core = w.services.core
    demo.office_answers(core, receipt.number, did, "received")
    demo.office_answers(core, receipt.number, did, "more_materials", materials=["残疾人证背面"])
    vm.open_mine()
    wait_until(_on(w, "svc_mine"), "我的办事")
    tour.shot("svc_mine")
    vm.open_request(receipt.number)
    wait_until(_on(w, "svc_request"), "the request's history")
    tour.shot("svc_request")
    vm.back_to_list()
    wait_until(_on(w, "svc_list"), "the list again")


def _pension(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    vm = services_vm(w)
    w.gov.face = FakeFaceAnalyser([STILL_PHOTO, SOMEONE_ELSE, HER])
    vm.choose(demo.PENSION)
    wait_until(_on(w, "pension_face"), "the pension check")
    pension = pension_vm(w)
    wait_until(idle(pension), "the pension check to start")
    preview = getattr(w.current, "preview", None)
    if preview is not None:
        wait_until(lambda: preview.frames_shown > 0, "the camera preview")
    tour.shot("pension_face")
    for name in ("pension_still_photo", "pension_someone_else"):
        pension.capture(w.background.run_on_main)
        wait_until(lambda: pension.state.error is not None and not pension.state.busy, name)
        tour.shot(name)
    pension.capture(w.background.run_on_main)
    wait_until(_on(w, "pension_done"), "the pass")
    tour.shot("pension_done")
    receipt = pension.state.receipt
    if receipt is None:
        raise TourError("no pension receipt")
    demo.pension_answer(w.services.core, receipt.tx_id, _enrolled(w, VILLAGER))
    pension.refresh_answer()
    wait_until(lambda: bool(pension.state.answer), "the county's answer")
    tour.shot("pension_done_answered")
    # Someone whose face will not do: the tries run out, and a cadre's check is the way on.
    w.gov.face = FakeFaceAnalyser([STILL_PHOTO])
    w.gov.back_to_services()
    vm.choose(demo.PENSION)
    wait_until(_on(w, "pension_face"), "the pension check again")
    pension = pension_vm(w)
    for _ in range(w.settings.enrolment.max_retries):
        wait_until(idle(pension), "a try")
        pension.capture(w.background.run_on_main)
        wait_until(lambda: pension.state.error is not None and not pension.state.busy, "a refusal")
    wait_until(lambda: pension.state.phase is PensionPhase.FAILED, "the tries to run out")
    tour.shot("pension_failed")
    pension.to_cadre()
    tour.shot("pension_cadre")


def _credit(tour: Tour) -> None:
    w = tour.window
    w.gov.open("credit")
    vm = w.gov.credit
    if vm is None:
        raise TourError("信用额度 did not open")
    wait_until(lambda: _on(w, "credit")() and vm.state.loaded, "the credit profile")
    tour.shot("credit")
    vm.why()
    wait_until(_on(w, "credit_why"), "为什么")
    tour.shot("credit_why")
