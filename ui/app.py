"""`lxt-kiosk`: the composition root of the touchscreen app — settings → drivers → core → services → window.

The only place that chooses drivers (real or fake, from `devices.*`), opens the core, starts the Background
lanes and installs the error handler. Start-up is staged so home is interactive as soon as it can be: the
first frame needs only the few settings of `ui/early.py`; then `open_services` builds the typed settings,
opens the core and chooses the drivers on the store lane (a tile tapped meanwhile waits for it), and the
camera and face models open a second after that. So this module imports the core only inside functions.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.errors import ConfigError, KioskError
from ui import i18n, theme
from ui.background import Background
from ui.early import EarlySettings, read_early
from ui.faults import install as install_fault_handler
from ui.services import CardGate, Opened, Services, Speaker, UiOptions
from ui.viewmodels.status import DbLockSource, LockSource
from ui.voice import LateSpeaker, make_speaker
from ui.window import KioskWindow, frameless_flags

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from kiosk.config import Settings
    from kiosk.ports import Camera, CardReader, Clock, FaceAnalyser
    from ui.lazy import LazyCamera, LazyFaceAnalyser
    from ui.screen import Screen

logger = logging.getLogger(__name__)

# name → "module:Class"; each screen's module is imported when the screen is first shown.
SCREENS = {
    "home": "ui.screens.home:HomeScreen",
    "enrol_card": "ui.screens.enrolment:EnrolCardScreen",
    "enrol_confirm": "ui.screens.enrolment:EnrolConfirmScreen",
    "enrol_consent": "ui.screens.enrolment:EnrolConsentScreen",
    "enrol_face": "ui.screens.enrolment:EnrolFaceScreen",
    "enrol_pin": "ui.screens.enrolment:EnrolPinScreen",
    "enrol_done": "ui.screens.enrolment:EnrolDoneScreen",
    "enrol_outcome": "ui.screens.enrolment:EnrolOutcomeScreen",
    "signin_card": "ui.screens.signin:SignInCardScreen",
    "signin_pin": "ui.screens.signin:SignInPinScreen",
    "signin_outcome": "ui.screens.signin:SignInOutcomeScreen",
    "villager_home": "ui.screens.signin:VillagerHomeScreen",
    "not_open": "ui.screens.info:NotOpenScreen",
    "wallet": "ui.screens.wallet:WalletListScreen",
    "wallet_detail": "ui.screens.wallet:WalletDetailScreen",
    "wallet_import": "ui.screens.wallet:WalletImportScreen",
    "share_scan": "ui.screens.share:ShareScanScreen",
    "share_choose": "ui.screens.share:ShareChooseScreen",
    "share_pin": "ui.screens.share:SharePinScreen",
    "share_done": "ui.screens.share:ShareDoneScreen",
    "share_outcome": "ui.screens.share:ShareOutcomeScreen",
    "attest_card": "ui.screens.attest:AttestCardScreen",
    "attest_relation": "ui.screens.attest:AttestRelationScreen",
    "attest_statement": "ui.screens.attest:AttestStatementScreen",
    "attest_pin": "ui.screens.attest:AttestPinScreen",
    "attest_done": "ui.screens.attest:AttestDoneScreen",
    "attest_outcome": "ui.screens.attest:AttestOutcomeScreen",
    "loan_products": "ui.screens.loan:LoanProductsScreen",
    "loan_details": "ui.screens.loan:LoanDetailsScreen",
    "loan_form": "ui.screens.loan:LoanFormScreen",
    "loan_materials": "ui.screens.loan:LoanMaterialsScreen",
    "loan_review": "ui.screens.loan:LoanReviewScreen",
    "loan_pin": "ui.screens.loan:LoanPinScreen",
    "loan_done": "ui.screens.loan:LoanDoneScreen",
    "loan_resume": "ui.screens.loan:LoanResumeScreen",
    "loan_notice": "ui.screens.loan:LoanNoticeScreen",
    "loan_mine": "ui.screens.loan_mine:LoanMineScreen",
    "loan_application": "ui.screens.loan_mine:LoanApplicationScreen",
    "loan_withdraw": "ui.screens.loan_mine:LoanWithdrawScreen",
    "svc_list": "ui.screens.services:ServicesListScreen",
    "svc_form": "ui.screens.services:ServicesFormScreen",
    "svc_field": "ui.screens.services:ServicesFieldScreen",
    "svc_materials": "ui.screens.services:ServicesMaterialsScreen",
    "svc_review": "ui.screens.services:ServicesReviewScreen",
    "svc_pin": "ui.screens.services:ServicesPinScreen",
    "svc_done": "ui.screens.services:ServicesDoneScreen",
    "svc_mine": "ui.screens.services_status:ServicesMineScreen",
    "svc_request": "ui.screens.services_status:ServicesRequestScreen",
    "svc_outcome": "ui.screens.services_status:ServicesOutcomeScreen",
    "pension_face": "ui.screens.pension:PensionFaceScreen",
    "pension_done": "ui.screens.pension:PensionDoneScreen",
    "pension_failed": "ui.screens.pension:PensionFailedScreen",
    "pension_cadre": "ui.screens.pension:PensionCadreScreen",
    "credit": "ui.screens.credit:CreditProfileScreen",
    "credit_why": "ui.screens.credit:CreditWhyScreen",
    "lock": "ui.screens.info:LockScreen",
    "fault": "ui.screens.info:FaultScreen",
    "tech_entry": "ui.screens.diagnostics:TechEntryScreen",
    "diag_summary": "ui.screens.diagnostics:DiagSummaryScreen",
    "diag_devices": "ui.screens.diagnostics:DiagDevicesScreen",
    "diag_link": "ui.screens.diagnostics:DiagLinkScreen",
    "diag_system": "ui.screens.diagnostics:DiagSystemScreen",
    "cadre_card": "ui.screens.cadre:CadreCardScreen",
    "cadre_pin": "ui.screens.cadre:CadrePinScreen",
    "cadre_outcome": "ui.screens.cadre:CadreOutcomeScreen",
    "cadre_home": "ui.screens.cadre:CadreHomeScreen",
    "cadre_queue": "ui.screens.cadre_desk:CadreQueueScreen",
    "cadre_today": "ui.screens.cadre_desk:CadreTodayScreen",
    "cadre_witness": "ui.screens.cadre_desk:CadreWitnessScreen",
}


def _factory(target: str) -> Callable[[KioskWindow], Screen]:
    module_name, class_name = target.split(":")

    def build(window: KioskWindow) -> Screen:
        screen_class = getattr(importlib.import_module(module_name), class_name)
        screen: Screen = screen_class(window)
        return screen

    return build


# --- drivers -------------------------------------------------------------------------------------------


def demo_frame() -> npt.NDArray[np.uint8]:
    """A calm picture for the fake camera: a lit wall with a face-sized lighter oval."""
    import numpy as np  # here, not at the top: numpy is not needed before the camera opens

    h, w = 480, 640
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.empty((h, w, 3), dtype=np.uint8)
    img[:] = (150, 160, 170)
    oval = ((xx - w / 2) / 110) ** 2 + ((yy - h / 2) / 150) ** 2 <= 1
    img[oval] = (150, 180, 215)
    return img


def make_card_reader(settings: Settings) -> CardReader:
    kind = settings.devices.card_reader
    if kind == "serial":
        from drivers.idcard.serial_sam import SerialSamReader

        return SerialSamReader(settings.devices.serial_port)
    if kind == "pcsc":
        from drivers.idcard.pcsc import PcscReader

        return PcscReader()
    from drivers.fake.card import FakeCardReader
    from drivers.fake.people import DEMO_VILLAGERS

    return FakeCardReader(DEMO_VILLAGERS)  # each read takes the next made-up villager's card


def make_camera(settings: Settings) -> LazyCamera:
    from ui.lazy import LazyCamera

    def load() -> Camera:
        if settings.devices.camera == "opencv":
            from drivers.camera import OpenCvCamera  # OpenCV: a large import, so never before home

            return OpenCvCamera(settings.devices.camera_source)
        from drivers.fake.camera import FakeCamera

        return FakeCamera([demo_frame()], fps=15)

    return LazyCamera(load)


def make_face_loader(settings: Settings) -> LazyFaceAnalyser:
    from ui.lazy import LazyFaceAnalyser

    def load() -> FaceAnalyser:
        if settings.devices.camera == "opencv":
            from drivers.face import DlibFaceAnalyser  # dlib and its models: seconds, so never before home

            return DlibFaceAnalyser()
        from drivers.fake.face import FakeFaceAnalyser

        return FakeFaceAnalyser()

    return LazyFaceAnalyser(load)


def build_services(
    settings: Settings,
    options: UiOptions,
    *,
    clock: Clock | None = None,
    card_reader: CardReader | None = None,
    camera: Camera | None = None,
    face: LazyFaceAnalyser | None = None,
    speaker: Speaker | None = None,
    lock: LockSource | None = None,
    speech: str = "espeak",
) -> Services:
    """Everything at once, the core open (the tour and the tests; the app itself stages it, see `run`)."""
    opened = open_parts(settings, clock=clock, card_reader=card_reader, camera=camera, face=face, lock=lock)
    try:
        return Services(speaker or make_speaker(speech), options, opened)
    except BaseException:
        opened.close()
        raise


def open_parts(
    settings: Settings,
    *,
    clock: Clock | None = None,
    card_reader: CardReader | None = None,
    camera: Camera | None = None,
    face: LazyFaceAnalyser | None = None,
    lock: LockSource | None = None,
) -> Opened:
    """The core (database, keys) and the devices the typed settings choose. Blocking: the store lane's work."""
    from kiosk.clock import SystemClock
    from kiosk.core import open_core
    from ui.lazy import LazyCamera

    core = open_core(settings, clock or SystemClock())
    try:
        return Opened(
            core=core,
            cards=CardGate(card_reader or make_card_reader(settings)),
            camera=LazyCamera(lambda: camera) if camera is not None else make_camera(settings),
            face=face or make_face_loader(settings),
            lock=lock or DbLockSource(core.db),
        )
    except BaseException:
        core.close()
        raise


