"""`lxt-kiosk --tour DIR`: walk every screen on fake devices in a throw-away kiosk and save one PNG per screen.

The walk drives the real window, view-models and flows (nothing is staged by hand except the county's
receipt and the county's lock, which come from outside the kiosk), so a PNG shows what a villager would see.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from drivers.fake.card import FakeCardReader
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.config import Settings, load_settings
from kiosk.errors import KioskError
from kiosk.identity.device import provision
from kiosk.identity.evidence import generate_keypair
from kiosk.store import outbox
from ui import i18n, theme
from ui.background import Background
from ui.screens.enrolment import EnrolFaceScreen
from ui.services import UiOptions
from ui.viewmodels.enrolment import EnrolPhase
from ui.viewmodels.signin import SignInPhase, SignInViewModel
from ui.viewmodels.status import SwitchLockSource
from ui.voice import QuietSpeaker
from ui.window import KioskWindow

logger = logging.getLogger(__name__)

TOUR_PIN = "382917"
LANDSCAPE = QSize(1920, 1080)
PORTRAIT = QSize(1080, 1920)


class TourError(KioskError):
    """The tour could not reach a screen (the app did not answer in time)."""


class ManualClock:
    """The idle timer's clock in the tour: time passes only when the tour says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def tour_settings(data_dir: Path) -> Settings:
    usb = data_dir.parent / "usb"  # where the diagnostics bundle goes, as if a stick were in
    usb.mkdir(parents=True, exist_ok=True)
    env = {"LXT_PATHS__DATA_DIR": str(data_dir), "LXT_SECURITY__SCRYPT_LOG2_N": "12"}
    settings = load_settings(None, env | {"LXT_DIAGNOSTICS__EXPORT_DIR": str(usb)})
    ident = settings.identity
    provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
    _private, public_pem = generate_keypair()
    settings.paths.enrolment_key_file.parent.mkdir(parents=True, exist_ok=True)
    settings.paths.enrolment_key_file.write_bytes(public_pem)
    return settings


