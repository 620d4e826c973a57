"""The PIN screens' keypad: sign-in, cadre entry and witness, 互证, 出示证明, loans, services, the pension's cadre
check and enrolment all put the same keypad on the side and offer the same submit once six digits are in.

The screen keeps its own words, its own submit and what its error line says; this part only owns the keypad.
The card → PIN entries (a villager's sign-in, a cadre's entry) also share their card and PIN screens here; each
keeps its own words and its own outcome screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from ui import icons, text
from ui.screen import Screen
from ui.text import message, tr
from ui.viewmodels.card_pin import CardPinViewModel
from ui.viewmodels.pin import PinEntry
from ui.widgets import ErrorLine, IconView, Keypad

if TYPE_CHECKING:
    from ui.window import KioskWindow

EntryVm = CardPinViewModel[Any, Any]


class HoldsPin(Protocol):
    @property
    def pin(self) -> PinEntry: ...


class PinPad:
    """The keypad on `screen`'s side, typing into the view-model's `pin`; a blank entry when there is none."""

    def __init__(self, screen: Screen, vm: Callable[[], HoldsPin | None], redraw: Callable[[], None]) -> None:
        self._screen = screen
        self._vm = vm
        self._redraw = redraw
        self._spare = PinEntry()  # what the keypad shows between sessions: nothing typed
        self.keypad = Keypad(self._entry, self._keyed, screen.window_.metrics)
        screen.side_box.show()
        screen.side.addWidget(self.keypad)

    def _entry(self) -> PinEntry:
        vm = self._vm()
        return self._spare if vm is None else vm.pin

    def _keyed(self) -> None:
        self._screen.window_.idle.touched()  # typing a PIN is the villager at work: the idle timer starts over
        self._redraw()

    def offer(self, caption: str, busy_caption: str, busy: bool, submit: Callable[[], None]) -> None:
        """Redraws the dots; the primary submits once the PIN is complete, and waits while it is checked."""
        self.keypad.refresh_view()
        enabled = self._entry().state.complete and not busy
        self._screen.set_primary(busy_caption if busy else caption, submit, enabled=enabled)


# --- the card → PIN entries ----------------------------------------------------------------------------------


def route_card_pin(window: KioskWindow, vm: EntryVm, screen_of: Mapping[Any, str]) -> None:
    """Show the screen of the entry's phase; on the same screen re-render, and say a new error (a wrong PIN)."""
    target = screen_of.get(vm.state.phase)
    if target is None:  # opened (the window shows the person's home) or ended
        return
    current = window.current
    if current is None or current.name != target:
        window.go(target)
    elif isinstance(current, EntryScreen):
        current.refresh_view()
        if vm.state.error is not None:
            window.services.speaker.interrupt()
            window.speak(message(vm.state.error))


class EntryScreen(Screen):
    """An entry's screen: the error line over what the phase shows."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> EntryVm | None:
        return None  # each entry names its own view-model

    def enter(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: EntryVm) -> None:
        """Each screen renders its own part of the state."""


class EntryCardScreen(EntryScreen):
    """Step 1 of 2: the card on the reader, read as the screen opens; 再试一次 after a failed read."""

    card_title: ClassVar[str] = ""
    card_body: ClassVar[str] = ""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.id_card, window.metrics.px(320)))

    def enter(self) -> None:
        super().enter()
        if self.vm is not None and self.vm.state.error is None:
            self.vm.read_card()

    def render_state(self, vm: EntryVm) -> None:
        self.set_progress(1, 2)
        self.set_text(tr(self.card_title), tr(self.card_body))
        if vm.state.error is not None and not vm.state.busy:
            self.set_primary(tr(text.TRY_AGAIN), vm.read_card)
        else:
            self.set_primary(None)


class EntryPinScreen(EntryScreen):
    """Step 2 of 2: the keypad, greeting the card's holder by name on screen (the spoken prompt is the title)."""

    pin_title: ClassVar[str] = ""
    pin_body: ClassVar[str] = ""  # with {name}

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def render_state(self, vm: EntryVm) -> None:
        self.set_progress(2, 2)
        self.set_text(tr(self.pin_title), tr(self.pin_body).format(name=vm.state.name))
        self.body.setProperty("data", True)  # it carries the person's name
        self.pad.offer(tr(text.OK), tr(text.WORKING), vm.state.busy, vm.submit_pin)
