"""Devices that open after the home screen is up: the face models (dlib, about a second) and the camera.

Each loads on its own thread once `start()` is called; a call that needs it before then waits on the worker
thread that made it (never on the GUI thread: a preview asking with a zero timeout just gets no frame yet).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from kiosk.errors import KioskError
from kiosk.ports import (
    Camera,
    CameraInfo,
    DeviceTimeout,
    DeviceUnavailable,
    FaceAnalyser,
    FaceCapture,
    FaceHint,
    FaceMatch,
    Frame,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Deferred(Generic[T]):
    """Something loaded once, in the background, that callers may wait for."""

    def __init__(self, load: Callable[[], T], name: str, wait_s: float) -> None:
        self._load = load
        self._name = name
        self._wait_s = wait_s
        self._ready = threading.Event()
        self._value: T | None = None
        self._error: KioskError | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"hw-{self._name}-load", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._load()
        except KioskError as exc:
            logger.error("%s could not be loaded: %s", self._name, type(exc).__name__)
            self._error = exc
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def get(self, wait_s: float | None = None) -> T:
        self.start()
        if not self._ready.wait(self._wait_s if wait_s is None else wait_s):
            raise DeviceTimeout(f"{self._name} is still loading")
        if self._value is None:
            raise DeviceUnavailable(f"{self._name} could not be loaded") from self._error
        return self._value

    def loaded(self) -> T | None:
        """The value if it is there already, without waiting or starting anything."""
        return self._value if self._ready.is_set() else None


class LazyFaceAnalyser(Deferred[FaceAnalyser]):
    """A FaceAnalyser whose real one loads in the background; its calls wait until it is there."""

    def __init__(self, load: Callable[[], FaceAnalyser], wait_s: float = 120.0) -> None:
        super().__init__(load, "face", wait_s)

    def capture(self, camera: Camera, timeout_s: float, on_hint: Callable[[FaceHint], None]) -> FaceCapture:
        return self.get().capture(camera, timeout_s, on_hint)

    def template_from_image(self, image: bytes) -> bytes:
        return self.get().template_from_image(image)

    def match(self, probe: bytes, reference: bytes) -> FaceMatch:
        return self.get().match(probe, reference)


class LazyCamera(Deferred[Camera]):
    """A Camera opened in the background. Until it is open, a frame request waits at most its own timeout."""

    def __init__(self, load: Callable[[], Camera], wait_s: float = 30.0) -> None:
        super().__init__(load, "camera", wait_s)

    def latest_frame(self, timeout_s: float) -> Frame:
        return self.get(timeout_s).latest_frame(timeout_s)

    def info(self) -> CameraInfo:
        camera = self.loaded()
        if camera is None:
            return CameraInfo("loading", False, 0, 0, 0.0)
        return camera.info()

    def close(self) -> None:
        camera = self.loaded()
        if camera is not None:
            camera.close()
