"""The PIN screens' keypad: sign-in, cadre entry and witness, 互证, 出示证明, loans, services, the pension's cadre
check and enrolment all put the same keypad on the side and offer the same submit once six digits are in.

The screen keeps its own words, its own submit and what its error line says; this part only owns the keypad.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ui.viewmodels.pin import PinEntry
from ui.widgets import Keypad

if TYPE_CHECKING:
    from ui.screen import Screen


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
