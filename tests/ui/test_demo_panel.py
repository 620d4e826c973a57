"""The demo panel: a sample villager's card laid on the fake reader starts sign-in or enrolment on home, and a QR
code held up to the fake camera is in its frames, where the real zbar scanner reads it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.people import DEMO_VILLAGERS
from drivers.qr import ZbarQrScanner
from kiosk.config import load_settings
from kiosk.errors import ConfigError
from tests.helpers import enrol_someone
from tests.ui.conftest import Kiosk
from ui import text_demo as words
from ui import theme
from ui.app import demo_card_reader, parse_args
from ui.background import Lane
from ui.demo_examples import DemoExamples, examples_file, read_examples, write_examples
from ui.demo_panel import EXAMPLES, HOSPITALS, DemoPanel

pytestmark = pytest.mark.ui


@pytest.fixture
def panel(kiosk: Kiosk) -> Iterator[DemoPanel]:
    p = DemoPanel(kiosk.services, theme.Metrics(theme.REFERENCE_DPI))
    p.show()
    try:
        yield p
    finally:
        p.close()
        p.deleteLater()
        QApplication.processEvents()


def _camera(kiosk: Kiosk) -> FakeCamera:
    camera = kiosk.services.camera.get(5)
    assert isinstance(camera, FakeCamera)
    return camera


def _decoded(kiosk: Kiosk, scanner: ZbarQrScanner, expected: list[str]) -> list[str]:
    """What zbar reads in the camera's frames, waiting a few frames for the picture to change to `expected`."""
    deadline = time.monotonic() + 5
    while True:
        found = [p.text or "" for p in scanner.decode(_camera(kiosk).latest_frame(1.0))]
        if found == expected or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_placing_a_new_villagers_card_from_the_panel_starts_enrolment(kiosk: Kiosk, panel: DemoPanel) -> None:
    kiosk.on("home")
    villager = DEMO_VILLAGERS[1]
    panel.card_buttons[1].click()
    assert panel.reader_line.text() in (  # said at once; home may take the card in the same moment
        words.ON_READER.format(name=villager.name),
        words.NOTHING_ON_READER,
    )

    def card_read() -> bool:  # on enrol_card or already past it: the flow reads the card home kept at once
        vm = kiosk.window.enrolment
        return vm is not None and vm.state.summary is not None

    kiosk.wait(card_read, what="enrolment with the card read")
    vm = kiosk.window.enrolment
    assert vm is not None and vm.state.summary is not None and vm.state.summary.name == villager.name
    assert kiosk.screen.startswith("enrol_")
    panel.refresh()
    assert panel.reader_line.text() == words.NOTHING_ON_READER  # read: the card left the reader


def test_a_card_placed_then_taken_away_is_never_read(kiosk: Kiosk, panel: DemoPanel) -> None:
    kiosk.window.stop_watching_cards()  # hold home's watch so the card lies there long enough to take away
    # The watch's last look may still be waiting on the reader for up to one slice; a card placed then is
    # taken by it (and kept for the next session). The hw lane runs in order: once a no-op queued behind
    # that look has run, the look is over and nothing else reads the reader.
    idle: list[bool] = []
    kiosk.window.background.submit(lambda: None, lambda _r: idle.append(True), lambda _e: None, Lane.HW)
    kiosk.wait(lambda: bool(idle), what="home's last look at the reader")
    panel.place_card(DEMO_VILLAGERS[0])
    assert panel.reader_line.text() == words.ON_READER.format(name=DEMO_VILLAGERS[0].name)
    panel.card_buttons[3].click()  # another card instead of the first
    assert kiosk.reader.waiting == 1
    panel.remove_button.click()
    assert kiosk.reader.waiting == 0
    assert panel.reader_line.text() == words.NOTHING_ON_READER


def test_showing_a_qr_puts_the_code_in_the_cameras_frames_until_it_is_put_away(kiosk: Kiosk, panel: DemoPanel) -> None:
    scanner = ZbarQrScanner()
    assert _decoded(kiosk, scanner, []) == []
    panel.qr_text.setText("LXT-TECH-PASS 演示")
    panel.show_button.click()
    assert _decoded(kiosk, scanner, ["LXT-TECH-PASS 演示"]) == ["LXT-TECH-PASS 演示"]
    assert panel.camera_line.text() == words.SHOWING.format(size=len("LXT-TECH-PASS 演示".encode()))
    panel.example_buttons[1].click()
    assert _decoded(kiosk, scanner, [EXAMPLES[1][1]]) == [EXAMPLES[1][1]]
    panel.put_away_button.click()
    assert _decoded(kiosk, scanner, []) == []
    assert _camera(kiosk).showing_scene
    assert panel.camera_line.text() == words.SCENE


