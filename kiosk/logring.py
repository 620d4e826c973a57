"""The last WARNING and ERROR records of this process, kept in memory for the technician's screen and bundle.

Only what a technician needs is kept — when, how bad, which logger, the message cut short, the exception's
type — never the traceback's locals or arguments. Log messages hold no personal data (house rule); an
18-digit ID number that slips in anyway is masked here, as a second line of defence.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 200
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@dataclass(frozen=True, slots=True)
class LogLine:
    ts_ms: int
    level: str
    logger: str
    message: str
    error: str | None  # the exception's type name, if the record carried one


def scrub(text: str) -> str:
    """`text` cut to MAX_MESSAGE_CHARS, with anything shaped like an ID number masked."""
    return _ID_NUMBER.sub("[id-number]", text)[:MAX_MESSAGE_CHARS]


class RingHandler(logging.Handler):
    """A logging handler that keeps the newest `size` records at WARNING or above."""

    def __init__(self, size: int = 50, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self._lines: deque[LogLine] = deque(maxlen=size)
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string must not lose the record
            message = str(record.msg)
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        line = LogLine(int(record.created * 1000), record.levelname, record.name, scrub(message), error)
        with self._guard:
            self._lines.append(line)

    def lines(self) -> list[LogLine]:
        """Newest last."""
        with self._guard:
            return list(self._lines)

    def clear(self) -> None:
        with self._guard:
            self._lines.clear()


_installed: RingHandler | None = None
_install_lock = threading.Lock()


def install(size: int = 50) -> RingHandler:
    """The process's ring, on the root logger (installed once; later calls return the same one)."""
    global _installed
    with _install_lock:
        if _installed is None:
            _installed = RingHandler(size)
            logging.getLogger().addHandler(_installed)
        return _installed
