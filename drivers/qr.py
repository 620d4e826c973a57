"""QR decoding: zbar reading raw bytes, OpenCV as the second decoder, a bounded ladder of image repairs."""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from drivers.qr_charset import decode_text, undo_latin1_widening
from kiosk.errors import DeviceError
from kiosk.ports import DeviceUnavailable, Frame, QrPayload

logger = logging.getLogger(__name__)

GrayImage = npt.NDArray[np.uint8]

DEFAULT_MAX_PAYLOAD_BYTES = 4096

# zbar's symbology and config numbers (zbar.h). ZBAR_CFG_BINARY appeared in zbar 0.23 as value 4; pyzbar
# 0.1.9 predates it and calls 4 "CFG_NUM", so we name it here and refuse a zbar older than 0.23.
_ZBAR_NONE = 0
_ZBAR_QRCODE = 64
_ZBAR_CFG_ENABLE = 0
_ZBAR_CFG_BINARY = 4
_ZBAR_FOURCC_Y800 = 0x30303859  # 'Y800': 8-bit grey, one byte per pixel
_ZBAR_MIN_VERSION = (0, 23)


class QrPayloadTooLarge(DeviceError):
    """A QR code carried more bytes than the kiosk accepts (`max_payload_bytes`); it is refused unread."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"QR payload of {size} bytes refused: the limit is {limit} bytes")
        self.size = size
        self.limit = limit


class MalformedFrame(DeviceError):
    """A frame whose pixel buffer does not match its stated size (it must be width * height * 3 BGR bytes)."""


def _u8(image: object) -> GrayImage:
    return np.asarray(image, dtype=np.uint8)


def frame_to_gray(frame: Frame) -> GrayImage:
    """The frame as an 8-bit grey image; MalformedFrame if its buffer does not match its size."""
    if frame.width <= 0 or frame.height <= 0:
        raise MalformedFrame(f"frame size {frame.width}x{frame.height} is not positive")
    expected = frame.width * frame.height * 3
    if len(frame.pixels) != expected:
        raise MalformedFrame(f"frame {frame.width}x{frame.height} needs {expected} BGR bytes, got {len(frame.pixels)}")
    bgr = np.frombuffer(frame.pixels, dtype=np.uint8).reshape(frame.height, frame.width, 3)
    return _u8(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))


def payload_from_bytes(data: bytes, decoder: str, max_payload_bytes: int) -> QrPayload:
    """A payload from a decoder's raw bytes: the size limit first, then the charset rules of `qr_charset`."""
    if len(data) > max_payload_bytes:
        raise QrPayloadTooLarge(len(data), max_payload_bytes)
    decoded = decode_text(data)
    charset = None if decoded.charset is None else str(decoded.charset)
    return QrPayload(data=data, text=decoded.text, charset=charset, decoder=decoder)


# --- image repairs: each maps a grey image to another; tried in order until one decodes ---------------


def _identity(gray: GrayImage) -> GrayImage:
    return gray


def _clahe(gray: GrayImage) -> GrayImage:
    # Local contrast: lifts a faded print or a code half in the shadow of a glare spot.
    return _u8(cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray))


def _upscale(gray: GrayImage) -> GrayImage:
    # zbar's finder needs modules of ~3 px; doubling rescues small or distant codes.
    return _u8(cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))


def _sharpen(gray: GrayImage) -> GrayImage:
    # Unsharp mask against focus and motion blur.
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return _u8(cv2.addWeighted(gray, 1.8, soft, -0.8, 0))


def _adaptive_threshold(gray: GrayImage) -> GrayImage:
    # Binarise against the local mean: uneven light, glare and low contrast all become black and white.
    block = max(15, (min(gray.shape[:2]) // 16) | 1)
    return _u8(cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 5))


def _rotate45(gray: GrayImage) -> GrayImage:
    # zbar scans rows and columns; a code held near 45 degrees is easier turned back to upright.
    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), 45.0, 1.0)
    side = int((width + height) / 2**0.5) + 1
    matrix[0, 2] += side / 2 - width / 2
    matrix[1, 2] += side / 2 - height / 2
    return _u8(cv2.warpAffine(gray, matrix, (side, side), borderValue=255))


