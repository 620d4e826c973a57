"""The pieces every screen is built from: the screen template of UI.md, touch-safe buttons, the PIN keypad,
the QR view and the live camera preview."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton, QWidget

from kiosk.errors import DeviceError
from ui import icons, text, theme
from ui.text import tr

if TYPE_CHECKING:  # home imports the widgets before its first frame; these come with the screens that use them
    from kiosk.ports import Camera
    from ui.viewmodels.pin import PinEntry

DOUBLE_TAP_S = 0.5  # many older users double-tap: a second tap within this is ignored


def label(source: str, role: str = "body", *, data: bool = False) -> QLabel:
    """A word-wrapped label. `data=True` marks text that is not translated (a name, a number, a DID)."""
    w = QLabel(source)
    w.setProperty("role", role)
    w.setWordWrap(True)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if data:
        w.setProperty("data", True)
    return w


class TapButton(QPushButton):
    """A button that fires once per tap: taps within 500 ms of the last one are ignored (UI.md "Touch")."""

    def __init__(self, caption: str, on_tap: Callable[[], None], role: str = "secondary") -> None:
        super().__init__(caption)
        self.setProperty("role", role)
        self.setAccessibleName(caption)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keyboard focus: a keyboard cannot wander out
        self._on_tap = on_tap
        self._last = -DOUBLE_TAP_S
        self.clicked.connect(self._tapped)

    def set_caption(self, caption: str) -> None:
        self.setText(caption)
        self.setAccessibleName(caption)

    def _tapped(self) -> None:
        now = time.monotonic()
        if now - self._last < DOUBLE_TAP_S:
            return
        self._last = now
        self._on_tap()


class TileButton(QToolButton):
    """A home tile: a large drawn icon above a short label; taps are debounced like `TapButton`."""

    def __init__(self, caption: str, icon: QIcon, icon_px: int, on_tap: Callable[[], None]) -> None:
        super().__init__()
        self.setText(caption)
        self.setAccessibleName(caption)
        self.setIcon(icon)
        self.setIconSize(QSize(icon_px, icon_px))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._on_tap = on_tap
        self._last = -DOUBLE_TAP_S
        self.clicked.connect(self._tapped)

    def _tapped(self) -> None:
        now = time.monotonic()
        if now - self._last < DOUBLE_TAP_S:
            return
        self._last = now
        self._on_tap()


class Keypad(QWidget):
    """Ten digits (optionally shuffled), 删除 and 清空; the display shows dots only, never digits."""

    def __init__(self, entry: Callable[[], PinEntry], changed: Callable[[], None], metrics: theme.Metrics) -> None:
        super().__init__()
        self._entry = entry
        self._changed = changed
        self.dots = label("", "pindots", data=True)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setAccessibleName(tr(text.PIN_ENTERED).format(n=0))
        grid = QGridLayout(self)
        grid.setSpacing(metrics.px(theme.GAP_PX))
        grid.addWidget(self.dots, 0, 0, 1, 3)
        self.keys: list[TapButton] = []
        for i in range(10):
            # A TapButton too: an older finger's double tap on a digit must not type it twice (UI.md "Touch").
            key = TapButton("", self._pressed_key(i), role="key")
            key.setMinimumSize(metrics.px(120), metrics.px(theme.VILLAGER_TARGET_PX))
            key.setProperty("data", True)  # a digit is not a word to translate
            self.keys.append(key)
            row, col = (i // 3 + 1, i % 3) if i < 9 else (4, 1)
            grid.addWidget(key, row, col)
        self.clear_key = TapButton(tr(text.KEY_CLEAR), self._clear)
        self.delete_key = TapButton(tr(text.KEY_DELETE), self._delete)
        grid.addWidget(self.clear_key, 4, 0)
        grid.addWidget(self.delete_key, 4, 2)
        self.refresh_view()

    def _pressed_key(self, index: int) -> Callable[[], None]:
        return lambda: self._press(self.keys[index].text())

    def _press(self, digit: str) -> None:
        self._entry().press(digit)
        self.refresh_view()
        self._changed()

    def _delete(self) -> None:
        self._entry().delete()
        self.refresh_view()
        self._changed()

    def _clear(self) -> None:
        self._entry().clear()
        self.refresh_view()
        self._changed()

    def refresh_view(self) -> None:
        state = self._entry().state
        for key, digit in zip(self.keys, state.layout, strict=True):
            key.setText(digit)
            key.setAccessibleName(digit)
        self.dots.setText("●" * state.entered + "○" * (6 - state.entered))
        self.dots.setAccessibleName(tr(text.PIN_ENTERED).format(n=state.entered))


class QrView(QWidget):
    """A QR code painted module by module (segno makes the matrix), with the quiet zone kept white."""

    def __init__(self, side_px: int) -> None:
        super().__init__()
        self._matrix: list[list[bool]] = []
        self.setFixedSize(side_px, side_px)
        self.setAccessibleName("QR")

    def set_payload(self, payload: str) -> None:
        import segno  # here: only the last enrolment screen needs it, and start-up should not wait for it

        qr = segno.make(payload, error="m", micro=False)
        self._matrix = [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=4)]
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.BACKGROUND))
        n = len(self._matrix)
        if not n:
            return
        cell = min(self.width(), self.height()) / n
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#000000"))
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    p.drawRect(QRectF(x * cell, y * cell, cell + 0.5, cell + 0.5))
        p.end()


class CameraPreview(QWidget):
    """The live camera picture with an oval guide. Pulls the newest frame a few times a second.

    `latest_frame(0)` never waits: it returns a newer frame or raises at once, so the GUI thread never blocks
    on the camera; the face capture on the device lane reads the same camera.
    """

    def __init__(self, size: QSize) -> None:
        super().__init__()
        self.setFixedSize(size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
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
            return  # no newer frame yet, or the camera is gone: keep the last picture
        image = QImage(frame.pixels, frame.width, frame.height, frame.width * 3, QImage.Format.Format_BGR888)
        self._image = image.copy()  # the frame's bytes are not ours to keep referencing
        self.frames_shown += 1
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#2B2B2B"))
        if self._image is not None:
            scaled = self._image.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatioByExpanding, Qt.TransformationMode.FastTransformation
            )
            # Mirror it: people expect the preview to move like a mirror.
            scaled = scaled.flipped(Qt.Orientation.Horizontal)
            p.drawImage((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled)
        pen = QPen(QColor("#FFFFFF"), 6)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        h = self.height() * 0.78
        w = h * 0.72  # a face-shaped oval, taller than wide
        p.drawEllipse(QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h))
        p.end()


class ErrorLine(QWidget):
    """What went wrong, in red words with a warning sign: never colour alone (UI.md "states")."""

    def __init__(self, metrics: theme.Metrics) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(metrics.px(12))
        row.addWidget(IconView(icons.warning_sign, metrics.px(44)), 0, Qt.AlignmentFlag.AlignTop)
        self.label = label("", "error")
        row.addWidget(self.label, 1)
        self.hide()

    def set_error(self, words: str) -> None:
        self.label.setText(words)
        self.setVisible(bool(words))

    def text(self) -> str:
        return self.label.text()


class IconView(QLabel):
    """A drawn icon as a label (no text to translate)."""

    def __init__(self, draw: icons.Draw, size: int) -> None:
        super().__init__()
        self.setPixmap(icons.pixmap(draw, size))
        self.setFixedSize(size, size)
        self.setProperty("data", True)
