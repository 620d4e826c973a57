"""Widgets of the services screens that other screens may share: the page-guide camera preview and the field keypad.

`PagePreview` is the live camera picture with a page-shaped guide (a paper material is photographed inside it);
`FieldKeypad` types a number or an ID-like text into a form field, showing what was typed (this is no PIN).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QWidget

from ui import text, theme
from ui.text import tr
from ui.widgets import CameraPreview, TapButton, label


class PagePreview(CameraPreview):
    """The live camera picture with a dashed page outline (A4's proportions) instead of the face oval."""

    def __init__(self, size: QSize) -> None:
        super().__init__(size)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#2B2B2B"))
        image = self._image
        if image is not None:
            # A page is read as it lies: not mirrored, unlike the face preview.
            scaled = image.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding, Qt.TransformationMode.FastTransformation
            )
            p.drawImage((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled)
        pen = QPen(QColor("#FFFFFF"), 6)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        h = self.height() * 0.86
        w = min(self.width() * 0.9, h / 1.414)  # A4 upright
        p.drawRect(QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h))
        p.end()


class FieldKeypad(QWidget):
    """Big keys for a form field: the digits (and X or - where the field takes them), 删除 and 清空.

    The display shows what was typed: a card number or a year is not a secret. Keys call `on_key(char)`,
    `on_delete()`, `on_clear()`; `set_keys` changes which extra key shows; `show_entry` the display.
    """

    def __init__(
        self,
        metrics: theme.Metrics,
        on_key: Callable[[str], None],
        on_delete: Callable[[], None],
        on_clear: Callable[[], None],
    ) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(metrics.px(theme.GAP_PX))
        self.display = label("", "title", data=True)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumWidth(metrics.px(120) * 3 + metrics.px(theme.GAP_PX) * 2)
        grid.addWidget(self.display, 0, 0, 1, 3)
        self.keys: dict[str, TapButton] = {}
        for i, char in enumerate("123456789"):
            grid.addWidget(self._key(char, on_key, metrics), i // 3 + 1, i % 3)
        self.extra = self._key("X", on_key, metrics)
        grid.addWidget(self.extra, 4, 0)
        grid.addWidget(self._key("0", on_key, metrics), 4, 1)
        self.delete_key = TapButton(tr(text.KEY_DELETE), on_delete)
        self.clear_key = TapButton(tr(text.KEY_CLEAR), on_clear)
        grid.addWidget(self.delete_key, 4, 2)
        grid.addWidget(self.clear_key, 5, 0, 1, 3)
        self._on_key = on_key

    def _key(self, char: str, on_key: Callable[[str], None], metrics: theme.Metrics) -> TapButton:
        key = TapButton(char, lambda: on_key(key.text()), role="key")
        key.setMinimumSize(metrics.px(120), metrics.px(theme.VILLAGER_TARGET_PX))
        key.setProperty("data", True)  # a digit is not a word to translate
        self.keys[char] = key
        return key

    def set_keys(self, keys: str) -> None:
        """Which extra key the field takes ("X" for an ID-like text, "-" for a date), if any."""
        extra = next((c for c in keys if not c.isdigit()), "")
        self.extra.setVisible(bool(extra))
        if extra:
            self.extra.set_caption(extra)

    def show_entry(self, entry: str) -> None:
        self.display.setText(entry or "—")
        self.display.setAccessibleName(entry or "—")
