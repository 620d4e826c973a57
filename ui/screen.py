"""The screen template of UI.md: top bar (village, progress, link state), title, body, content, bottom bar.

Every screen subclasses `Screen`, fills its content and says which buttons it has; the window routes between
them. The bottom bar is always in the same order: 返回 · 再听一遍 · 求助 · 回首页 · the one filled primary action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import icons, text, theme
from ui.text import tr
from ui.widgets import TapButton, label

if TYPE_CHECKING:
    from ui.viewmodels.status import KioskStatus
    from ui.window import KioskWindow


class Screen(QWidget):
    name: ClassVar[str] = ""
    personal: ClassVar[bool] = True  # holds personal data or work: the idle timeout applies
    villager: ClassVar[bool] = True  # a villager screen has 求助

    def __init__(self, window: KioskWindow) -> None:
        super().__init__()
        self.window_ = window
        m = window.metrics
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar(m))
        self.banner = label("", "banner-cadre", data=True)
        self.banner.hide()
        outer.addWidget(self.banner)

        middle = QWidget()
        row = self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, middle)
        pad = m.px(48)
        row.setContentsMargins(pad, m.px(32), pad, m.px(16))
        row.setSpacing(m.px(48))
        column = QVBoxLayout()
        column.setSpacing(m.px(theme.GAP_PX))
        self.title = label("", "title")
        self.body = label("", "body")
        column.addWidget(self.title)
        column.addWidget(self.body)
        self.content = QVBoxLayout()
        self.content.setSpacing(m.px(theme.GAP_PX))
        column.addLayout(self.content)
        column.addStretch(1)
        row.addLayout(column, 3)
        self.side_box = QWidget()
        self.side = QVBoxLayout(self.side_box)
        self.side.setContentsMargins(0, 0, 0, 0)
        self.side.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.side_box, 2)
        self.side_box.hide()  # shown by screens that put a preview, a keypad or a QR there
        outer.addWidget(middle, 1)
        outer.addWidget(self._bottom_bar(m))

    # --- the frame ---------------------------------------------------------------------------------

    def _top_bar(self, m: theme.Metrics) -> QWidget:
        bar = QWidget()
        bar.setProperty("role", "topbar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar.setFixedHeight(m.px(theme.TOP_BAR_PX))
        row = QHBoxLayout(bar)
        row.setContentsMargins(m.px(32), 0, m.px(32), 0)
        self.place = label(f"{tr(text.COUNTY)}·{self.window_.village_name}", "topbar")
        self.place.setProperty("data", True)  # the village's own name is not translated
        self.place.setWordWrap(False)
        self.progress = label("", "topbar")
        self.progress.setWordWrap(False)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link = label("", "offline")  # as the first reading (UNKNOWN) says, so home need not restyle it
        self.link.setWordWrap(False)
        self.link.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.place, 1)
        row.addWidget(self.progress, 1)
        row.addWidget(self.link, 1)
        return bar

    def _bottom_bar(self, m: theme.Metrics) -> QWidget:
        bar = QWidget()
        bar.setMinimumHeight(m.px(theme.BOTTOM_BAR_PX))
        row = QHBoxLayout(bar)
        row.setContentsMargins(m.px(32), m.px(8), m.px(32), m.px(16))
        row.setSpacing(m.px(theme.GAP_PX))
        self.back = TapButton(tr(text.BACK), self.on_back)
        self.back.setIcon(icons.icon(icons.back))
        self.replay = TapButton(tr(text.REPLAY), self.window_.replay_prompt)
        self.replay.setIcon(icons.icon(icons.speaker))
        self.help = TapButton(tr(text.HELP), self.window_.show_help)
        self.help.setIcon(icons.icon(icons.help_mark))
        self.home = TapButton(tr(text.HOME), self.on_home)
        self.home.setIcon(icons.icon(icons.house))
        self.primary = TapButton("", self._primary_tapped, role="primary")
        self._primary_action: Callable[[], None] | None = None
        for button in (self.back, self.replay, self.help, self.home):
            row.addWidget(button)
            button.setIconSize(QSize(m.px(40), m.px(40)))
        row.addStretch(1)
        row.addWidget(self.primary)
        self.back.hide()
        self.help.setVisible(self.villager)
        self.primary.hide()
        return bar

    def set_portrait(self, portrait: bool) -> None:
        """Portrait puts the preview, keypad or QR under the words instead of beside them.

        Called by the window before it takes the new size, so no landscape minimum holds a portrait window wide.
        """
        self._row.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)

    def add_button(self, button: QPushButton) -> None:
        """A choice in the content: its own size, on the left, not stretched across the screen."""
        line = QHBoxLayout()
        line.addWidget(button)
        line.addStretch(1)
        self.content.addLayout(line)

    # --- what subclasses set ------------------------------------------------------------------------

    def set_text(self, title: str, body: str = "") -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))

    def set_primary(self, caption: str | None, action: Callable[[], None] | None = None, enabled: bool = True) -> None:
        if caption is None:
            self.primary.hide()
            self._primary_action = None
            return
        self.primary.set_caption(caption)
        self._primary_action = action
        self.primary.setEnabled(enabled)
        self.primary.show()

    def _primary_tapped(self) -> None:
        if self._primary_action is not None:
            self._primary_action()

    def set_progress(self, step: int | None, total: int = 5) -> None:
        if step is None:
            self.progress.setText("")
            return
        dots = "●" * step + "○" * (total - step)
        self.progress.setText(f"{dots}  {tr(text.STEP_OF).format(n=step, total=total)}")

    def show_status(self, status: KioskStatus) -> None:
        """The link state: never an error, never blocking (UI.md: offline means 稍后自动同步)."""
        self.link.setText(("● " + tr(text.ONLINE)) if status.online else ("○ " + tr(text.OFFLINE)))
        role = "online" if status.online else "offline"
        if self.link.property("role") != role:  # restyle only on a change: style() costs the first frame ~5 ms
            self.link.setProperty("role", role)
            self.link.style().unpolish(self.link)
            self.link.style().polish(self.link)

    # --- lifecycle -------------------------------------------------------------------------------------

    def prompt(self) -> str:
        """What the speaker says when the screen opens and on 再听一遍: the title, unless said otherwise."""
        return self.title.text()

    def enter(self) -> None:
        """The screen is about to show: refresh from the view-model."""

    def leave(self) -> None:
        """The screen is going away: stop timers and previews."""

    def on_back(self) -> None:
        self.on_home()

    def on_home(self) -> None:
        self.window_.go_home(ask=True)

    @staticmethod
    def _labels(widget: QWidget) -> list[QLabel]:
        return widget.findChildren(QLabel)
