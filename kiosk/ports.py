"""The device ports: what the core needs from hardware, as Protocols.

Each port has a real driver in `drivers/` and a fake in `drivers/fake/`, and both pass the same contract
tests. Drivers translate their libraries' exceptions into the `DeviceError` family below, so the core and
the UI never see a pyscard, serial or OpenCV exception. Calls here block: callers run them off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from kiosk.domain.idcard import IdCard
from kiosk.errors import DeviceError

# --- errors every driver speaks ---------------------------------------------------------------


class DeviceTimeout(DeviceError):
    """Nothing happened before the deadline (no card placed, no face seen)."""


class DeviceUnavailable(DeviceError):
    """The device is missing, unplugged or its service is down."""


class CardRemoved(DeviceError):
    """The card left the reader before the read finished: ask to re-place it."""


class CardReadError(DeviceError):
    """The card answered, but the read failed (bad checksum, authentication, SAM refused)."""


class UnsupportedCard(DeviceError):
    """A card was read that is not one the kiosk understands."""


class CorruptCardRecord(DeviceError):
    """The card's record is malformed (wrong length, bad code, bad check digit, impossible date)."""


class FaceNotFound(DeviceError):
    """No usable face was seen before the deadline."""


class LivenessFailed(DeviceError):
    """A face was seen but did not pass the liveness check (photo, screen, mask)."""


# --- ID card ------------------------------------------------------------------------------------


class CardReader(Protocol):
    def read_card(self, timeout_s: float) -> IdCard:
        """Wait up to `timeout_s` for a card and read it (DeviceTimeout if none was placed)."""
        ...

    def close(self) -> None: ...


class CardPhotoDecoder(Protocol):
    """A licensed decoder of the card's WLT photo; most kiosks have none."""

    def decode(self, wlt: bytes) -> bytes:
        """Return the photo as an encoded image (JPEG or PNG)."""
        ...


# --- camera and face ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class Frame:
    """One camera frame: 8-bit BGR pixels, row-major, `width * height * 3` bytes."""

    width: int
    height: int
    pixels: bytes
    seq: int
    ts_ms: int

    def __repr__(self) -> str:
        return f"Frame({self.width}x{self.height}, seq={self.seq})"


@dataclass(frozen=True, slots=True)
class CameraInfo:
    source: str
    connected: bool
    width: int
    height: int
    fps: float


class Camera(Protocol):
    def latest_frame(self, timeout_s: float) -> Frame:
        """The newest frame (never a stale queue); DeviceTimeout if none came in time."""
        ...

    def info(self) -> CameraInfo: ...

    def close(self) -> None: ...


class FaceHint(StrEnum):
    """Guidance shown and spoken while a face is captured."""

    NO_FACE = "no_face"
    MOVE_CLOSER = "move_closer"
    MOVE_BACK = "move_back"
    CENTRE = "centre"
    HOLD_STILL = "hold_still"
    BLINK = "blink"
    TURN_HEAD = "turn_head"  # turn the head to the left and back
    TOO_DARK = "too_dark"
    OK = "ok"


@dataclass(frozen=True, slots=True, repr=False)
class FaceCapture:
    """A live face: the image (JPEG), its template (embedding bytes), and how it was judged."""

    image_jpeg: bytes
    template: bytes
    quality: int  # 0..100
    liveness_passed: bool
    method: str  # which detector/embedding produced the template, e.g. "dlib-resnet-128"

    def __repr__(self) -> str:
        return f"FaceCapture(quality={self.quality}, live={self.liveness_passed}, method={self.method})"


@dataclass(frozen=True, slots=True)
class FaceMatch:
    score: int  # 0..1000, higher is more alike
    method: str


class FaceAnalyser(Protocol):
    def capture(self, camera: Camera, timeout_s: float, on_hint: Callable[[FaceHint], None]) -> FaceCapture:
        """Watch the camera until one live face of good quality is captured.

        Raises FaceNotFound or LivenessFailed when the time runs out.
        """
        ...

    def template_from_image(self, image: bytes) -> bytes:
        """The template of the single face in an encoded image (e.g. a decoded card photo)."""
        ...

    def match(self, probe: bytes, reference: bytes) -> FaceMatch: ...


# --- QR -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QrPayload:
    data: bytes
    text: str | None  # decoded text, or None for binary payloads
    charset: str | None  # how the text was decoded: "utf-8", "gb18030", "shift_jis", …
    decoder: str  # "zbar" or "opencv"


class QrScanner(Protocol):
    def decode(self, frame: Frame) -> list[QrPayload]: ...


# --- paper documents ----------------------------------------------------------------------------


class DocumentHint(StrEnum):
    """What to tell the villager about a photographed page."""

    OK = "ok"
    BLURRED = "blurred"  # hold the paper still, closer to the light
    NOT_WHOLE = "not_whole"  # the whole page must be inside the picture
    UNREADABLE = "unreadable"  # too dark, too bright or glare on the page


@dataclass(frozen=True, slots=True, repr=False)
class DocumentCheck:
    """The quality verdict on one frame of a paper document, and the page as JPEG when it passed."""

    sharp: bool
    whole_page: bool
    readable: bool
    sharpness: int  # variance of the Laplacian, rounded: the higher the sharper
    jpeg: bytes  # the page (empty unless every check passed)

    @property
    def ok(self) -> bool:
        return self.sharp and self.whole_page and self.readable

    @property
    def hint(self) -> DocumentHint:
        if not self.whole_page:
            return DocumentHint.NOT_WHOLE
        if not self.sharp:
            return DocumentHint.BLURRED
        return DocumentHint.OK if self.readable else DocumentHint.UNREADABLE

    def __repr__(self) -> str:
        return f"DocumentCheck({self.hint.value}, sharpness={self.sharpness}, {len(self.jpeg)} bytes)"


class DocumentChecker(Protocol):
    def check(self, frame: Frame) -> DocumentCheck:
        """Is this frame a sharp, whole, readable page? Never blocks on the camera."""
        ...


# --- time ---------------------------------------------------------------------------------------


class ClockSource(StrEnum):
    NTP = "ntp"  # the system clock is synchronised
    RTC = "rtc"  # the system clock runs free (battery clock)
    FLOOR = "floor"  # the clock was behind the newest time ever seen; that was used instead


@dataclass(frozen=True, slots=True)
class ClockReading:
    at: datetime  # aware, UTC
    source: ClockSource


class Clock(Protocol):
    def now(self) -> ClockReading:
        """The system time and whether it is synchronised (never FLOOR: the core applies the floor)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps, for timeouts."""
        ...


# --- speech ------------------------------------------------------------------------------------------


class Speaker(Protocol):
    """Spoken prompts: queued in order, interruptible, the last one repeatable. A help, never a gate."""

    def say(self, text: str, lang: str = "cmn") -> None:
        """Queue `text` (Mandarin by default); DeviceUnavailable once closed."""
        ...

    def interrupt(self) -> None:
        """Stop the current utterance and drop the queued ones."""
        ...

    def replay(self) -> None:
        """Say the last prompt again (the 再听一遍 button)."""
        ...

    def close(self) -> None: ...
