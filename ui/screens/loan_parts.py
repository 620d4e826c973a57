"""Pieces of the loan screens: the amount keypad (digits shown, not a PIN), the page camera preview with its
guide, product and application cards, a row of choices, and the keep-awake while a long text is read aloud."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.errors import DeviceError
from kiosk.loans.money import format_fen
from kiosk.loans.status import LoanStatus
from ui import icons, text, theme
from ui import text_loan as t
from ui.text import tr
from ui.viewmodels.loan import ProductLine, cn_date, reading_s
from ui.widgets import IconView, TapButton, label

if TYPE_CHECKING:
    from kiosk.loans.status import Application
    from kiosk.ports import Camera
    from ui.window import KioskWindow


def lang(window: KioskWindow) -> str:
    return "en" if window.services.options.lang == "en" else "zh"


def money(window: KioskWindow, fen: int) -> str:
    """Money as "3万元" (UI.md "Words"); in English "CNY 30,000"."""
    return format_fen(fen, lang(window))


def about(window: KioskWindow, fen: int) -> str:
    """A computed sum to the nearest 元 ("106848元", "10.68万元" when it comes out round): a sample, not a bill."""
    yuan = (fen + 50) // 100
    return money(window, yuan * 100) if yuan % 100 == 0 or yuan < 10_000 else f"{yuan}{tr(t.YUAN)}"


def months(n: int) -> str:
    return tr(t.MONTHS).format(n=n)


def date(ms: int) -> str:
    y, m, d = cn_date(ms)
    return tr(t.DATE).format(y=y, m=m, d=d)


def status_word(app: Application) -> tuple[LoanStatus, str]:
    """The status to show: a withdrawal made here counts at once, unless the bank had already closed it."""
    status = app.status
    if app.withdrawn and status not in (LoanStatus.REJECTED, LoanStatus.DISBURSED):
        status = LoanStatus.WITHDRAWN
    return status, tr(t.STATUS[status.value])


STATUS_ROLES = {
    LoanStatus.APPROVED: "success",
    LoanStatus.DISBURSED: "success",
    LoanStatus.REJECTED: "error",
    LoanStatus.MORE_MATERIALS: "warning",
}


def restyle(widget: QWidget, role: str) -> None:
    if widget.property("role") != role:
        widget.setProperty("role", role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class KeepAwake:
    """While a long text is read aloud, the idle timer is reset each second (UI.md "Time": reading-heavy
    screens), for about as long as the speaker needs; a touch or leaving the screen does not need it."""

    def __init__(self, window: KioskWindow, owner: QWidget) -> None:
        self._window = window
        self._left = 0
        self.timer = QTimer(owner)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    def start(self, words: str) -> None:
        self._left = math.ceil(reading_s(words))
        self._window.idle.touched()
        self.timer.start()

    def tick(self) -> None:
        if self._left <= 0:
            self.timer.stop()
            return
        self._left -= 1
        self._window.idle.touched()

    def stop(self) -> None:
        self._left = 0
        self.timer.stop()

    @property
    def active(self) -> bool:
        return self._left > 0


class AmountKeypad(QWidget):
    """Digits for an amount in 元: shown as typed (an amount is not a secret), 删除 and 清空."""

    def __init__(self, press: Callable[[str], None], delete: Callable[[], None], clear: Callable[[], None],
                 metrics: theme.Metrics) -> None:  # fmt: skip
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(metrics.px(theme.GAP_PX))
        self.keys: list[TapButton] = []
        for i, digit in enumerate("1234567890"):
            key = TapButton(digit, lambda d=digit: press(d), role="key")  # type: ignore[misc]
            key.setMinimumSize(metrics.px(120), metrics.px(theme.VILLAGER_TARGET_PX))
            key.setProperty("data", True)  # a digit is not a word to translate
            self.keys.append(key)
            row, col = (i // 3, i % 3) if i < 9 else (3, 1)
            grid.addWidget(key, row, col)
        self.clear_key = TapButton(tr(text.KEY_CLEAR), clear)
        self.delete_key = TapButton(tr(text.KEY_DELETE), delete)
        grid.addWidget(self.clear_key, 3, 0)
        grid.addWidget(self.delete_key, 3, 2)


class PagePreview(QWidget):
    """The live camera picture with a page-shaped guide; never waits on the camera, never mirrored (a page
    shown mirrored could not be read)."""

    def __init__(self, size: QSize) -> None:
        super().__init__()
        self.setFixedSize(size)
        self._camera: Camera | None = None
        self._image: QImage | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.pull)
        self.frames_shown = 0

    def start(self, camera: Camera) -> None:
        self._camera = camera
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._camera = None
        self._image = None

    def pull(self) -> None:
        if self._camera is None:
            return
        try:
            frame = self._camera.latest_frame(0.0)
        except DeviceError:
            return  # no newer frame yet, or no camera: keep the last picture
        image = QImage(frame.pixels, frame.width, frame.height, frame.width * 3, QImage.Format.Format_BGR888)
        self._image = image.copy()
        self.frames_shown += 1
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#2B2B2B"))
        if self._image is not None:
            scaled = self._image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            p.drawImage((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled)
        pen = QPen(QColor("#FFFFFF"), 6)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        h = self.height() * 0.86
        w = min(h / 1.414, self.width() * 0.86)  # an A4 page, upright
        p.drawRect(QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h))
        p.end()


CARD_PX = 124  # two lines (body and small) and their margins: four cards and the title fit 1080 px


class _Card(TapButton):
    """A big tappable card of two or three lines; its labels let the tap through to the card."""

    def __init__(self, metrics: theme.Metrics, on_tap: Callable[[str], None]) -> None:
        super().__init__("", lambda: on_tap(self.key))
        m = metrics
        self.key = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(m.px(24), m.px(8), m.px(24), m.px(8))
        self.column.setSpacing(m.px(4))
        self.setMinimumHeight(m.px(CARD_PX))
        self._gap = m.px(theme.GAP_PX)

    def add(self, *widgets: QWidget) -> None:
        """One line of the card: the widgets side by side."""
        row = QHBoxLayout()
        row.setSpacing(self._gap)
        for widget in widgets:
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            row.addWidget(widget)
        row.addStretch(1)
        self.column.addLayout(row)


class ProductCard(_Card):
    def __init__(self, window: KioskWindow, on_tap: Callable[[str], None]) -> None:
        super().__init__(window.metrics, on_tap)
        self._window = window
        self.name = label("", "body", data=True)  # the catalog's own words
        self.name.setStyleSheet("font-weight: bold;")
        self.range = label("", "small")
        self.purpose = label("", "small")
        for w in (self.name, self.range, self.purpose):
            w.setWordWrap(False)
        self.add(self.name)
        self.add(self.range, self.purpose)

    def show_product(self, p: ProductLine) -> None:
        self.key = p.id
        self.name.setText(f"{p.name} · {p.bank}")
        w = self._window
        self.range.setText(tr(t.RANGE).format(low=money(w, p.amount_min_fen), high=money(w, p.amount_max_fen)))
        self.purpose.setText(tr(t.FOR).format(purpose=p.purpose))
        self.setAccessibleName(f"{p.name} {p.bank}")


class ApplicationCard(_Card):
    def __init__(self, window: KioskWindow, on_tap: Callable[[str], None]) -> None:
        super().__init__(window.metrics, on_tap)
        self._window = window
        self.name = label("", "body", data=True)
        self.name.setStyleSheet("font-weight: bold;")
        self.amount = label("", "small")
        self.status = label("", "small")
        for w in (self.name, self.amount, self.status):
            w.setWordWrap(False)
        self.add(self.name)
        self.add(self.amount, self.status)

    def show_application(self, app: Application) -> None:
        self.key = app.number
        self.name.setText(f"{app.product_name} · {app.bank_name}")
        w = self._window
        self.amount.setText(tr(t.APP_AMOUNT).format(amount=money(w, app.amount_fen), months=app.term_months))
        status, word = status_word(app)
        self.status.setText(tr(t.APP_STATUS).format(word=word))
        restyle(self.status, STATUS_ROLES.get(status, "small"))
        self.setAccessibleName(f"{app.product_name} {word}")


class ChoiceRow(QWidget):
    """A caption and up to four choices in one row; the chosen one shows a tick and a thick border (never
    colour alone)."""

    def __init__(self, caption: str, metrics: theme.Metrics) -> None:
        super().__init__()
        self._metrics = metrics
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(metrics.px(theme.GAP_PX))
        self.caption = label(caption, "body")
        self.caption.setWordWrap(False)
        row.addWidget(self.caption)
        self.buttons: list[TapButton] = []
        self._row = row
        self._actions: list[Callable[[], None]] = []
        row.addStretch(1)

    def _tapped(self, index: int) -> None:
        if index < len(self._actions):
            self._actions[index]()

    def set_choices(self, captions: list[tuple[str, Callable[[], None]]], data: bool) -> None:
        self._actions = [action for _caption, action in captions]
        while len(self.buttons) < len(captions):
            index = len(self.buttons)
            button = TapButton("", lambda i=index: self._tapped(i))  # type: ignore[misc]
            button.setIconSize(QSize(self._metrics.px(32), self._metrics.px(32)))
            self._row.insertWidget(len(self.buttons) + 1, button)
            self.buttons.append(button)
        for i, button in enumerate(self.buttons):
            button.setVisible(i < len(captions))
            if i < len(captions):
                button.set_caption(captions[i][0])
                button.setProperty("data", data)

    def mark(self, index: int | None) -> None:
        for i, button in enumerate(self.buttons):
            chosen = i == index
            button.setIcon(icons.icon(icons.tick) if chosen else icons.icon(lambda _p, _s: None))
            button.setStyleSheet("border-width: 6px;" if chosen else "")


class VerdictLine(QWidget):
    """The page's quality verdict: an icon and words in the state's colour."""

    def __init__(self, metrics: theme.Metrics) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(metrics.px(12))
        self._px = metrics.px(48)
        self.icon = IconView(icons.tick, self._px)
        self.words = label("", "success")
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)
        self.hide()

    def show_verdict(self, ok: bool, words: str) -> None:
        self.icon.setPixmap(icons.pixmap(icons.tick if ok else icons.warning_sign, self._px))
        self.words.setText(words)
        restyle(self.words, "success" if ok else "error")
        self.show()
