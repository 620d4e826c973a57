"""Cadre mode's entry and home: the cadre's card → their PIN → the cadre's home with four choices; or a calm
refusal for someone who is not on the county's roster (or when no roster has arrived)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.tx.bodies import EnrolMode
from ui import icons, text, theme
from ui.screen import Screen
from ui.text import message, tr
from ui.viewmodels.cadre import CadreEntryViewModel, EntryPhase
from ui.viewmodels.pin import PinEntry
from ui.widgets import ErrorLine, IconView, Keypad, TileButton

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
    if window.cadre.entry is not vm:
        return
    target = SCREEN_OF.get(vm.state.phase)
    if target is None:  # admitted (the window shows the cadre's home) or ended
        return
    current = window.current
    if current is None or current.name != target:
        window.go(target)
    elif isinstance(current, CadreEntryScreen):
        current.refresh_view()
        if vm.state.error is not None:
            window.services.speaker.interrupt()
            window.speak(message(vm.state.error))


class CadreEntryScreen(Screen):
    villager = False  # a cadre's screen: no 求助

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> CadreEntryViewModel | None:
        return self.window_.cadre.entry

    def enter(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: CadreEntryViewModel) -> None:
        """Each screen renders its own part of the state."""


class CadreCardScreen(CadreEntryScreen):
    name = "cadre_card"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.id_card, window.metrics.px(320)))

    def enter(self) -> None:
        super().enter()
        if self.vm is not None and self.vm.state.error is None:
            self.vm.read_card()

    def render_state(self, vm: CadreEntryViewModel) -> None:
        self.set_progress(1, 2)
        self.set_text(tr(text.CADRE_CARD_TITLE), tr(text.CADRE_CARD_BODY))
        if vm.state.error is not None and not vm.state.busy:
            self.set_primary(tr(text.TRY_AGAIN), vm.read_card)
        else:
            self.set_primary(None)


class CadrePinScreen(CadreEntryScreen):
    name = "cadre_pin"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self._spare = PinEntry()
        self.keypad = Keypad(self._entry, self._keyed, window.metrics)
        self.side_box.show()
        self.side.addWidget(self.keypad)

    def _entry(self) -> PinEntry:
        vm = self.vm
        return self._spare if vm is None else vm.pin

    def _keyed(self) -> None:
        self.window_.idle.touched()
        self.refresh_view()

    def render_state(self, vm: CadreEntryViewModel) -> None:
        self.set_progress(2, 2)
        self.set_text(tr(text.CADRE_PIN_TITLE), tr(text.CADRE_PIN_BODY).format(name=vm.state.name))
        self.body.setProperty("data", True)  # it carries the cadre's name; the prompt is the title only
        self.keypad.refresh_view()
        busy = vm.state.busy
        self.set_primary(
            tr(text.WORKING) if busy else tr(text.OK), vm.submit_pin, enabled=vm.pin.state.complete and not busy
        )


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

    def render_state(self, vm: CadreEntryViewModel) -> None:
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
            (text.CADRE_PROXY, icons.help_mark, lambda: window.cadre.start_enrolment(EnrolMode.PROXY)),
            (text.CADRE_QUEUE, icons.progress, lambda: window.go("cadre_queue")),
            (text.CADRE_TODAY, icons.building, lambda: window.go("cadre_today")),
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
