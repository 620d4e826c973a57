"""The touchscreen with the real county behind it: mosquitto, `lxt-county bridge` and `lxt-sync` as processes.

The UI (in this process, offscreen, fake card reader and camera) enrols a villager; `lxt-sync` sends the
signed `identity.enroll`, the bridge commits it to the ledger and sends the receipt back, `lxt-sync` verifies
it and marks the outbox row; the done screen, polling the database, turns from 待上链 to 已上链.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.face import FakeFaceAnalyser
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.config import load_settings
from kiosk.identity.evidence import generate_keypair
from tests.integration.conftest import mosquitto
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import County, Kiosk
from tests.ui.conftest import RecordingSpeaker
from ui import theme
from ui.app import build_services, build_window, make_application
from ui.background import Background
from ui.lazy import LazyFaceAnalyser
from ui.screens.enrolment import EnrolDoneScreen
from ui.services import UiOptions
from ui.tour import ManualClock
from ui.viewmodels.enrolment import EnrolPhase
from ui.viewmodels.status import SwitchLockSource

__all__ = ["mosquitto"]

pytestmark = [pytest.mark.integration, pytest.mark.ui, pytest.mark.slow]

PIN = "382917"


def _wait(ready: Callable[[], bool], what: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def county_and_kiosk(tmp_path: Path, mosquitto: Mosquitto) -> Iterator[tuple[County, Kiosk]]:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    _private, public_pem = generate_keypair()
    key_file = kiosk.data_dir / "county" / "enrolment.pub"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(public_pem)
    county.register(kiosk)
    county.bridge(mosquitto)
    kiosk.sync(mosquitto)
    try:
        yield county, kiosk
    finally:
        kiosk.stop_all()
        county.stop_all()


def test_the_done_screen_shows_the_countys_receipt(
    qapp: QApplication, county_and_kiosk: tuple[County, Kiosk], mosquitto: Mosquitto
) -> None:
    county, kiosk = county_and_kiosk
    make_application()
    env = kiosk.env(mosquitto) | {"LXT_SECURITY__SCRYPT_LOG2_N": "10"}
    settings = load_settings(None, env)
    reader = FakeCardReader()
    camera = FakeCamera([np.full((120, 160, 3), 110, dtype=np.uint8)], fps=30)
    services = build_services(
        settings,
        UiOptions(fullscreen=False, dpi=theme.REFERENCE_DPI),
        card_reader=reader,
        camera=camera,
        face=LazyFaceAnalyser(FakeFaceAnalyser),
        speaker=RecordingSpeaker(),
        lock=SwitchLockSource(),
        speech="quiet",
    )
    background = Background()
    window = build_window(services, background, theme.Metrics(theme.REFERENCE_DPI), ManualClock())
    try:
        window.resize(1920, 1080)
        window.show()
        window.start()
        services.start_devices()
        window.start_enrolment()
        vm = window.enrolment
        assert vm is not None
        reader.place(DEMO_VILLAGERS[1])
        _wait(lambda: vm.state.phase is EnrolPhase.CONFIRM, "the card")
        vm.confirm(True)
        vm.consent(True)
        _wait(lambda: services.face.ready and services.camera.ready, "the face analyser")
        vm.capture_face(background.run_on_main)
        _wait(lambda: vm.state.phase is EnrolPhase.PIN, "the face capture")
        for _ in range(2):
            for digit in PIN:
                vm.pin.press(digit)
            vm.submit_pin()
        _wait(lambda: vm.state.phase is EnrolPhase.DONE, "the enrolment to be saved")
        done = window.current
        assert isinstance(done, EnrolDoneScreen)
        assert done.chain_ref.text() in ("待上链", "已上链")
        _wait(lambda: done.chain_ref.text() == "已上链", "the county's receipt on screen")
        assert done.chain_words.text() == "县里已确认"
        assert vm.state.tx_id in county.committed()
        assert county.verify().returncode == 0
    finally:
        qapp.removeEventFilter(window)
        window.stop()
        services.close_devices()
        background.close()
        services.close()
        window.deleteLater()
        QApplication.processEvents()
