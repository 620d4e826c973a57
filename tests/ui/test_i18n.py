"""Translations: the .ts has no unfinished entry, the core's messages are in it, English loads and shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.errors import UserFacingError
from kiosk.messages import MESSAGES
from ui import i18n, text
from ui.i18n.core_texts import problems

pytestmark = pytest.mark.ui


def test_the_english_ts_is_complete_and_carries_every_core_message() -> None:
    assert problems(i18n.ts_file("en"), "en") == []


def test_check_command_reports_an_unfinished_entry(tmp_path: Path) -> None:
    broken = tmp_path / "lxt_en.ts"
    source = i18n.ts_file("en").read_text(encoding="utf-8")
    broken.write_text(source.replace("<translation>Help</translation>", '<translation type="unfinished"/>'), "utf-8")
    found = problems(broken, "en")
    assert found == ["ui: unfinished: '求助'"]


def test_english_shows_through_qt_translation(qapp: QApplication, tmp_path: Path) -> None:
    qm = tmp_path / "en.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(i18n.ts_file("en")), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    try:
        assert text.tr(text.TILE_ENROL) == "Get digital ID"
        assert text.message(UserFacingError("pin.wrong", remaining=3)) == "Wrong PIN. 3 tries left."
        for key, (_zh, en) in MESSAGES.items():
            if "{" not in en:
                assert text.message(UserFacingError(key)) == en, key
    finally:
        qapp.removeTranslator(translator)
    assert text.tr(text.TILE_ENROL) == "办理数字身份"


def test_ui_settings_and_flags_choose_language_keypad_and_window(tmp_path: Path) -> None:
    from kiosk.config import load_settings
    from ui.app import parse_args, ui_options

    settings = load_settings(None, {"LXT_UI__LANGUAGE": "en", "LXT_UI__SHUFFLE_KEYPAD": "true"})
    options = ui_options(settings, parse_args([]))
    assert (options.lang, options.shuffle_keypad, options.fullscreen, options.dpi) == ("en", True, True, None)
    options = ui_options(settings, parse_args(["--lang", "zh", "--windowed", "--dpi", "160"]))
    assert (options.lang, options.fullscreen, options.dpi) == ("zh", False, 160.0)
