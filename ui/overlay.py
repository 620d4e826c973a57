"""Panels shown over the current screen inside the window — never a separate dialog a villager could escape
through: 求助 (help), "要放弃这次办理吗？" (ask) and "还在吗？" (the idle countdown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui import theme
from ui.widgets import TapButton, label


class Overlay(QWidget):
    """A white card in the middle of a dimmed window, with a title, a body and up to two buttons."""

    def __init__(self, parent: QWidget, metrics: theme.Metrics) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QWidget()
        self.card.setAutoFillBackground(True)
        self.card.setMaximumWidth(metrics.px(1000))
        self.card.setMinimumWidth(metrics.px(640))
        column = QVBoxLayout(self.card)
        pad = metrics.px(48)
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(metrics.px(theme.GAP_PX))
        self.title = label("", "title")
        self.body = label("", "body")
        column.addWidget(self.title)
        column.addWidget(self.body)
        row = QHBoxLayout()
        row.setSpacing(metrics.px(theme.GAP_PX))
        self.second = TapButton("", self._second_tapped)
        self.first = TapButton("", self._first_tapped, role="primary")
        row.addWidget(self.second)
        row.addStretch(1)
        row.addWidget(self.first)
        column.addLayout(row)
        outer.addWidget(self.card)
        self._first: Callable[[], None] | None = None
        self._second: Callable[[], None] | None = None
        self.hide()

    def open(
        self,
        title: str,
        body: str,
        first: tuple[str, Callable[[], None]],
        second: tuple[str, Callable[[], None]] | None = None,
    ) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.first.set_caption(first[0])
        self._first = first[1]
        if second is None:
            self.second.hide()
            self._second = None
        else:
            self.second.set_caption(second[0])
            self._second = second[1]
            self.second.show()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def close_panel(self) -> None:
        self.hide()

    def _first_tapped(self) -> None:
        if self._first is not None:
            self._first()

    def _second_tapped(self) -> None:
        if self._second is not None:
            self._second()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 150))
        p.end()
