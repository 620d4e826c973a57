"""The wait for the core in the moment after start-up: a tile tapped before the records are open is held,
and after 300 ms (UI.md "motion") a spinner with words says so, with the way home; then the tile proceeds."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui import theme
from ui.overlay import Overlay

SPIN_EVERY_MS = 80


class Spinner(QWidget):
    """A turning arc; it turns only while shown."""

    def __init__(self, size_px: int) -> None:
        super().__init__()
        self.setFixedSize(size_px, size_px)
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(SPIN_EVERY_MS)
        self._timer.timeout.connect(self._turn)

    def showEvent(self, event: object) -> None:  # noqa: N802 — Qt's name
        self._timer.start()

    def hideEvent(self, event: object) -> None:  # noqa: N802 — Qt's name
        self._timer.stop()

    def _turn(self) -> None:
        self._angle = (self._angle + 30) % 360
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width() * 0.1
        pen = QPen(QColor(theme.PRIMARY), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        box = QRectF(width, width, self.width() - 2 * width, self.height() - 2 * width)
        p.drawArc(box, -self._angle * 16, 270 * 16)
        p.end()


class WaitPanel(Overlay):
    """The overlay card with a spinner above its words."""

    def __init__(self, parent: QWidget, metrics: theme.Metrics) -> None:
        super().__init__(parent, metrics)
        self.spinner = Spinner(metrics.px(96))
        column = self.card.layout()
        if isinstance(column, QVBoxLayout):
            column.insertWidget(0, self.spinner, 0, Qt.AlignmentFlag.AlignHCenter)
