"""`lxt-kiosk`: the composition root of the touchscreen app — settings → drivers → core → services → window.

The only place that chooses drivers (real or fake, from `devices.*`), opens the core, starts the Background
lanes and installs the error handler. Home is shown as soon as it can be; the face models load afterwards.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
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
from ui.screens.enrolment import (
    EnrolCardScreen,
    EnrolConfirmScreen,
    EnrolConsentScreen,
    EnrolDoneScreen,
    EnrolFaceScreen,
    EnrolOutcomeScreen,
    EnrolPinScreen,
)
from ui.screens.home import HomeScreen
from ui.screens.info import FaultScreen, LockScreen, NotOpenScreen
from ui.screens.signin import SignInCardScreen, SignInOutcomeScreen, SignInPinScreen, VillagerHomeScreen
from ui.services import CardGate, LazyFaceAnalyser, Services, Speaker, UiOptions
from ui.viewmodels.status import LockSource, NoLockSource
from ui.voice import make_speaker
from ui.window import KioskWindow, frameless_flags

logger = logging.getLogger(__name__)

SCREENS = (
    HomeScreen,
    EnrolCardScreen,
    EnrolConfirmScreen,
    EnrolConsentScreen,
    EnrolFaceScreen,
    EnrolPinScreen,
    EnrolDoneScreen,
    EnrolOutcomeScreen,
    SignInCardScreen,
    SignInPinScreen,
    SignInOutcomeScreen,
    VillagerHomeScreen,
    NotOpenScreen,
    LockScreen,
    FaultScreen,
)


# --- drivers -------------------------------------------------------------------------------------------


def demo_frame() -> np.ndarray:
    """A calm picture for the fake camera: a lit wall with a face-sized lighter oval."""
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


def make_camera(settings: Settings) -> Camera:
    if settings.devices.camera == "opencv":
        from drivers.camera import OpenCvCamera

        return OpenCvCamera(settings.devices.camera_source)
    from drivers.fake.camera import FakeCamera

    return FakeCamera([demo_frame()], fps=15)


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
            camera=camera or make_camera(settings),
            face=face or make_face_loader(settings),
            speaker=speaker or make_speaker(speech),
            lock=lock or NoLockSource(),
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
    for screen_class in SCREENS:
        window.add(screen_class(window))
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


# --- main --------------------------------------------------------------------------------------------------


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="lxt-kiosk", description=__doc__)
    p.add_argument("--config", type=Path, help="the settings file (default: LXT_CONFIG or /etc/lxt/kiosk.toml)")
    p.add_argument("--windowed", action="store_true", help="development: a normal window, not full screen")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="zh", help="language of the screens")
    p.add_argument("--shuffle-keypad", action="store_true", help="shuffle the PIN keypad's digits")
    p.add_argument("--dpi", type=float, help="the screen's DPI, if it reports a wrong one")
    p.add_argument("--tour", type=Path, metavar="DIR", help="walk every screen with fake devices, save PNGs, exit")
    p.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)  # the start benchmark
    return p.parse_args(list(argv))


def run(argv: Sequence[str]) -> int:
    started = time.monotonic()
    args = _parse(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.tour is not None:
        from ui.tour import run_tour

        return run_tour(args.tour, args.lang)
    try:
        settings = load_settings(args.config)
    except KioskError as exc:
        print(f"lxt-kiosk: {exc}", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(settings.logging.level)
    options = UiOptions(fullscreen=not args.windowed, lang=args.lang, shuffle_keypad=args.shuffle_keypad, dpi=args.dpi)
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
    # Home is interactive once the event loop runs; only then do the heavy models begin to load.
    QTimer.singleShot(0, services.face.start)
    QTimer.singleShot(0, lambda: logger.info("home interactive after %.0f ms", (time.monotonic() - started) * 1000))
    if args.quit_when_ready:
        QTimer.singleShot(0, lambda: print("ready", flush=True))
        QTimer.singleShot(0, app.quit)
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