def demo_card_reader(settings: Settings) -> CardReader:
    """Demo mode's reader starts empty: the demo panel lays the sample villagers' cards on it and takes them away."""
    devices = settings.devices
    if devices.card_reader != "fake" or devices.camera != "fake":
        raise ConfigError("--demo runs only on the fake devices (devices.card_reader and devices.camera: fake)")
    from drivers.fake.card import FakeCardReader

    return FakeCardReader()


def open_services(config: Path | None, early: EarlySettings, speaker: LateSpeaker, demo: bool = False) -> Opened:
    """The app's staged start, on the store lane after home is up: typed settings, core, drivers, speech."""
    from kiosk.config import load_settings

    settings = load_settings(config)
    early.check_against(settings)  # the first frame was painted from the same values
    opened = open_parts(settings, card_reader=demo_card_reader(settings) if demo else None)
    speaker.attach(make_speaker("espeak"))
    return opened


# --- the window ------------------------------------------------------------------------------------------


def screen_metrics(app: QGuiApplication, options: UiOptions) -> theme.Metrics:
    if options.dpi is not None:
        return theme.Metrics(options.dpi)
    screen = app.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else theme.REFERENCE_DPI
    return theme.Metrics(dpi if dpi > 0 else theme.REFERENCE_DPI)