def test_the_long_example_fits_and_an_empty_or_too_long_text_is_said_plainly(kiosk: Kiosk, panel: DemoPanel) -> None:
    scanner = ZbarQrScanner()
    panel.example_buttons[2].click()
    assert _decoded(kiosk, scanner, [EXAMPLES[2][1]]) == [EXAMPLES[2][1]]
    panel.qr_text.setText("   ")
    panel.show_button.click()
    assert panel.camera_line.text() == words.EMPTY
    panel.qr_text.setText("码" * 2000)
    panel.show_button.click()
    assert panel.camera_line.text() == words.TOO_LONG


def test_the_panels_words_and_buttons_are_big_enough(panel: DemoPanel) -> None:
    metrics = theme.Metrics(theme.REFERENCE_DPI)
    county = (panel.request_button, panel.tech_pass_button, panel.county_put_away_button, *panel.exam_buttons)
    for button in (*panel.card_buttons, panel.remove_button, panel.show_button, *panel.example_buttons, *county):
        assert button.height() >= metrics.mm_to_px(15) and button.accessibleName()
        assert button.fontInfo().pixelSize() >= metrics.px(theme.BODY_PX)


def test_demo_mode_is_a_flag_and_refuses_real_devices(tmp_path: Path) -> None:
    assert parse_args(["--demo"]).demo and not parse_args([]).demo
    fake = load_settings(None, {"LXT_PATHS__DATA_DIR": str(tmp_path)})
    reader = demo_card_reader(fake)
    assert isinstance(reader, FakeCardReader) and reader.waiting == 0  # empty: the panel lays the cards on it
    real = load_settings(None, {"LXT_PATHS__DATA_DIR": str(tmp_path), "LXT_DEVICES__CARD_READER": "pcsc"})
    with pytest.raises(ConfigError, match="fake devices"):
        demo_card_reader(real)


def test_the_countys_examples_show_the_request_the_pass_and_the_villagers_own_exam(
    kiosk: Kiosk, panel: DemoPanel
) -> None:
    """What `lxt-demo --stack` wrote (ui/demo_examples.py) is held up to the camera; the exam offered is the one
    issued to the villager whose card was laid last, found by their DID in the kiosk's registry."""
    scanner = ZbarQrScanner()
    panel.request_button.click()
    assert panel.camera_line.text() == words.NOT_READY  # nothing prepared yet: said, not a dead button
    panel.exam_buttons[0].click()
    assert panel.camera_line.text() == words.NO_EXAM

    core = kiosk.services.core
    first, second = DEMO_VILLAGERS[0], DEMO_VILLAGERS[1]
    dids = {c.name: enrol_someone(core, card=c) for c in (first, second)}
    exams = {did: {h: f"exam-{name}-{h}~" for h in HOSPITALS} for name, did in dids.items()}
    write_examples(examples_file(core.settings.paths.data_dir), DemoExamples("request.jwt.sig", '{"pass":1}', exams))
    panel.refresh()
    # Nobody's card laid yet: the villager enrolled most recently.
    assert panel.exam_buttons[0].text() == words.EXAM.format(name=second.name, hospital=HOSPITALS[0])
    kiosk.window.stop_watching_cards()  # the card stays on the reader: only the panel's choice matters here
    panel.place_card(first)
    panel.refresh()
    assert panel.exam_buttons[1].text() == words.EXAM.format(name=first.name, hospital=HOSPITALS[1])
    assert panel.exam_buttons[1].accessibleName() == panel.exam_buttons[1].text()
    panel.exam_buttons[1].click()
    assert _decoded(kiosk, scanner, [f"exam-{first.name}-{HOSPITALS[1]}~"]) == [f"exam-{first.name}-{HOSPITALS[1]}~"]
    panel.request_button.click()
    assert _decoded(kiosk, scanner, ["request.jwt.sig"]) == ["request.jwt.sig"]
    panel.tech_pass_button.click()
    assert _decoded(kiosk, scanner, ['{"pass":1}']) == ['{"pass":1}']
    assert panel.county_line.text() == panel.camera_line.text() == words.SHOWING.format(size=len('{"pass":1}'))
    panel.county_put_away_button.click()
    assert _decoded(kiosk, scanner, []) == []


def test_a_missing_or_broken_examples_file_is_nothing_prepared(tmp_path: Path) -> None:
    assert read_examples(tmp_path / "none.json") == DemoExamples()
    (tmp_path / "bad.json").write_text("{not json")
    assert read_examples(tmp_path / "bad.json") == DemoExamples()
    (tmp_path / "list.json").write_text("[1, 2]")
    assert read_examples(tmp_path / "list.json") == DemoExamples()
    made = DemoExamples("r", "t", {"did:lxt:410225:x": {"望京医院": "tok~"}})
    write_examples(tmp_path / "panel" / "examples.json", made)
    assert read_examples(tmp_path / "panel" / "examples.json") == made
