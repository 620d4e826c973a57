"""`lxt-kiosk`: the composition root of the touchscreen app — settings → drivers → core → services → window.

The only place that chooses drivers (real or fake, from `devices.*`), opens the core, starts the Background
lanes and installs the error handler. Home is shown as soon as it can be; the face models load afterwards.
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
from PySide6.QtWidgets import QApplication

from kiosk.clock import SystemClock
from kiosk.config import Settings, load_settings
from kiosk.core import open_core
from kiosk.errors import KioskError
from kiosk.ports import Camera, CardReader, Clock, FaceAnalyser
from ui import i18n, theme
from ui.background import Background
from ui.faults import install as install_fault_handler
from ui.lazy import LazyCamera, LazyFaceAnalyser
from ui.screen import Screen
from ui.services import CardGate, Services, Speaker, UiOptions
from ui.viewmodels.status import DbLockSource, LockSource
from ui.voice import make_speaker
from ui.window import KioskWindow, frameless_flags

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

logger = logging.getLogger(__name__)

DEVICES_AFTER_MS = 1000

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
    "lock": "ui.screens.info:LockScreen",
    "fault": "ui.screens.info:FaultScreen",
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
    def load() -> Camera:
        if settings.devices.camera == "opencv":
            from drivers.camera import OpenCvCamera  # OpenCV: a large import, so never before home

            return OpenCvCamera(settings.devices.camera_source)
        from drivers.fake.camera import FakeCamera

        return FakeCamera([demo_frame()], fps=15)

    return LazyCamera(load)


def make_face_loader(settings: Settings) -> LazyFaceAnalyser:
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
    core = open_core(settings, clock or SystemClock())
    try:
        return Services(
            core=core,
            cards=CardGate(card_reader or make_card_reader(settings)),
            camera=LazyCamera(lambda: camera) if camera is not None else make_camera(settings),
            face=face or make_face_loader(settings),
            speaker=speaker or make_speaker(speech),
            lock=lock or DbLockSource(core.db),
            options=options,
        )
    except BaseException:
        core.close()
        raise


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
    p.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)  # the start benchmark
    return p.parse_args(list(argv))


def ui_options(settings: Settings, args: argparse.Namespace) -> UiOptions:
    """The `[ui]` settings, with the command line's flags on top (they only ever add or override)."""
    ui = settings.ui
    return UiOptions(
        fullscreen=ui.fullscreen and not args.windowed,
        lang=args.lang or ui.language,
        shuffle_keypad=ui.shuffle_keypad or args.shuffle_keypad,
        dpi=args.dpi or ui.screen_dpi,
    )


def run(argv: Sequence[str]) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.tour is not None:
        from ui.tour import run_tour

        return run_tour(args.tour, args.lang or "zh")
    try:
        settings = load_settings(args.config)
    except KioskError as exc:
        print(f"lxt-kiosk: {exc}", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(settings.logging.level)
    options = ui_options(settings, args)
    app = make_application()
    translator = i18n.install(app, options.lang)  # noqa: F841 — kept alive for the app's lifetime
    try:
        services = build_services(settings, options)
    except KioskError as exc:
        print(f"lxt-kiosk: cannot start: {exc}", file=sys.stderr)
        return 2
    background = Background()
    window = build_window(services, background, screen_metrics(app, options))
    uninstall = install_fault_handler(window.show_fault, background.run_on_main)
    show(window, options)
    window.start()
    # Home is interactive once the event loop runs; the camera and the face models open a moment later, so
    # their imports (OpenCV, dlib) do not compete with the first frames for the interpreter.
    QTimer.singleShot(DEVICES_AFTER_MS, services.start_devices)
    QTimer.singleShot(0, lambda: logger.info("home interactive after %.0f ms", (time.monotonic() - started) * 1000))
    if args.quit_when_ready:
        # exit, not quit: Qt 6's quit() asks the windows first, and the kiosk window refuses to close.
        QTimer.singleShot(0, lambda: (print("ready", _rss_kb(), flush=True), app.exit(0)))
    _exit_on_sigterm(app)
    try:
        return app.exec()
    finally:
        window.stop()
        services.close_devices()
        background.close()
        services.close()
        uninstall()


def main() -> None:
    sys.exit(run(sys.argv[1:]))