def build_window(
    services: Services,
    background: Background,
    metrics: theme.Metrics,
    monotonic: Callable[[], float] = time.monotonic,
) -> KioskWindow:
    window = KioskWindow(services, background, metrics, monotonic)
    for name, target in SCREENS.items():
        window.register(name, _factory(target))
    QApplication.instance().installEventFilter(window)  # type: ignore[union-attr]
    return window


def make_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    font = QFont(theme.FONT_FAMILY)
    font.setPixelSize(theme.BODY_PX)
    app.setFont(font)
    return app


def show(window: KioskWindow, options: UiOptions) -> None:
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        size = screen.size()
        window.orient(size.height() > size.width())
    if options.fullscreen:
        window.setWindowFlags(frameless_flags())
        window.showFullScreen()
    else:
        window.resize(1920, 1080)
        window.show()


def open_demo_panel(window: KioskWindow) -> QWidget:
    """Demo mode only: the panel that places sample cards and shows QR codes, beside the kiosk's window."""
    from ui.demo_panel import DemoPanel

    panel = DemoPanel(window.services, window.metrics)
    frame = window.frameGeometry()
    panel.resize(panel.sizeHint().width(), frame.height())
    panel.move(frame.right() + 1, frame.top())
    panel.show()
    return panel


def _exit_on_sigterm(app: QApplication) -> None:
    """systemd stops the kiosk with SIGTERM: leave the event loop and close down in order."""
    signal.signal(signal.SIGTERM, lambda _sig, _frame: app.exit(0))
    # Python runs signal handlers only between bytecodes; a light timer gives it the chance while Qt waits.
    tick = QTimer(app)
    tick.setInterval(500)
    tick.timeout.connect(lambda: None)
    tick.start()


