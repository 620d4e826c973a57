"""The global error handler: anything unexpected is logged (type and traceback, no data) and the villager sees
the calm fault screen with the session wiped — never a Python traceback, never a crashed window."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

logger = logging.getLogger("ui.faults")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", text)


def install(show_fault: Callable[[], None], on_main: Callable[[Callable[[], None]], None]) -> Callable[[], None]:
    """Route uncaught exceptions (GUI and worker threads) and Qt's messages to the log and the fault screen.

    Returns a function that puts the previous hooks back (tests call it).
    """
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, exc, tb)
            return
        logger.error("unexpected %s", kind.__name__, exc_info=(kind, exc, tb))
        try:
            on_main(show_fault)
        except RuntimeError:  # the window is already gone while shutting down
            logger.warning("fault screen could not be shown")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        hook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
    previous_qt = qInstallMessageHandler(_qt_message)

    def uninstall() -> None:
        sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook
        qInstallMessageHandler(previous_qt)

    return uninstall