class Engine(StrEnum):
    ZBAR = "zbar"
    OPENCV = "opencv"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One rung of the ladder: a repair of the grey image and the decoder to run on it."""

    name: str
    repair: Callable[[GrayImage], GrayImage]
    engine: Engine


# The order: zbar on the frame as it is (enough for almost every frame with a code), then the rest by how
# many hard frames of the corpus each rung rescued per millisecond it costs (docs/qr.md has the figures).
DEFAULT_LADDER: tuple[Attempt, ...] = (
    Attempt("gray", _identity, Engine.ZBAR),
    Attempt("threshold", _adaptive_threshold, Engine.ZBAR),
    Attempt("gray", _identity, Engine.OPENCV),
    Attempt("clahe", _clahe, Engine.ZBAR),
    Attempt("rotate45", _rotate45, Engine.ZBAR),
    Attempt("sharpen", _sharpen, Engine.ZBAR),
    Attempt("upscale", _upscale, Engine.OPENCV),
    Attempt("upscale", _upscale, Engine.ZBAR),
)


@dataclass(frozen=True, slots=True)
class QrSettings:
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES
    # How many rungs of the ladder one frame may climb: bounds the time a frame without a code costs
    # (~125 ms for all 8 on this machine; 4 rungs cost ~35 ms and read 195 of the 197 hard frames all 8 read).
    max_attempts: int = len(DEFAULT_LADDER)
    ladder: Sequence[Attempt] = DEFAULT_LADDER


class _ZbarRaw:
    """A zbar image scanner set up once: QR only, ZBAR_CFG_BINARY on. Not thread-safe: the caller locks."""

    def __init__(self) -> None:
        try:
            from pyzbar import wrapper
        except (ImportError, OSError) as exc:  # pyzbar loads libzbar when imported
            raise DeviceUnavailable("zbar is not installed (apt install libzbar0)") from exc
        self._w: Any = wrapper
        self._check_version(wrapper.LIBZBAR)
        scanner = wrapper.zbar_image_scanner_create()
        if not scanner:
            raise DeviceUnavailable("zbar could not create an image scanner")
        self._scanner = scanner
        failed = (
            wrapper.zbar_image_scanner_set_config(scanner, _ZBAR_NONE, _ZBAR_CFG_ENABLE, 0)
            or wrapper.zbar_image_scanner_set_config(scanner, _ZBAR_QRCODE, _ZBAR_CFG_ENABLE, 1)
            or wrapper.zbar_image_scanner_set_config(scanner, _ZBAR_QRCODE, _ZBAR_CFG_BINARY, 1)
        )
        if failed:
            self.close()
            raise DeviceUnavailable("zbar refused its configuration (QR only, binary)")

    @staticmethod
    def _check_version(lib: Any) -> None:
        # pyzbar declares zbar_version with two arguments; zbar 0.23 takes three (major, minor, patch).
        version = lib.zbar_version
        version.argtypes = [ctypes.POINTER(ctypes.c_uint)] * 3
        version.restype = ctypes.c_int
        major, minor, patch = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
        found = (major.value, minor.value)
        if found < _ZBAR_MIN_VERSION:
            # Before 0.23 there is no binary mode and config 4 means something else: refuse, never guess.
            raise DeviceUnavailable(f"zbar {major.value}.{minor.value} is too old: binary mode needs 0.23 or newer")

    def scan(self, gray: GrayImage) -> list[bytes]:
        w = self._w
        pixels = np.ascontiguousarray(gray).tobytes()
        height, width = gray.shape[:2]
        image = w.zbar_image_create()
        if not image:
            raise DeviceUnavailable("zbar could not create an image")
        try:
            w.zbar_image_set_format(image, _ZBAR_FOURCC_Y800)
            w.zbar_image_set_size(image, width, height)
            # `pixels` stays referenced until the image is destroyed below, so zbar never reads freed memory.
            w.zbar_image_set_data(image, ctypes.cast(ctypes.c_char_p(pixels), ctypes.c_void_p), len(pixels), None)
            if w.zbar_scan_image(self._scanner, image) < 0:
                raise DeviceUnavailable("zbar could not scan the image")
            found = []
            symbol = w.zbar_image_first_symbol(image)
            while symbol:
                if symbol.contents.type == _ZBAR_QRCODE:  # skip partial structured-append pieces
                    length = w.zbar_symbol_get_data_length(symbol)
                    found.append(ctypes.string_at(w.zbar_symbol_get_data(symbol), length))
                symbol = w.zbar_symbol_next(symbol)
            return found
        finally:
            w.zbar_image_destroy(image)

    def close(self) -> None:
        if self._scanner:
            self._w.zbar_image_scanner_destroy(self._scanner)
            self._scanner = None


class _OpenCvRaw:
    """OpenCV's QR detector, asked for bytes; undoes its Latin-1 widening of non-UTF-8 payloads."""

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()

    def scan(self, gray: GrayImage) -> list[bytes]:
        try:
            data, _points, _straight = self._detector.detectAndDecodeBytes(gray)
        except cv2.error as exc:
            # A decoder that chokes on one image has found nothing in it; the next frame may do better.
            logger.debug("opencv QR decoder failed on a frame: %s", exc.msg)
            return []
        if not data:
            return []
        return [undo_latin1_widening(bytes(data))]


