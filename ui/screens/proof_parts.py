"""What the 我的证明, 出示证明 and 互证 screens share: the proof card, its icons and status words, choices,
the QR camera preview, and the router that moves between screens as a view-model's phase changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ui import icons, theme
from ui import text_proofs as t
from ui.screen import Screen
from ui.text import tr
from ui.viewmodels.proofdesk import CardView, StatusWord
from ui.widgets import IconView, TapButton, label

if TYPE_CHECKING:
    from kiosk.ports import Frame
    from ui.window import KioskWindow


# --- icons of the credential kinds (kiosk.credentials.kinds names them) and of the status words -------------


def _stethoscope(p: QPainter, s: float) -> None:
    icons._pen(p, s)
    p.drawArc(QRectF(s * 0.18, s * 0.1, s * 0.4, s * 0.5), 180 * 16, 180 * 16)
    p.drawLine(QPointF(s * 0.38, s * 0.6), QPointF(s * 0.38, s * 0.72))
    p.drawArc(QRectF(s * 0.38, s * 0.5, s * 0.4, s * 0.36), 180 * 16, 180 * 16)
    p.drawEllipse(QPointF(s * 0.78, s * 0.5), s * 0.08, s * 0.08)


def _field(p: QPainter, s: float) -> None:
    icons._pen(p, s)
    p.drawRect(QRectF(s * 0.12, s * 0.3, s * 0.76, s * 0.52))
    for x in (0.31, 0.5, 0.69):
        p.drawLine(QPointF(s * x, s * 0.3), QPointF(s * x, s * 0.82))
    p.drawLine(QPointF(s * 0.5, s * 0.3), QPointF(s * 0.5, s * 0.14))


def _people(p: QPainter, s: float) -> None:
    icons._pen(p, s)
    for cx in (0.33, 0.67):
        p.drawEllipse(QPointF(s * cx, s * 0.34), s * 0.11, s * 0.11)
        p.drawArc(QRectF(s * (cx - 0.18), s * 0.52, s * 0.36, s * 0.4), 0, 180 * 16)


def _person(p: QPainter, s: float) -> None:
    icons._pen(p, s)
    p.drawEllipse(QPointF(s * 0.5, s * 0.32), s * 0.14, s * 0.14)
    p.drawArc(QRectF(s * 0.24, s * 0.54, s * 0.52, s * 0.44), 0, 180 * 16)


def _receipt(p: QPainter, s: float) -> None:
    icons._pen(p, s)
    p.drawRect(QRectF(s * 0.24, s * 0.12, s * 0.52, s * 0.76))
    for y in (0.32, 0.48, 0.64):
        p.drawLine(QPointF(s * 0.34, s * y), QPointF(s * 0.66, s * y))


def _cross(p: QPainter, s: float) -> None:
    icons._pen(p, s, theme.ERROR, width=0.1)
    p.drawLine(QPointF(s * 0.22, s * 0.22), QPointF(s * 0.78, s * 0.78))
    p.drawLine(QPointF(s * 0.78, s * 0.22), QPointF(s * 0.22, s * 0.78))


def _clock(p: QPainter, s: float) -> None:
    icons._pen(p, s, theme.WARNING)
    p.drawEllipse(QPointF(s * 0.5, s * 0.5), s * 0.38, s * 0.38)
    p.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.5, s * 0.26))
    p.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.68, s * 0.6))


KIND_ICONS: dict[str, icons.Draw] = {
    "id-card": icons.id_card,
    "stethoscope": _stethoscope,
    "field": _field,
    "handshake": _people,
    "receipt": _receipt,
    "people": _people,
    "person": _person,
}
STATUS_ICONS: dict[StatusWord, icons.Draw] = {
    StatusWord.VALID: icons.tick,
    StatusWord.EXPIRED: _clock,
    StatusWord.REVOKED: _cross,
    StatusWord.SUSPENDED: icons.warning_sign,
    StatusWord.UNKNOWN: _clock,
}
STATUS_ROLES = {
    StatusWord.VALID: "success",
    StatusWord.EXPIRED: "warning",
    StatusWord.REVOKED: "error",
    StatusWord.SUSPENDED: "warning",
    StatusWord.UNKNOWN: "warning",
}


def freshness(card: CardView) -> str:
    return tr(t.CHECKED_ON).format(date=card.checked) if card.checked else tr(t.NEVER_CHECKED)


class StatusLine(QWidget):
    """The status word with its icon, in its colour: never colour alone (UI.md "states")."""

    def __init__(self, metrics: theme.Metrics) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(metrics.px(8))
        self._px = metrics.px(40)
        self.icon = IconView(icons.tick, self._px)
        self.word = label("", "success")
        self.word.setWordWrap(False)
        row.addWidget(self.icon)
        row.addWidget(self.word)
        row.addStretch(1)

    def show_status(self, word: StatusWord) -> None:
        self.icon.setPixmap(icons.pixmap(STATUS_ICONS[word], self._px))
        self.word.setText(tr(t.STATUS_IS).format(word=tr(t.STATUS[word.value])))
        self.word.setProperty("role", STATUS_ROLES[word])
        self.word.style().unpolish(self.word)
        self.word.style().polish(self.word)


class ProofCard(TapButton):
    """One credential as a big card: icon, kind, issuer and date, the status word and how fresh it is."""

    def __init__(self, metrics: theme.Metrics, on_tap: Callable[[str], None]) -> None:
        super().__init__("", lambda: on_tap(self.card_id))
        m = metrics
        self.card_id = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(m.px(24), m.px(12), m.px(24), m.px(12))
        row.setSpacing(m.px(24))
        self._icon_px = m.px(96)
        self.kind_icon = IconView(icons.id_card, self._icon_px)
        row.addWidget(self.kind_icon, 0, Qt.AlignmentFlag.AlignVCenter)
        column = QVBoxLayout()
        column.setSpacing(0)
        self.kind = label("", "body", data=True)  # the kind's display name, from the core's kinds table
        self.kind.setStyleSheet("font-weight: bold;")
        self.issuer = label("", "small")
        self.status = StatusLine(m)
        self.fresh = label("", "small")
        for w in (self.kind, self.issuer, self.status, self.fresh):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)  # the card takes the tap
            column.addWidget(w)
        row.addLayout(column, 1)
        # The style sheet's min-height of buttons would win over setMinimumHeight: the card says its own.
        self.setObjectName("proofcard")
        self.setStyleSheet(f"QPushButton#proofcard {{ min-height: {m.px(224)}px; }}")

    def show_card(self, card: CardView) -> None:
        self.card_id = card.id
        self.kind_icon.setPixmap(icons.pixmap(KIND_ICONS.get(card.icon, icons.wallet), self._icon_px))
        self.kind.setText(card.kind)
        self.issuer.setText(tr(t.CARD_LINE).format(issuer=card.issuer, date=card.issued))
        self.status.show_status(card.status)
        self.fresh.setText(freshness(card))
        self.setAccessibleName(f"{card.kind} {card.issuer} {tr(t.STATUS[card.status.value])}")


class Choice(TapButton):
    """One of at most four choices; the chosen one shows a tick and says so (not by colour alone)."""

    def __init__(self, source: str, on_tap: Callable[[str], None], metrics: theme.Metrics) -> None:
        super().__init__(tr(source), lambda: on_tap(source))
        self.source = source
        self.setIconSize(QSize(metrics.px(40), metrics.px(40)))
        # A wide, left-aligned row (the style sheet's min-width of buttons would win over setMinimumWidth).
        self._style = f"min-width: {metrics.px(560)}px; text-align: left; padding-left: {metrics.px(24)}px;"
        self.mark(False)

    def mark(self, chosen: bool) -> None:
        self.setIcon(icons.icon(icons.tick) if chosen else icons.icon(lambda _p, _s: None))
        self.setStyleSheet(self._style + (" border-width: 6px;" if chosen else ""))


class QrPreview(QWidget):
    """The live camera picture with a square guide for a code held up to it.

    It shows the frames the QR looker takes on the `hw` lane (`source()` gives the newest one, or None): a
    camera hands each frame to one taker, so a preview reading the camera itself would starve the looker.
    Never waits: the GUI thread only copies a frame that is already there.
    """

    def __init__(self, size: QSize) -> None:
        super().__init__()
        self.setFixedSize(size)
        self._source: Callable[[], Frame | None] | None = None
        self._image: QImage | None = None
        self._seq = -1
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.pull)
        self.frames_shown = 0

    def start(self, source: Callable[[], Frame | None]) -> None:
        self._source = source
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._source = None
        self._image = None

    def pull(self) -> None:
        frame = self._source() if self._source is not None else None
        if frame is None or frame.seq == self._seq:
            return
        self._seq = frame.seq
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
        side = min(self.width(), self.height()) * 0.8
        p.drawRect(QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side))
        p.end()


class ProofScreen(Screen):
    """A screen rendering one of the proofs' view-models; the router calls `refresh_view` on every change."""

    def enter(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Each screen renders its view-model's state."""

    def prompt(self) -> str:
        body = self.body.text() if self.body.isVisible() and not self.body.property("data") else ""
        return f"{self.title.text()}。{body}" if body else self.title.text()


def route(window: KioskWindow, target: str | None, phase: str, error: str = "") -> None:
    """Show `target` (a new screen speaks its prompt); on the same screen re-render, and speak what changed:
    the new prompt if the phase moved, a new error's words (a wrong PIN) if not."""
    if target is None:
        return
    current = window.current
    if current is None or current.name != target:
        window.go(target)
        if window.current is not None:
            window.current.setProperty("phase", phase)
            window.current.setProperty("said_error", error)
        return
    if not isinstance(current, ProofScreen):
        return
    current.refresh_view()
    if current.property("phase") not in (None, phase):  # None: the screen is still opening and speaks itself
        words = current.prompt()
    elif error and current.property("said_error") != error:
        words = error
    else:
        words = ""
    current.setProperty("phase", phase)
    current.setProperty("said_error", error)
    if words:
        window.services.speaker.interrupt()
        window.speak(words)
