"""A QR scanner that returns programmed payloads for given frames, for the demo and UI tests."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable

from drivers.qr import DEFAULT_MAX_PAYLOAD_BYTES, frame_to_gray, payload_from_bytes
from kiosk.ports import Frame, QrPayload


def _key(pixels: bytes) -> bytes:
    return hashlib.sha256(pixels).digest()


class FakeQrScanner:
    """`show(frame, payload, …)` programs what a frame carries; `decode` returns it like `ZbarQrScanner`.

    The same rules apply as for the real scanner: a malformed frame raises MalformedFrame, a payload over
    `max_payload_bytes` raises QrPayloadTooLarge, and text is decoded by the same charset rules. Frames are
    recognised by their pixels, so the frames of a `FakeCamera` can be programmed ahead of time.
    """

    def __init__(self, *, max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES, decoder: str = "fake") -> None:
        self._max = max_payload_bytes
        self._decoder = decoder
        self._codes: dict[bytes, tuple[bytes, ...]] = {}
        self._lock = threading.Lock()
        self.decoded_frames = 0

    def show(self, frame_or_pixels: Frame | bytes, *payloads: bytes) -> None:
        """Program `payloads` (raw code bytes) for every frame with these pixels; none makes it blank."""
        pixels = frame_or_pixels.pixels if isinstance(frame_or_pixels, Frame) else frame_or_pixels
        with self._lock:
            self._codes[_key(pixels)] = tuple(payloads)

    def show_all(self, programme: Iterable[tuple[Frame | bytes, bytes]]) -> None:
        for frame, payload in programme:
            self.show(frame, payload)

    def decode(self, frame: Frame) -> list[QrPayload]:
        frame_to_gray(frame)  # the same validation as the real scanner
        with self._lock:
            self.decoded_frames += 1
            payloads = self._codes.get(_key(frame.pixels), ())
        return [payload_from_bytes(data, self._decoder, self._max) for data in dict.fromkeys(payloads)]