def wait_until(ready: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise TourError(f"the tour waited in vain for: {what}")
        time.sleep(0.01)
    QApplication.processEvents()


@dataclass
class Tour:
    window: KioskWindow
    folder: Path
    saved: list[Path] = field(default_factory=list)
    check: Callable[[KioskWindow, str], None] | None = None  # tests look at every screen here

    def shot(self, name: str, size: QSize = LANDSCAPE) -> Path:
        if self.window.size() != size:
            self.window.orient(size.height() > size.width())
            for _ in range(3):  # the layouts' new minimum sizes travel up as posted events, a level at a time
                QApplication.processEvents()
            self.window.resize(size)
        for _ in range(3):  # let layouts settle after a resize or a screen change
            QApplication.processEvents()
        if self.window.size() != size:  # the layout's minimum does not fit the screen: something overflows
            got = self.window.size()
            raise TourError(f"{name}: needs {got.width()}x{got.height()}, the screen is {size.width()}x{size.height()}")
        if self.check is not None:
            self.check(self.window, name)
        path = self.folder / f"{len(self.saved) + 1:02d}_{name}.png"
        if not self.window.grab().save(str(path)):
            raise TourError(f"could not write {path}")
        self.saved.append(path)
        return path


def walk(tour: Tour, reader: FakeCardReader, lock: SwitchLockSource, clock: ManualClock) -> None:
    w = tour.window
    tour.shot("home")
    tour.shot("home_portrait", PORTRAIT)
    w.show_help()
    tour.shot("help")
    w.go("home")
    w.show_not_open("贷款")
    tour.shot("not_open")
    _enrolment(tour, reader, clock)
    from ui.tour_cadre import cadre_walk  # here: it builds on this module

    cadre_walk(tour, reader)
    from ui.tour_proofs import proofs_walk  # before the lockout below: it signs the same villager in

    proofs_walk(tour, reader)
    from ui.tour_services import services_walk  # 政务服务, the pension check, 信用额度

    services_walk(tour, reader)
    from ui.tour_loan import loan_walk  # the loan screens, before the lockout below: the same villager

    loan_walk(tour, reader)
    _signin(tour, reader)
    lock.locked = True
    w.status.refresh()
    wait_until(lambda: w.current is not None and w.current.name == "lock", "the lock screen")
    tour.shot("lock")
    lock.locked = False
    w.status.refresh()
    wait_until(lambda: w.current is not None and w.current.name == "home", "home after the lock")
    w.show_fault()
    tour.shot("fault")
    from ui.tour_diag import walk_diagnostics  # the technician's screens, imported with them

    walk_diagnostics(tour, wait_until)


def _type_pin(window: KioskWindow, pin: str, phase_vm: object) -> None:
    entry = getattr(phase_vm, "pin")  # noqa: B009 — both view-models have one
    for digit in pin:
        entry.press(digit)
    if window.current is not None:
        window.current.enter()


def _enrolment(tour: Tour, reader: FakeCardReader, clock: ManualClock) -> None:
    w = tour.window
    w.start_enrolment()
    tour.shot("enrol_card")
    vm = w.enrolment
    assert vm is not None  # noqa: S101 — just started
    reader.place(DEMO_VILLAGERS[1])
    wait_until(lambda: vm.state.phase is EnrolPhase.CONFIRM, "the card to be read")
    tour.shot("enrol_confirm")
    vm.confirm(True)
    tour.shot("enrol_consent")
    w.go_home(ask=True)
    tour.shot("ask_abandon")
    w.ask_panel.close_panel()
    vm.consent(True)
    _start_face(w)
    tour.shot("enrol_face")
    vm.capture_face(w.background.run_on_main)
    wait_until(lambda: vm.state.phase is EnrolPhase.PIN, "the face capture")
    _type_pin(w, TOUR_PIN[:3], vm)
    tour.shot("enrol_pin")
    tour.shot("enrol_pin_portrait", PORTRAIT)
    _type_pin(w, TOUR_PIN[3:], vm)
    vm.submit_pin()
    _type_pin(w, TOUR_PIN, vm)
    tour.shot("enrol_pin_again")
    clock.now += w.idle.idle_s + 5
    w.check_idle()
    tour.shot("idle_countdown")
    w.idle_panel.first.click()
    vm.submit_pin()
    wait_until(lambda: vm.state.phase is EnrolPhase.DONE, "the enrolment to be saved")
    tour.shot("enrol_done_pending")
    tx_id = vm.state.tx_id
    db = w.services.core.db
    with db.transaction() as conn:  # stands in for the county's verified receipt
        outbox.mark_committed(conn, str(tx_id), b"tour receipt", 0)
    vm.refresh_chain()
    wait_until(lambda: vm.state.chain is outbox.OutboxState.COMMITTED, "the receipt")
    tour.shot("enrol_done_confirmed")
    w.start_enrolment()
    vm2 = w.enrolment
    assert vm2 is not None  # noqa: S101
    reader.place(DEMO_VILLAGERS[0])
    wait_until(lambda: vm2.state.phase is EnrolPhase.CONFIRM, "the second card")
    vm2.confirm(True)
    vm2.consent(False)
    wait_until(lambda: w.current is not None and w.current.name == "enrol_outcome", "the cancelled screen")
    tour.shot("enrol_cancelled")


def _start_face(w: KioskWindow) -> None:
    w.services.start_devices()
    wait_until(lambda: w.services.face.ready and w.services.camera.ready, "the camera and face analyser")
    screen = w.screen_named("enrol_face")
    if isinstance(screen, EnrolFaceScreen):
        wait_until(lambda: screen.preview.frames_shown > 0, "the camera preview")
        screen.refresh_view()


def _new_signin(w: KioskWindow, reader: FakeCardReader, card_index: int) -> SignInViewModel:
    w.start_signin()
    vm = w.signin
    if vm is None:
        raise TourError("sign-in did not start")
    reader.place(DEMO_VILLAGERS[card_index])
    wait_until(lambda: vm.state.phase is not SignInPhase.CARD or vm.state.error is not None, "the sign-in card")
    return vm


def _idle_of(vm: SignInViewModel) -> Callable[[], bool]:
    return lambda: not vm.state.busy


def _signin(tour: Tour, reader: FakeCardReader) -> None:
    w = tour.window
    w.start_signin()
    tour.shot("signin_card")
    vm = _new_signin(w, reader, 1)  # enrolled above
    _type_pin(w, "11", vm)
    tour.shot("signin_pin")
    vm.pin.clear()
    _type_pin(w, TOUR_PIN, vm)
    vm.submit_pin()
    wait_until(lambda: w.current is not None and w.current.name == "villager_home", "the villager's page")
    tour.shot("villager_home")
    _new_signin(w, reader, 3)  # never enrolled here
    tour.shot("signin_not_enrolled")
    shown_wrong = False
    for _ in range(w.services.core.settings.security.pin_max_attempts):
        vm = _new_signin(w, reader, 1)
        if vm.state.phase is SignInPhase.LOCKED:
            break
        _type_pin(w, "246813", vm)
        vm.submit_pin()
        wait_until(_idle_of(vm), "the PIN check")
        if vm.state.phase is SignInPhase.PIN and vm.state.error is not None and not shown_wrong:
            tour.shot("signin_wrong_pin")
            shown_wrong = True
    wait_until(lambda: w.current is not None and w.current.name == "signin_outcome", "the lock message")
    tour.shot("signin_locked")
    w.go_home()


def run_tour(folder: Path, lang: str = "zh") -> int:
    from ui.app import build_services, build_window, make_application

    folder.mkdir(parents=True, exist_ok=True)
    app = make_application()
    translator = i18n.install(app, lang)  # noqa: F841 — kept alive while the tour runs
    with tempfile.TemporaryDirectory(prefix="lxt-tour-") as tmp:
        settings = tour_settings(Path(tmp) / "kiosk")
        reader, lock, clock = FakeCardReader(), SwitchLockSource(), ManualClock()
        options = UiOptions(fullscreen=False, lang=lang, dpi=102.0)
        services = build_services(
            settings, options, card_reader=reader, speaker=QuietSpeaker(), lock=lock, speech="quiet"
        )
        background = Background()
        window = build_window(services, background, theme.Metrics(102.0), clock)
        window.resize(LANDSCAPE)
        window.show()
        window.start()
        tour = Tour(window, folder)
        try:
            walk(tour, reader, lock, clock)
        finally:
            window.stop()
            services.close_devices()
            background.close()
            services.close()
    for path in tour.saved:
        print(path)
    return 0