class ZbarQrScanner:
    """The kiosk's QR scanner: `decode(frame)` gives every payload found, in raw bytes and decoded text.

    Decoding climbs a bounded ladder (`QrSettings.ladder`): zbar, then OpenCV, then repaired images, and
    stops at the first rung that finds anything. Payloads over `max_payload_bytes` raise QrPayloadTooLarge;
    a frame whose buffer does not match its size raises MalformedFrame. Safe to call from several threads
    (they take turns: zbar's scanner holds per-scan state).
    """

    def __init__(self, settings: QrSettings | None = None) -> None:
        self._settings = settings or QrSettings()
        if self._settings.max_payload_bytes < 1 or self._settings.max_attempts < 1:
            raise ValueError("max_payload_bytes and max_attempts must be positive")
        self._zbar = _ZbarRaw()
        self._opencv = _OpenCvRaw()
        self._lock = threading.Lock()
        self.last_attempt: str | None = None  # which rung decoded the last frame, for diagnostics

    def decode(self, frame: Frame) -> list[QrPayload]:
        gray = frame_to_gray(frame)
        ladder = self._settings.ladder[: self._settings.max_attempts]
        with self._lock:
            self.last_attempt = None
            repaired: dict[str, GrayImage] = {}
            for attempt in ladder:
                image = repaired.get(attempt.name)
                if image is None:
                    image = repaired[attempt.name] = attempt.repair(gray)
                raw = self._scan(attempt.engine, image)
                if raw:
                    self.last_attempt = f"{attempt.engine}:{attempt.name}"
                    return self._payloads(raw, attempt.engine)
        return []

    def _scan(self, engine: Engine, image: GrayImage) -> list[bytes]:
        return self._zbar.scan(image) if engine is Engine.ZBAR else self._opencv.scan(image)

    def _payloads(self, raw: list[bytes], engine: Engine) -> list[QrPayload]:
        unique = list(dict.fromkeys(raw))  # two symbols with the same content are one payload
        limit = self._settings.max_payload_bytes
        return [payload_from_bytes(data, str(engine), limit) for data in unique]

    def close(self) -> None:
        with self._lock:
            self._zbar.close()
