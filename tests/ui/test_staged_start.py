"""The staged start: home is up before the core is open; what is tapped or placed meanwhile waits for it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PySide6.QtWidgets import QApplication

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.clock import FakeClock
from drivers.fake.face import FakeFaceAnalyser
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.config import Settings
from kiosk.errors import ConfigError
from kiosk.identity.device import provision
from tests.ui.conftest import RecordingSpeaker
from ui import text, theme
from ui.app import build_window, make_application, open_parts
from ui.background import Background
from ui.lazy import LazyFaceAnalyser
from ui.screens.home import HomeScreen
from ui.services import NotReady, Opened, Services, UiOptions
from ui.tour import ManualClock
from ui.viewmodels.status import SwitchLockSource
from ui.voice import LateSpeaker
from ui.window import KioskWindow

pytestmark = pytest.mark.ui


@dataclass
class Starting:
    window: KioskWindow
    services: Services
    reader: FakeCardReader
    release: threading.Event  # set: the core finishes opening
    fail: list[Exception]  # one here: opening raises it instead

    def wait(self, ready: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            QApplication.processEvents()
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} not reached; on {self.screen!r}")
            time.sleep(0.005)

    @property
    def screen(self) -> str:
        return self.window.current.name if self.window.current is not None else ""

    def tap_tile(self, index: int) -> None:
        home = self.window.current
        assert isinstance(home, HomeScreen)
        home.tiles[index].click()


@pytest.fixture
def starting(
    settings: Settings,
    clock: FakeClock,
    county_enrolment_key: X25519PrivateKey,
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Starting]:
    make_application()
    monkeypatch.setattr("ui.widgets.DOUBLE_TAP_S", 0.0)
    ident = settings.identity
    provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
    reader, release = FakeCardReader(), threading.Event()
    fail: list[Exception] = []
    camera = FakeCamera([np.full((120, 160, 3), 110, dtype=np.uint8)], fps=30)

    def open_slowly() -> Opened:  # the store lane's work, held until the test lets it finish
        if not release.wait(20):
            raise AssertionError("the test never released the core")
        if fail:
            raise fail[0]
        face = LazyFaceAnalyser(FakeFaceAnalyser)
        return open_parts(settings, clock=clock, card_reader=reader, camera=camera, face=face, lock=SwitchLockSource())

    services = Services(RecordingSpeaker(), UiOptions(fullscreen=False, dpi=theme.REFERENCE_DPI, village="张庄村"))
    background = Background()
    window = build_window(services, background, theme.Metrics(theme.REFERENCE_DPI), ManualClock())
    window.resize(1920, 1080)
    window.show()
    window.start()
    window.open_core(open_slowly)
    s = Starting(window, services, reader, release, fail)
    try:
        yield s
    finally:
        release.set()
        qapp.removeEventFilter(window)
        window.stop()
        services.close_devices()
        background.close()
        QApplication.processEvents()  # a core that opened at the end is attached, so it is closed
        services.close()
        camera.close()
        window.deleteLater()
        QApplication.processEvents()


def test_home_is_up_before_the_core_and_a_tile_waits_then_opens(starting: Starting) -> None:
    assert starting.screen == "home"
    assert not starting.services.ready
    with pytest.raises(NotReady):
        _ = starting.services.core
    starting.tap_tile(0)  # 办理数字身份
    assert starting.screen == "home"  # held, not broken
    # After 300 ms without the core, a spinner with words says why nothing happened yet.
    starting.wait(lambda: starting.window.wait_panel is not None and starting.window.wait_panel.isVisible(), "spinner")
    panel = starting.window.wait_panel
    assert panel is not None
    assert panel.title.text() == text.STARTING_TITLE
    assert panel.spinner.isVisible()
    starting.release.set()
    starting.wait(lambda: starting.screen == "enrol_card", "enrolment after the core opened")
    assert not panel.isVisible()
    assert starting.services.ready


def test_a_tile_tapped_just_before_the_core_opens_shows_no_spinner(starting: Starting) -> None:
    starting.tap_tile(5)  # 进度查询: sign-in first
    starting.release.set()
    starting.wait(lambda: starting.screen == "signin_card", "sign-in after the core opened")
    assert starting.window.wait_panel is None or not starting.window.wait_panel.isVisible()


def test_the_way_home_from_the_wait_drops_the_tap(starting: Starting) -> None:
    starting.tap_tile(0)
    starting.wait(lambda: starting.window.wait_panel is not None and starting.window.wait_panel.isVisible(), "spinner")
    panel = starting.window.wait_panel
    assert panel is not None
    panel.first.click()  # 回首页
    starting.release.set()
    starting.wait(lambda: starting.services.ready, "the core")
    QApplication.processEvents()
    assert starting.screen == "home"


def test_a_card_placed_during_the_start_is_read_once_the_core_is_open(starting: Starting) -> None:
    new_person = DEMO_VILLAGERS[0]
    starting.reader.place(new_person)
    time.sleep(0.2)
    QApplication.processEvents()
    assert starting.reader.waiting == 1  # nobody reads it before the core can say whose it is
    starting.release.set()

    def card_read() -> bool:  # the flow may be on enrol_card or already past it: the card is read at once
        vm = starting.window.enrolment
        return vm is not None and vm.state.summary is not None

    starting.wait(card_read, "enrolment from the card on the reader")
    vm = starting.window.enrolment
    assert vm is not None and vm.state.summary is not None and vm.state.summary.name == new_person.name
    assert starting.screen.startswith("enrol_")


@pytest.mark.logs_errors
def test_a_core_that_fails_to_open_shows_the_fault_screen_and_a_new_tap_tries_again(starting: Starting) -> None:
    starting.fail.append(ConfigError("the database cannot be opened"))
    starting.release.set()
    starting.wait(lambda: starting.screen == "fault", "the fault screen")
    assert not starting.services.ready
    fault = starting.window.current
    assert fault is not None
    fault.primary.click()  # 回首页
    assert starting.screen == "home"
    starting.fail.clear()
    starting.tap_tile(0)
    starting.wait(lambda: starting.screen == "enrol_card", "enrolment after the second try")


def test_the_late_speaker_says_the_last_sentence_when_the_voice_arrives() -> None:
    late, voice = LateSpeaker(), RecordingSpeaker()
    late.say("first")
    late.interrupt()
    late.say("home greeting")
    late.replay()  # nothing to replay yet, and nothing breaks
    late.attach(voice)
    assert voice.said == ["home greeting"]
    late.say("next")
    assert voice.said == ["home greeting", "next"]


def test_home_and_the_composition_root_import_neither_pydantic_nor_the_core() -> None:
    """The first frame's budget (≤ 2x a bare PySide6 window) leaves no room for the core's imports.

    A screen or helper that home builds must keep the core's modules inside the functions that use them or
    under TYPE_CHECKING (see ui/early.py, ui/viewmodels/taps.py).
    """
    code = (
        "import sys, ui.early, ui.window, ui.screens.home, ui.app; "
        "heavy = ('pydantic', 'kiosk.core', 'kiosk.config', 'kiosk.flows', 'kiosk.store', 'cryptography'); "
        "print(sorted(m for m in sys.modules if m in heavy or m.startswith(('kiosk.flows.', 'kiosk.store.'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]", (
        "home's first frame imports the core; import it inside the functions that use it or under TYPE_CHECKING: "
        + done.stdout.strip()
    )
