"""Calm screens with one message: a service not open at this kiosk yet, the county's lock, and a fault."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import icons, text
from ui.screen import Screen
from ui.text import tr
from ui.widgets import IconView

if TYPE_CHECKING:
    from ui.window import KioskWindow


class NotOpenScreen(Screen):
    """A tile whose service comes with a later release: what to do instead, and the way home."""

    name = "not_open"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.building, window.metrics.px(240)))
        self.home.hide()
        self.service = ""

    def enter(self) -> None:
        self.set_text(tr(text.NOT_OPEN_TITLE).format(service=self.service), tr(text.NOT_OPEN_BODY))
        self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"


class LockScreen(Screen):
    """The county locked this kiosk: nothing to press but 再听一遍 and 求助; it opens again by itself."""

    name = "lock"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.set_text(tr(text.LOCK_TITLE), tr(text.LOCK_BODY))
        self.side_box.show()
        self.side.addWidget(IconView(icons.lock, window.metrics.px(240)))
        self.home.hide()

    def on_home(self) -> None:
        """Locked: home is not offered."""


class FaultScreen(Screen):
    """Something unexpected broke: the session was wiped; say so calmly and offer home."""

    name = "fault"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.set_text(tr(text.FAULT_TITLE), tr(text.FAULT_BODY))
        self.side_box.show()
        self.side.addWidget(IconView(icons.warning_sign, window.metrics.px(240)))
        self.home.hide()
        self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"
