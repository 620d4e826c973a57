"""OpenCV camera driver: a device index, a video file or an RTSP URL, read on its own `hw-camera` thread."""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.ports import CameraInfo, DeviceTimeout, DeviceUnavailable, Frame

logger = logging.getLogger(__name__)

BgrImage = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Jittered exponential backoff between reopen attempts ("full jitter" halves the herd of retries)."""

    first_s: float = 0.25
    max_s: float = 8.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        ceiling = min(self.max_s, self.first_s * (2 ** min(attempt, 16)))
        return rng.uniform(ceiling / 2, ceiling)


def redact_source(source: str) -> str:
    """The source without user:password, so RTSP credentials never reach a log or `info()`."""
    parts = urlsplit(source)
    if not parts.scheme or "@" not in parts.netloc:
        return source
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


class FrameSlot:
    """The newest frame, shared between the capture thread and readers: one slot, never a queue.

    `take` hands a reader a frame newer than the last one it was given, so a slow reader skips frames
    instead of working through a backlog, and a stopped camera gives a timeout instead of an old picture.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._taken_seq = -1
        self._closed = False
        self._next_seq = 0
        self._intervals: list[float] = []
        self._last_ts: float | None = None

    def put(self, image: BgrImage) -> None:
        height, width = image.shape[:2]
        now = time.monotonic()
        with self._cond:
            frame = Frame(width, height, image.tobytes(), self._next_seq, int(now * 1000))
            self._next_seq += 1
            self._frame = frame
            if self._last_ts is not None:
                # A short window, so the fps shown to a technician follows what the camera does now.
                self._intervals = [*self._intervals[-29:], now - self._last_ts]
            self._last_ts = now
            self._cond.notify_all()

    def gap(self) -> None:
        """The source went away: the next interval is not a frame interval."""
        with self._cond:
            self._last_ts = None

    def take(self, timeout_s: float, connected: Callable[[], bool]) -> Frame:
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._cond:
            while True:
                if self._closed:
                    raise DeviceUnavailable("camera is closed")
                frame = self._frame
                if frame is not None and frame.seq > self._taken_seq:
                    self._taken_seq = frame.seq
                    return frame
                left = deadline - time.monotonic()
                if left <= 0:
                    if not connected():
                        raise DeviceUnavailable("camera is not connected")
                    raise DeviceTimeout(f"no new frame within {timeout_s:.2f} s")
                self._cond.wait(left)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def fps(self) -> float:
        with self._cond:
            intervals = list(self._intervals)
        total = sum(intervals)
        return len(intervals) / total if total > 0 else 0.0

    def size(self) -> tuple[int, int]:
        with self._cond:
            return (self._frame.width, self._frame.height) if self._frame else (0, 0)


class OpenCvCamera:
    """A camera read through `cv2.VideoCapture`, with latest-frame semantics and automatic reopening.

    `source` is a device index ("0"), a video file path or a stream URL (rtsp://…). A video file is paced
    at its own frame rate; when it ends, that counts as an unplug: the camera reports itself disconnected,
    waits out the backoff and reopens the file, so a file plays again from the start after a short gap.
    That is how the tests exercise the unplug path without hardware.
    """

    def __init__(self, source: str, *, backoff: Backoff | None = None, open_timeout_s: float = 5.0) -> None:
        self._source = source
        self._shown_source = redact_source(source)
        self._backoff = backoff or Backoff()
        self._open_timeout_ms = int(open_timeout_s * 1000)
        self._is_file = os.path.isfile(source)
        self._slot = FrameSlot()
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._rng = random.Random()  # noqa: S311 - jitter, not secrecy
        self._thread = threading.Thread(target=self._run, name="hw-camera", daemon=True)
        self._thread.start()

    def latest_frame(self, timeout_s: float) -> Frame:
        return self._slot.take(timeout_s, self._connected.is_set)

    def info(self) -> CameraInfo:
        width, height = self._slot.size()
        return CameraInfo(self._shown_source, self._connected.is_set(), width, height, self._slot.fps())

    def close(self) -> None:
        self._stop.set()
        self._slot.close()
        self._thread.join()

    # --- the hw-camera thread -------------------------------------------------------------------

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            capture = self._open()
            if capture is not None:
                logger.info("camera %s opened", self._shown_source)
                if self._pump(capture):
                    attempt = 0  # frames came: the next failure starts the backoff afresh
                capture.release()
                self._connected.clear()
                self._slot.gap()
                if self._stop.is_set():
                    break
                logger.warning("camera %s lost; reopening", self._shown_source)
            delay = self._backoff.delay(attempt, self._rng)
            attempt += 1
            self._stop.wait(delay)

    def _open(self) -> cv2.VideoCapture | None:
        target: int | str = int(self._source) if self._source.isdigit() else self._source
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, self._open_timeout_ms]
        params += [cv2.CAP_PROP_READ_TIMEOUT_MSEC, self._open_timeout_ms]
        try:
            capture = cv2.VideoCapture(target, cv2.CAP_ANY, params)
        except cv2.error:
            logger.warning("camera %s: OpenCV refused to open it", self._shown_source)
            return None
        if not capture.isOpened():
            capture.release()
            return None
        return capture

    def _pump(self, capture: cv2.VideoCapture) -> bool:
        """Read until the source fails or we are told to stop; True if any frame came."""
        period = self._file_period(capture)
        got_any = False
        next_due = time.monotonic()
        while not self._stop.is_set():
            try:
                ok, image = capture.read()
            except cv2.error:
                ok, image = False, None
            if not ok or image is None or image.ndim != 3:
                return got_any
            got_any = True
            self._connected.set()
            self._slot.put(np.ascontiguousarray(image, dtype=np.uint8))
            if period > 0:
                # A file would otherwise be read as fast as the disk allows; play it at its own rate.
                next_due = max(next_due + period, time.monotonic() - period)
                self._stop.wait(max(0.0, next_due - time.monotonic()))
        return got_any

    def _file_period(self, capture: cv2.VideoCapture) -> float:
        if not self._is_file:
            return 0.0
        fps = capture.get(cv2.CAP_PROP_FPS)
        return 1.0 / fps if 0 < fps < 1000 else 1.0 / 25
