"""Choosing the speaker: the espeak-ng driver when it is installed, else a quiet one that keeps the app usable.

Speech is a help, never a gate: a kiosk whose speaker driver is missing still works on screen.
"""

from __future__ import annotations

import importlib
import logging
import threading

from kiosk.errors import KioskError
from ui.services import Speaker

logger = logging.getLogger(__name__)


class QuietSpeaker:
    """Says nothing; remembers the last sentence so `replay` has the same shape as a real speaker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.last: str | None = None

    def say(self, text: str, lang: str = "cmn") -> None:
        with self._lock:
            self.last = text

    def interrupt(self) -> None:
        """Nothing is playing."""

    def replay(self) -> None:
        """Nothing to play."""

    def close(self) -> None:
        with self._lock:
            self.last = None


class LateSpeaker:
    """The speaker home talks to before the speech driver is loaded (it comes with the core, on the store lane).

    Until `attach`, it keeps only the last sentence, which is then said: the home greeting is heard a moment
    late rather than lost, and nothing older piles up.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._target: Speaker | None = None
        self._pending: tuple[str, str] | None = None

    def attach(self, target: Speaker) -> None:
        with self._lock:
            self._target = target
            pending, self._pending = self._pending, None
        if pending is not None:
            target.say(*pending)

    def _now(self) -> Speaker | None:
        with self._lock:
            return self._target

    def say(self, text: str, lang: str = "cmn") -> None:
        with self._lock:
            target = self._target
            if target is None:
                self._pending = (text, lang)
        if target is not None:
            target.say(text, lang)

    def interrupt(self) -> None:
        with self._lock:
            target = self._target
            self._pending = None
        if target is not None:
            target.interrupt()

    def replay(self) -> None:
        target = self._now()
        if target is not None:
            target.replay()

    def close(self) -> None:
        target = self._now()
        if target is not None:
            target.close()


def make_speaker(kind: str) -> Speaker:
    """`espeak` (the real driver, if this release has it) or `quiet`."""
    if kind == "espeak":
        try:
            module = importlib.import_module("drivers.speech")
            speaker: Speaker = module.EspeakSpeaker()
            return speaker
        except (ImportError, AttributeError, KioskError, OSError) as exc:
            logger.warning("no speech driver (%s): the kiosk runs without voice", type(exc).__name__)
    return QuietSpeaker()
