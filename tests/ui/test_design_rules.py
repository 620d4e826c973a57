"""UI.md's rules checked on every screen of the tour: translated words, sizes, targets, names, prompts, contrast.

The whole tour runs with a pseudo-translation that wraps every translated text in ⟦…⟧: a visible text without
the marks did not go through Qt's translation. Widgets that show data (a name, a digit, a DID) say so with the
`data` property. At every stop the layout is checked in landscape and in portrait.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSize, QTranslator
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from tests.ui.conftest import Kiosk
from ui import i18n, theme
from ui.tour import LANDSCAPE, PORTRAIT, Tour, walk
from ui.window import KioskWindow

pytestmark = pytest.mark.ui

OPEN, CLOSE = "⟦", "⟧"


@pytest.fixture
def translator(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[QTranslator]:
    """The English .ts with every translation replaced by ⟦source⟧, compiled with lrelease.

    Built from the real .ts, so a string the code shows but lupdate never saw stays unmarked and fails.
    """
    folder = tmp_path_factory.mktemp("pseudo")
    tree = ET.parse(i18n.ts_file("en"))  # noqa: S314 — our own file
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        translation.text = f"{OPEN}{message.findtext('source')}{CLOSE}"
    ts, qm = folder / "pseudo.ts", folder / "pseudo.qm"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    pseudo = QTranslator()
    assert pseudo.load(str(qm))
    qapp.installTranslator(pseudo)
    yield pseudo
    qapp.removeTranslator(pseudo)


def _is_data(widget: QWidget, window: KioskWindow) -> bool:
    """Whether the widget, or a container it sits in, is marked as showing data rather than words."""
    w = widget
    while True:
        if b"data" in [bytes(n.data()) for n in w.dynamicPropertyNames()]:
            return True
        parent = None if w is window or w.isWindow() else w.parentWidget()
        if parent is None:
            return False
        w = parent


W = TypeVar("W", bound=QWidget)


def _visible(window: KioskWindow, kind: type[W]) -> list[W]:
    return [w for w in window.findChildren(kind) if w.isVisibleTo(window) and w.isVisible()]


class Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: list[str] = []

    def __call__(self, window: KioskWindow, name: str) -> None:
        self.seen.append(name)
        self._words(window, name)
        current = window.current
        if current is not None and not current.prompt():
            self.problems.append(f"{name}: no spoken prompt")
        size = window.size()
        self._sizes(window, name)
        for other in (PORTRAIT, LANDSCAPE) if size == LANDSCAPE else (LANDSCAPE, PORTRAIT):
            self._resize(window, other)
            self._sizes(window, f"{name}@{other.width()}x{other.height()}")
        self._resize(window, size)

    def _resize(self, window: KioskWindow, size: QSize) -> None:
        window.orient(size.height() > size.width())
        for _ in range(3):
            QApplication.processEvents()
        window.resize(size)
        for _ in range(3):
            QApplication.processEvents()

    def _words(self, window: KioskWindow, name: str) -> None:
        if OPEN not in window.windowTitle():
            self.problems.append(f"{name}: window title {window.windowTitle()!r} not translated")
        widgets: list[QLabel | QAbstractButton] = [*_visible(window, QLabel), *_visible(window, QAbstractButton)]
        for widget in widgets:
            if _is_data(widget, window):
                continue
            for what, text in (("text", widget.text()), ("tooltip", widget.toolTip())):
                if text and OPEN not in text:
                    self.problems.append(f"{name}: {type(widget).__name__} {what} {text!r} not translated")

    def _sizes(self, window: KioskWindow, name: str) -> None:
        metrics: theme.Metrics = window.metrics
        if window.size() not in (LANDSCAPE, PORTRAIT):
            self.problems.append(f"{name}: layout needs {window.width()}x{window.height()}")
        for label in _visible(window, QLabel):
            if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
                continue
            px = QFontInfo(label.font()).pixelSize()
            if px < metrics.px(theme.SMALL_PX):
                self.problems.append(f"{name}: {label.text()[:12]!r} is {px} px")
            needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
            if label.wordWrap() and needed > label.height() + 1:
                self.problems.append(f"{name}: {label.text()[:12]!r} cut off ({needed} > {label.height()})")
            if not label.wordWrap() and label.sizeHint().width() > label.width() + 1:
                self.problems.append(
                    f"{name}: {label.text()[:12]!r} overflows ({label.sizeHint().width()} > {label.width()})"
                )
        floor = metrics.button_min_px()
        for button in _visible(window, QAbstractButton):
            if min(button.width(), button.height()) < floor:
                self.problems.append(f"{name}: button {button.text()[:10]!r} is {button.width()}x{button.height()}")
            if not button.accessibleName():
                self.problems.append(f"{name}: button {button.text()[:10]!r} has no accessible name")


def test_every_screen_is_translated_large_enough_and_named(kiosk: Kiosk, tmp_path: Path) -> None:
    checker = Checker()
    tour = Tour(kiosk.window, tmp_path, check=checker)
    walk(tour, kiosk.reader, kiosk.lock, kiosk.time)
    assert len(checker.seen) >= 20
    assert checker.problems == []


def test_the_tour_writes_one_png_per_screen(kiosk: Kiosk, tmp_path: Path) -> None:
    tour = Tour(kiosk.window, tmp_path)
    walk(tour, kiosk.reader, kiosk.lock, kiosk.time)
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == sorted(p.name for p in tour.saved)
    assert len(names) == len(tour.saved) >= 20
    for path in tour.saved:
        image = QImage(str(path))
        assert image.size() in (LANDSCAPE, PORTRAIT), path.name


def test_every_text_colour_pair_is_at_least_7_to_1() -> None:
    for what, fg, bg in theme.TEXT_PAIRS:
        assert theme.contrast_ratio(fg, bg) >= theme.MIN_CONTRAST, what


def test_the_checks_catch_a_raw_string_and_tiny_text(kiosk: Kiosk) -> None:
    home = kiosk.window.screen_named("home")
    assert OPEN in home.title.text()  # the pseudo-translation is in force
    raw = QLabel("没有翻译")
    raw.setStyleSheet("font-size: 12px")
    home.content.addWidget(raw)
    QApplication.processEvents()
    checker = Checker()
    checker(kiosk.window, "home")
    assert any("'没有翻译' not translated" in p for p in checker.problems)
    assert any("'没有翻译' is 12 px" in p for p in checker.problems)
