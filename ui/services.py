"""What the screens use, assembled once by the composition root: the core, the devices, the speaker, options.

Home paints before the core is open: the composition root opens the core and the card reader (`Opened`) on
the store lane and attaches them here; until then `ready` is false and the window holds a tapped tile
until they are there. The camera and the face analyser (dlib models, about a second) open in the background
after that (`ui/lazy.py`); a capture that starts before they are ready waits for them on the device lane.
This module is imported before the first frame, so the core's modules are imported only where they are used.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kiosk.errors import DeviceError, KioskError
from ui.viewmodels.status import KioskStatus, LockSource, read_kiosk_status

if TYPE_CHECKING:
    from kiosk.core import Core
    from kiosk.domain.idcard import IdCard
    from kiosk.flows.enrolment import EnrolmentFlow
    from kiosk.flows.signin import SignInFlow
    from kiosk.ports import CardReader
    from ui.lazy import LazyCamera, LazyFaceAnalyser

logger = logging.getLogger(__name__)


class Speaker(Protocol):
    """Speech: queued, interruptible (the shape of the `Speaker` port in kiosk/ports.py)."""

    def say(self, text: str, lang: str = "cmn") -> None: ...

    def interrupt(self) -> None: ...

    def replay(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class UiOptions:
    fullscreen: bool = True  # production: frameless full screen; dev: a window
    lang: str = "zh"
    shuffle_keypad: bool = False
    idle_s: float = 60.0
    countdown_s: float = 20.0
    dpi: float | None = None  # None: the screen's own physical DPI
    village: str | None = None  # identity.village_name, read before the core opens; None: from the core


class CardGate:
    """Shares one card reader between sessions that end while a read still waits.

    A flow waits up to 30 s for a card on the device lane; when the villager goes home first, that wait must
    not hold the lane nor swallow the next villager's card. Each session reads through its own `GatedReader`,
    which asks the reader in short slices and stops at the next slice once the session ended; a card that
    arrives in that last slice is kept for the next session.
    """

    def __init__(self, reader: CardReader, slice_s: float = 0.5) -> None:
        self.reader = reader
        self._slice_s = slice_s
        self._lock = threading.Lock()
        self._leftover: IdCard | DeviceError | None = None
        self._current: GatedReader | None = None

    def session(self) -> GatedReader:
        with self._lock:
            if self._current is not None:
                self._current.end()
            self._current = GatedReader(self)
            return self._current

    def end_current(self) -> None:
        """The session ended (home, idle, lock): its read stops waiting."""
        with self._lock:
            if self._current is not None:
                self._current.end()
                self._current = None

    def _keep_any(self, item: IdCard | DeviceError) -> None:
        with self._lock:
            self._leftover = item

    def _take_leftover(self) -> IdCard | DeviceError | None:
        with self._lock:
            card, self._leftover = self._leftover, None
            return card

    def keep(self, card: IdCard) -> None:
        """Hand a card already read to the next read of any session (home read it to choose the way in)."""
        with self._lock:
            self._leftover = card

    def read_slice(self, ended: threading.Event, timeout_s: float) -> IdCard:
        from kiosk.ports import DeviceTimeout  # read on the device lane, long after the first frame

        deadline = time.monotonic() + timeout_s
        while True:
            left_over = self._take_leftover()
            if isinstance(left_over, DeviceError):
                raise left_over
            if left_over is not None:
                return left_over
            left = deadline - time.monotonic()
            if ended.is_set() or left <= 0:
                raise DeviceTimeout("no card was placed in time")
            try:
                card = self.reader.read_card(min(self._slice_s, left))
            except DeviceTimeout:
                continue
            except DeviceError as exc:
                if ended.is_set():  # an unreadable card met a session that is gone: the next one says so
                    self._keep_any(exc)
                    raise DeviceTimeout("the session ended") from None
                raise
            if ended.is_set():
                self.keep(card)  # read for a session that is gone: it belongs to the next one
                raise DeviceTimeout("the session ended")
            return card

    def close(self) -> None:
        self.reader.close()


class GatedReader:
    """One session's view of the card reader (a `CardReader`); `end()` stops its wait within one slice."""

    def __init__(self, gate: CardGate) -> None:
        self._gate = gate
        self._ended = threading.Event()

    def read_card(self, timeout_s: float) -> IdCard:
        return self._gate.read_slice(self._ended, timeout_s)

    def end(self) -> None:
        self._ended.set()

    def close(self) -> None:
        self.end()


