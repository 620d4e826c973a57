"""The demo panel (`lxt-kiosk --demo`, which `lxt-demo --stack` passes): a small window beside the kiosk screen
that plays the villager's hands — it lays a sample villager's card on the fake reader or takes it away, and holds
a QR code up to the fake camera or puts it away.

Never in production: the composition root opens it only with `--demo`, and only on the fake devices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.people import DEMO_VILLAGERS
from drivers.fake.qr_frame import qr_frame
from kiosk.domain.idcard import IdCard
from ui import text_demo as words
from ui import theme
from ui.demo_examples import DemoExamples, examples_file, read_examples
from ui.text import tr
from ui.widgets import TapButton, label

if TYPE_CHECKING:
    from ui.services import Services

REFRESH_MS = 300
EXAMPLES = (  # what the examples show: data, not words of the app
    (words.EXAMPLE_WORDS, "你好，兰考县！"),
    (words.EXAMPLE_URL, "https://www.lankao.gov.cn/"),
    (words.EXAMPLE_LONG, "兰考县数字身份演示 " * 60),
)
HOSPITALS = ("望京医院", "惠兰医院")  # as lxt-demo's county names them (ui/demo_offices.py)


class DemoPanel(QWidget):
    """Buttons for each sample villager's card, the way to take it away, and QR codes for the camera."""

    def __init__(self, services: Services, metrics: theme.Metrics) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(tr(words.TITLE))
        self.setStyleSheet(theme.stylesheet(metrics))
        # Scrolled: the panel is as tall as the kiosk's window, and its buttons keep their tap size on a short one.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        column = QVBoxLayout(inner)
        pad = metrics.px(16)
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(metrics.px(8))
        column.addWidget(label(tr(words.TITLE), "title"))
        column.addWidget(label(tr(words.BODY), "small"))

        column.addWidget(label(tr(words.CARDS), "title"))
        cards = QGridLayout()
        cards.setSpacing(metrics.px(12))
        self.card_buttons: list[TapButton] = []
        for i, card in enumerate(DEMO_VILLAGERS):
            button = TapButton(tr(words.PLACE).format(name=card.name), self._placer(card))
            self.card_buttons.append(button)
            cards.addWidget(button, i // 3, i % 3)
        self.remove_button = TapButton(tr(words.REMOVE), self.remove_card)
        cards.addWidget(self.remove_button, (len(DEMO_VILLAGERS) + 2) // 3, 0, 1, 3)
        column.addLayout(cards)
        self.reader_line = label("", "body")
        column.addWidget(self.reader_line)

        # The county's examples first: what a newcomer tries after enrolling, above the free text.
        column.addWidget(label(tr(words.COUNTY), "title"))
        county = QGridLayout()
        county.setSpacing(metrics.px(12))
        self.request_button = TapButton(tr(words.REQUEST), lambda: self.show_prepared("request"), role="primary")
        county.addWidget(self.request_button, 0, 0)
        self.tech_pass_button = TapButton(tr(words.TECH_PASS), lambda: self.show_prepared("tech_pass"))
        county.addWidget(self.tech_pass_button, 0, 1)
        self.county_put_away_button = TapButton(tr(words.PUT_AWAY), self.put_away)
        county.addWidget(self.county_put_away_button, 0, 2)
        self.exam_buttons: list[TapButton] = []
        for i, hospital in enumerate(HOSPITALS):  # a row each: the caption names the villager
            button = TapButton(tr(words.EXAM_NONE).format(hospital=hospital), self._exam_shower(hospital))
            self.exam_buttons.append(button)
            county.addWidget(button, 1 + i, 0, 1, 3)
        column.addLayout(county)
        self.county_line = label("", "body")  # what the camera sees, said here too: the lower half may be scrolled away
        column.addWidget(self.county_line)
        column.addWidget(label(tr(words.COUNTY_HINT), "small"))

        column.addWidget(label(tr(words.QR), "title"))
        self.qr_text = QLineEdit()
        self.qr_text.setPlaceholderText(tr(words.QR_HINT))
        self.qr_text.setAccessibleName(tr(words.QR_HINT))
        self.qr_text.setMinimumHeight(metrics.px(72))
        column.addWidget(self.qr_text)
        qr = QGridLayout()
        qr.setSpacing(metrics.px(12))
        self.show_button = TapButton(tr(words.SHOW_TEXT), self.show_typed, role="primary")
        qr.addWidget(self.show_button, 0, 0, 1, 2)
        self.put_away_button = TapButton(tr(words.PUT_AWAY), self.put_away)
        qr.addWidget(self.put_away_button, 0, 2)
        self.example_buttons: list[TapButton] = []
        for i, (caption, payload) in enumerate(EXAMPLES):
            button = TapButton(tr(caption), self._shower(payload))
            self.example_buttons.append(button)
            qr.addWidget(button, 1, i)
        column.addLayout(qr)

        self.camera_line = label("", "body")
        column.addWidget(self.camera_line)
        column.addStretch(1)
        scroll.setWidget(inner)
        scroll.setMinimumWidth(inner.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        outer.addWidget(scroll)

        self._examples = DemoExamples()
        self._examples_seen: float | None = None  # the file's mtime when it was last read
        self._dids: dict[str, str] = {}  # sample villager's name → DID, once enrolled here
        self._last_card: IdCard | None = None  # whose card the panel laid last: the villager at the screen
        self._showing: int | None = None  # bytes in the code held up, if one is
        self._problem = ""
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # --- the devices, once the core has opened them ------------------------------------------------------

    def reader(self) -> FakeCardReader | None:
        if not self.services.ready:
            return None
        reader = self.services.cards.reader
        return reader if isinstance(reader, FakeCardReader) else None

    def camera(self) -> FakeCamera | None:
        if not self.services.ready:
            return None
        camera = self.services.camera.loaded()
        return camera if isinstance(camera, FakeCamera) else None

    # --- cards --------------------------------------------------------------------------------------------

    def _placer(self, card: IdCard) -> Callable[[], None]:
        return lambda: self.place_card(card)

    def place_card(self, card: IdCard) -> None:
        self._last_card = card
        reader = self.reader()
        if reader is not None:
            reader.present(card)
        self.refresh()

    def remove_card(self) -> None:
        reader = self.reader()
        if reader is not None:
            reader.remove()
        self.refresh()

    # --- QR codes -------------------------------------------------------------------------------------------

    def _shower(self, payload: str) -> Callable[[], None]:
        return lambda: self.show_code(payload)

    def show_typed(self) -> None:
        typed = self.qr_text.text().strip()
        if not typed:
            self._problem = tr(words.EMPTY)
            self.refresh()
            return
        self.show_code(typed)

    def show_code(self, payload: str) -> None:
        camera = self.camera()
        if camera is None:
            self._problem = tr(words.NO_CAMERA)
            self.refresh()
            return
        data = payload.encode("utf-8")
        try:
            camera.show(qr_frame(data))
        except ValueError:  # segno's DataOverflowError is a ValueError too
            self._problem = tr(words.TOO_LONG)
        else:
            self._showing, self._problem = len(data), ""
        self.refresh()

    # --- the county's examples (written by lxt-demo --stack) ---------------------------------------------

    def _exam_shower(self, hospital: str) -> Callable[[], None]:
        return lambda: self.show_exam(hospital)

    def examples(self) -> DemoExamples:
        """What the demo stack prepared, read again whenever its file changed."""
        if not self.services.ready:
            return self._examples
        path = examples_file(self.services.core.settings.paths.data_dir)
        try:
            seen: float | None = path.stat().st_mtime
        except OSError:
            seen = None
        if seen != self._examples_seen:
            self._examples, self._examples_seen = read_examples(path), seen
        return self._examples

    def exam_holder(self) -> tuple[str, dict[str, str]] | None:
        """Whose exams to offer: the villager whose card was laid last, else the one enrolled most recently."""
        exams = self.examples().exams
        if not exams or not self.services.ready:
            return None
        for card in DEMO_VILLAGERS:  # the DIDs of those enrolled here, looked up once each (Qt-free registry)
            if card.name not in self._dids and (found := self.services.core.registry.find(card.id_number)):
                self._dids[card.name] = found.did
        by_did = {did: name for name, did in self._dids.items()}
        last = self._last_card
        if last is not None and self._dids.get(last.name) in exams:
            return last.name, exams[self._dids[last.name]]
        for did in reversed(list(exams)):  # written in the order they enrolled
            if did in by_did:
                return by_did[did], exams[did]
        return None

    def show_prepared(self, which: str) -> None:
        ex = self.examples()
        payload = ex.request if which == "request" else ex.tech_pass
        if not payload:
            self._problem = tr(words.NOT_READY)
            self.refresh()
            return
        self.show_code(payload)

    def show_exam(self, hospital: str) -> None:
        holder = self.exam_holder()
        token = holder[1].get(hospital, "") if holder is not None else ""
        if not token:
            self._problem = tr(words.NO_EXAM)
            self.refresh()
            return
        self.show_code(token)

    def put_away(self) -> None:
        camera = self.camera()
        if camera is not None:
            camera.show_scene()
        self._showing, self._problem = None, ""
        self.refresh()

    # --- what the panel says ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        ready = self.services.ready
        for button in (*self.card_buttons, self.remove_button):
            button.setEnabled(ready)
        holder = self.exam_holder()
        for button, hospital in zip(self.exam_buttons, HOSPITALS, strict=True):
            if holder is None:
                button.set_caption(tr(words.EXAM_NONE).format(hospital=hospital))
            else:
                button.set_caption(tr(words.EXAM).format(name=holder[0], hospital=hospital))
        if not ready:
            self.reader_line.setText(tr(words.STARTING))
            self.camera_line.setText("")
            self.county_line.setText("")
            return
        reader = self.reader()
        waiting = reader.on_reader if reader is not None else None
        if isinstance(waiting, IdCard):
            self.reader_line.setText(tr(words.ON_READER).format(name=waiting.name))
        else:
            self.reader_line.setText(tr(words.NOTHING_ON_READER))
        if self._problem:
            seen = self._problem
        elif self._showing is not None:
            seen = tr(words.SHOWING).format(size=self._showing)
        else:
            seen = tr(words.SCENE)
        self.camera_line.setText(seen)
        self.county_line.setText(seen)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 — Qt's name
        self._timer.stop()
        event.accept()
