"""Cadre mode's entry and home: the cadre's card → their PIN → the cadre's home with four choices; or a calm
refusal for someone who is not on the county's roster (or when no roster has arrived)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.tx.bodies import EnrolMode
from ui import icons, text, theme
from ui.screen import Screen
from ui.screens.pin_parts import EntryCardScreen, EntryPinScreen, EntryScreen, EntryVm, route_card_pin
from ui.text import message, tr
from ui.viewmodels.cadre import CadreEntryViewModel, EntryPhase
from ui.widgets import IconView, TileButton

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    EntryPhase.CARD: "cadre_card",
    EntryPhase.PIN: "cadre_pin",
    EntryPhase.REFUSED: "cadre_outcome",
    EntryPhase.LOCKED: "cadre_outcome",
    EntryPhase.FAILED: "cadre_outcome",
}


def route_entry(window: KioskWindow, vm: CadreEntryViewModel) -> None:
    if window.cadre.entry is vm:
        route_card_pin(window, vm, SCREEN_OF)


class CadreEntryScreen(EntryScreen):
    villager = False  # a cadre's screen: no 求助

    @property
    def vm(self) -> CadreEntryViewModel | None:
        return self.window_.cadre.entry


class CadreCardScreen(CadreEntryScreen, EntryCardScreen):
    name = "cadre_card"
    card_title = text.CADRE_CARD_TITLE
    card_body = text.CADRE_CARD_BODY


class CadrePinScreen(CadreEntryScreen, EntryPinScreen):
    name = "cadre_pin"
    pin_title = text.CADRE_PIN_TITLE
    pin_body = text.CADRE_PIN_BODY  # with the cadre's name from the roster


class CadreOutcomeScreen(CadreEntryScreen):
    """Not a cadre, no roster yet, the PIN locked, or the card unreadable: what happened, and the way home."""

    name = "cadre_outcome"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.icon = IconView(icons.lock, window.metrics.px(200))
        self.side_box.show()
        self.side.addWidget(self.icon)
        self.home.hide()

    def render_state(self, vm: EntryVm) -> None:
        self.error.hide()
        self.set_progress(None)
        phase = vm.state.phase
        if phase is EntryPhase.LOCKED:
            self.set_text(tr(text.LOCKED_TITLE), tr(text.LOCKED_BODY))
        else:
            self.set_text(tr(text.CADRE_REFUSED_TITLE), message(vm.state.error) if vm.state.error else "")
        self.icon.setVisible(phase is EntryPhase.LOCKED)
        self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"


class CadreHomeScreen(Screen):
    """The cadre's home: 协助办理 · 代为操作 · 待上报 · 今日记录, and 退出 (which wipes the cadre's key)."""

    name = "cadre_home"
    villager = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.home.hide()  # 回首页 would lead here; leaving is 退出
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setSpacing(m.px(theme.GAP_PX))
        self.grid.setContentsMargins(0, 0, 0, 0)
        icon_px = m.px(theme.TILE_ICON_PX)
        choices: list[tuple[str, icons.Draw, Callable[[], None]]] = [
            (text.CADRE_ASSIST, icons.id_card, lambda: window.cadre.start_enrolment(EnrolMode.ASSISTED)),
            (text.CADRE_PROXY, icons.two_people, lambda: window.cadre.start_enrolment(EnrolMode.PROXY)),
            (text.CADRE_QUEUE, icons.progress, lambda: window.go("cadre_queue")),
            (text.CADRE_TODAY, icons.calendar, lambda: window.go("cadre_today")),
        ]
        self.tiles = [TileButton(tr(words), icons.icon(draw, icon_px), icon_px, act) for words, draw, act in choices]
        self._columns = 0
        self._lay_out(4)
        self.content.addWidget(self.grid_box)

    def _lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, i // columns, i % columns)
        self.grid.invalidate()
        self.grid_box.updateGeometry()

    def set_portrait(self, portrait: bool) -> None:
        # Landscape: one row of four (there is no height for two). Portrait: two rows of two.
        super().set_portrait(portrait)
        self._lay_out(2 if portrait else 4)

    def enter(self) -> None:
        self.set_progress(None)
        self.set_text(tr(text.CADRE_HOME_TITLE), tr(text.CADRE_HOME_BODY))
        self.set_primary(tr(text.SIGN_OUT), self.window_.cadre.sign_out)