def _rss_kb() -> int:
    """This process's resident memory (Linux), for the start benchmark."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# --- main --------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="lxt-kiosk", description=__doc__)
    p.add_argument("--config", type=Path, help="the settings file (default: LXT_CONFIG or /etc/lxt/kiosk.toml)")
    p.add_argument("--windowed", action="store_true", help="development: a normal window, not full screen")
    p.add_argument("--lang", choices=i18n.LANGUAGES, help="language of the screens (default: ui.language)")
    p.add_argument("--shuffle-keypad", action="store_true", help="shuffle the PIN keypad's digits")
    p.add_argument("--dpi", type=float, help="the screen's DPI, if it reports a wrong one (default: ui.screen_dpi)")
    p.add_argument("--tour", type=Path, metavar="DIR", help="walk every screen with fake devices, save PNGs, exit")
    p.add_argument(
        "--demo", action="store_true", help="demo mode (lxt-demo --stack): fake devices and a panel to place cards"
    )
    p.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)  # the start benchmark
    return p.parse_args(list(argv))


def ui_options(settings: Settings | EarlySettings, args: argparse.Namespace) -> UiOptions:
    """The `[ui]` settings, with the command line's flags on top (they only ever add or override)."""
    ui = settings if isinstance(settings, EarlySettings) else EarlySettings.from_settings(settings)
    return UiOptions(
        fullscreen=ui.fullscreen and not args.windowed,
        lang=args.lang or ui.language,
        shuffle_keypad=ui.shuffle_keypad or args.shuffle_keypad,
        dpi=args.dpi or ui.screen_dpi,
        village=ui.village_name,
    )


def run(argv: Sequence[str]) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.tour is not None:
        from ui.tour import run_tour

        return run_tour(args.tour, args.lang or "zh")
    try:
        early = read_early(args.config)
    except KioskError as exc:
        print(f"lxt-kiosk: {exc}", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(early.log_level)
    options = ui_options(early, args)
    app = make_application()
    translator = i18n.install(app, options.lang)  # noqa: F841 — kept alive for the app's lifetime
    speaker = LateSpeaker()  # speech comes with the core; home's greeting waits for it
    services = Services(speaker, options)
    background = Background()
    window = build_window(services, background, screen_metrics(app, options))
    uninstall = install_fault_handler(window.show_fault, background.run_on_main)
    show(window, options)
    window.start()
    # Home is interactive once the event loop runs. Then the typed settings, the core and the card reader
    # open on the store lane (errors go to the fault screen), so their imports (pydantic, cryptography) do not
    # compete with the first frame; the camera and the face models (OpenCV, dlib) follow a second later.
    QTimer.singleShot(0, lambda: logger.info("home interactive after %.0f ms", (time.monotonic() - started) * 1000))
    if args.quit_when_ready:
        # exit, not quit: Qt 6's quit() asks the windows first, and the kiosk window refuses to close.
        QTimer.singleShot(0, lambda: (print("ready", _rss_kb(), flush=True), app.exit(0)))
    QTimer.singleShot(0, lambda: window.open_core(lambda: open_services(args.config, early, speaker, args.demo)))
    demo_panel: list[QWidget] = []
    if args.demo:
        QTimer.singleShot(0, lambda: demo_panel.append(open_demo_panel(window)))
    _exit_on_sigterm(app)
    try:
        return app.exec()
    finally:
        for panel in demo_panel:
            panel.close()
        window.stop()
        services.close_devices()
        background.close()
        QApplication.processEvents()  # a core that opened while we stopped is attached, so it is closed below
        services.close()
        uninstall()


def main() -> None:
    sys.exit(run(sys.argv[1:]))
