"""The numeric keypad's state: digits held in a bytearray (wiped after use), an optionally shuffled layout."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from kiosk.identity.keystore import PIN_LENGTH

DIGITS = "1234567890"


@dataclass(frozen=True, slots=True)
class PinState:
    entered: int
    complete: bool
    layout: str  # the ten digits in the order the keys show them


class PinEntry:
    """Six digits typed on the keypad. Never logged, never spoken; `take()` hands them over once and wipes."""

    def __init__(self, shuffle: bool = False) -> None:
        self._digits = bytearray()
        self._shuffle = shuffle
        self._layout = self._new_layout()

    def _new_layout(self) -> str:
        if not self._shuffle:
            return DIGITS
        order = list(DIGITS)
        # A shuffled pad shows a shoulder-surfer nothing about the PIN from the finger's position.
        for i in range(len(order) - 1, 0, -1):
            j = secrets.randbelow(i + 1)
            order[i], order[j] = order[j], order[i]
        return "".join(order)

    @property
    def state(self) -> PinState:
        return PinState(len(self._digits), len(self._digits) == PIN_LENGTH, self._layout)

    def press(self, digit: str) -> None:
        if len(digit) != 1 or digit not in DIGITS:
            raise ValueError("the keypad has only the digits 0-9")
        if len(self._digits) < PIN_LENGTH:
            self._digits.append(ord(digit))

    def delete(self) -> None:
        if self._digits:
            self._digits[-1] = 0
            del self._digits[-1]

    def clear(self) -> None:
        self._digits[:] = b"\0" * len(self._digits)
        self._digits.clear()

    def take(self) -> str:
        """The PIN typed so far, then the buffer is wiped and (if shuffled) the keys move."""
        pin = self._digits.decode("ascii")
        self.clear()
        self._layout = self._new_layout()
        return pin