class NotReady(KioskError):
    """The core is still opening (the window waits for `Services.ready` before it uses any of it)."""


@dataclass(slots=True)
class Opened:
    """What opens after home is up: the core and the devices chosen from the typed settings."""

    core: Core
    cards: CardGate
    camera: LazyCamera
    face: LazyFaceAnalyser
    lock: LockSource

    def close(self) -> None:
        for close in (self.cards.close, self.camera.close):
            try:
                close()
            except KioskError as exc:
                logger.warning("closing a device failed: %s", type(exc).__name__)
        self.core.close()


@dataclass(slots=True)
class Services:
    speaker: Speaker
    options: UiOptions = field(default_factory=UiOptions)
    opened: Opened | None = None  # None until the composition root attaches what it opened

    @property
    def ready(self) -> bool:
        return self.opened is not None

    def attach(self, opened: Opened) -> None:
        if self.opened is not None:
            raise KioskError("the core is open already")
        self.opened = opened

    def _parts(self) -> Opened:
        if self.opened is None:
            raise NotReady("the core is still opening")
        return self.opened

    @property
    def core(self) -> Core:
        return self._parts().core

    @property
    def cards(self) -> CardGate:
        return self._parts().cards

    @property
    def camera(self) -> LazyCamera:
        return self._parts().camera

    @property
    def face(self) -> LazyFaceAnalyser:
        return self._parts().face

    @property
    def lock(self) -> LockSource:
        return self._parts().lock

    def enrolment_flow(self) -> EnrolmentFlow:
        from kiosk.flows.enrolment import EnrolmentDevices, EnrolmentFlow

        devices = EnrolmentDevices(self.cards.session(), self.camera, self.face)
        return EnrolmentFlow(self.core.registry, devices, self.core.time, self.core.settings.enrolment)

    def signin_flow(self) -> SignInFlow:
        from kiosk.flows.signin import SignInFlow

        core = self.core
        return SignInFlow(core.registry, core.keystore, self.cards.session(), core.time, core.settings.enrolment)

    def look_for_card(self, reader: GatedReader, wait_s: float) -> bool | None:
        """Home's watch: wait briefly for a card; None if none came, else whether its holder is enrolled here.

        The card is kept for the flow that starts next, which reads it at once instead of asking again.
        """
        from kiosk.ports import DeviceTimeout

        try:
            card = reader.read_card(wait_s)
        except DeviceTimeout:
            return None
        enrolled = self.core.registry.find(card.id_number) is not None
        self.cards.keep(card)
        return enrolled

    def status(self) -> KioskStatus:
        return read_kiosk_status(self.core.db, self.lock)

    def start_devices(self) -> None:
        """After home is interactive: open the camera, then load the face models, in the background."""
        self.camera.start()
        self.face.start()

    def close_devices(self) -> None:
        """Before the worker lanes stop: a worker waiting on a device wakes up."""
        closes = [self.speaker.close]
        if self.opened is not None:
            closes = [self.opened.cards.close, self.opened.camera.close, *closes]
        for close in closes:
            try:
                close()
            except KioskError as exc:
                logger.warning("closing a device failed: %s", type(exc).__name__)

    def close(self) -> None:
        """Devices, then the core. Call after the worker lanes have stopped (Background.close)."""
        self.close_devices()
        if self.opened is not None:
            self.opened.core.close()
