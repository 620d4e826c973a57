"""A speaker that remembers what it was asked to say, for tests and the demo on a machine without sound."""

from __future__ import annotations

import threading

from kiosk.ports import DeviceUnavailable


class FakeSpeaker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.said: list[tuple[str, str]] = []
        self.interrupts = 0
        self._last: tuple[str, str] | None = None
        self._closed = False

    def say(self, text: str, lang: str = "cmn") -> None:
        if self._closed:
            raise DeviceUnavailable("the speaker is closed")
        if text.strip():
            with self._lock:
                self._last = (text.strip(), lang)
                self.said.append(self._last)

    def interrupt(self) -> None:
        with self._lock:
            self.interrupts += 1

    def replay(self) -> None:
        with self._lock:
            if self._last is not None and not self._closed:
                self.said.append(self._last)

    @property
    def speaking(self) -> bool:
        return False  # it says everything at once

    def close(self) -> None:
        self._closed = True
