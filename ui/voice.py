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
