"""The kiosk window on fake devices in a temp folder, for pytest-qt tests (offscreen, no display, no sound)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.clock import FakeClock
from drivers.fake.face import FakeFaceAnalyser
from kiosk.config import Settings
from kiosk.identity.device import provision
from ui import theme
from ui.app import build_services, build_window, make_application
from ui.background import Background
from ui.lazy import LazyFaceAnalyser
from ui.screen import Screen
from ui.services import Services, UiOptions
from ui.tour import ManualClock
from ui.viewmodels.status import SwitchLockSource
from ui.window import KioskWindow

PIN = "382917"


class RecordingSpeaker:
    """A Speaker that keeps what it was asked to say."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.said: list[str] = []
        self.interrupts = 0

    def say(self, text: str, lang: str = "cmn") -> None:
        with self._lock:
            self.said.append(text)

    def interrupt(self) -> None:
        with self._lock:
            self.interrupts += 1

    def replay(self) -> None:
        with self._lock:
            if self.said:
                self.said.append(self.said[-1])

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class Kiosk:
    window: KioskWindow
    services: Services
    reader: FakeCardReader
    speaker: RecordingSpeaker
    lock: SwitchLockSource
    time: ManualClock
    settings: Settings

    def wait(self, ready: Callable[[], bool], timeout_s: float = 10.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            QApplication.processEvents()
            if time.monotonic() > deadline:
                vm = self.window.enrolment or self.window.signin
                raise AssertionError(f"{what} not reached; on {self.screen!r}, {vm.state if vm else None}")
            time.sleep(0.005)
        QApplication.processEvents()

    @property
    def screen(self) -> str:
        return self.window.current.name if self.window.current is not None else ""

    @property
    def cur(self) -> Screen:
        current = self.window.current
        assert current is not None
        return current

    def on(self, name: str) -> None:
        self.wait(lambda: self.screen == name, what=f"screen {name}")


@pytest.fixture
def translator(qapp: QApplication) -> QTranslator | None:
    """The language the window is built in: Chinese (the source, no translator) unless a module overrides it."""
    return None


@pytest.fixture
def kiosk(
    translator: QTranslator | None,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    clock: FakeClock,
    county_enrolment_key: X25519PrivateKey,
    qapp: QApplication,
) -> Iterator[Kiosk]:
    make_application()  # the theme's font on pytest-qt's application
    # A test taps faster than any villager; the double-tap guard has its own test.
    monkeypatch.setattr("ui.widgets.DOUBLE_TAP_S", 0.0)
    ident = settings.identity
    provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
    reader, speaker, lock, manual = FakeCardReader(), RecordingSpeaker(), SwitchLockSource(), ManualClock()
    camera = FakeCamera([np.full((120, 160, 3), 110, dtype=np.uint8)], fps=30)
    face = LazyFaceAnalyser(FakeFaceAnalyser)
    services = build_services(
        settings,
        UiOptions(fullscreen=False, dpi=theme.REFERENCE_DPI),
        clock=clock,
        card_reader=reader,
        camera=camera,
        face=face,
        speaker=speaker,
        lock=lock,
        speech="quiet",
    )
    background = Background()
    window = build_window(services, background, theme.Metrics(theme.REFERENCE_DPI), manual)
    window.resize(1920, 1080)
    window.show()
    window.start()
    services.start_devices()
    k = Kiosk(window, services, reader, speaker, lock, manual, settings)
    try:
        yield k
    finally:
        qapp.removeEventFilter(window)
        window.stop()
        services.close_devices()
        background.close()
        services.close()
        window.deleteLater()
        QApplication.processEvents()
