"""A camera that plays a list of images or a video file at a set rate, for tests and the demo."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from drivers.camera import BgrImage, FrameSlot
from kiosk.ports import CameraInfo, DeviceUnavailable, Frame


def load_video(path: str | Path) -> list[BgrImage]:
    """Every frame of a video file, as BGR arrays (DeviceUnavailable if it cannot be read)."""
    capture = cv2.VideoCapture(str(path))
    frames: list[BgrImage] = []
    try:
        while True:
            ok, image = capture.read()
            if not ok or image is None:
                break
            frames.append(np.ascontiguousarray(image, dtype=np.uint8))
    finally:
        capture.release()
    if not frames:
        raise DeviceUnavailable("the video file has no readable frames")
    return frames


class FakeCamera:
    """Plays `frames` (BGR arrays, or a video file) at `fps` on its own thread, like `OpenCvCamera`.

    With `loop=False` the camera disconnects after the last frame, as a file-backed `OpenCvCamera` does
    when its file ends. `plugged=False`, `unplug()` and `replug()` let a test pull the cable.
    """

    def __init__(
        self,
        frames: Sequence[BgrImage] | str | Path,
        *,
        fps: float = 15.0,
        loop: bool = True,
        source: str = "fake",
        plugged: bool = True,
    ) -> None:
        images = load_video(frames) if isinstance(frames, (str, Path)) else list(frames)
        if not images:
            raise DeviceUnavailable("a fake camera needs at least one frame")
        for image in images:
            if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
                raise DeviceUnavailable("fake camera frames must be HxWx3 uint8 BGR arrays")
        self._images = images
        self._scene = images  # what the camera sees when nobody holds anything up
        # Held while the player picks and puts a frame, and while `play` switches pictures: a frame of the old
        # pictures never lands after the switch (a loaded machine made the tour read a code already taken away).
        self._switch = threading.Lock()
        self._period = 1.0 / fps
        self._loop = loop
        self._source = source
        self._slot = FrameSlot()
        self._stop = threading.Event()
        self._plugged = threading.Event()
        if plugged:
            self._plugged.set()
        self._playing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hw-camera-fake", daemon=True)
        self._thread.start()

    def latest_frame(self, timeout_s: float) -> Frame:
        return self._slot.take(timeout_s, self._playing.is_set)

    def info(self) -> CameraInfo:
        width, height = self._slot.size()
        return CameraInfo(self._source, self._playing.is_set(), width, height, self._slot.fps())

    def play(self, frames: Sequence[BgrImage]) -> None:
        """Show other pictures from the next frame on (someone holds a QR code up, then takes it away)."""
        images = list(frames)
        if not images or any(i.dtype != np.uint8 or i.ndim != 3 or i.shape[2] != 3 for i in images):
            raise DeviceUnavailable("fake camera frames must be one or more HxWx3 uint8 BGR arrays")
        self._switch_to(images)

    def _switch_to(self, images: list[BgrImage]) -> None:
        """From now on the camera sees `images`: the newest frame already shows them, as a real camera's would."""
        with self._switch:
            self._images = images
            if self._playing.is_set():
                self._slot.put(images[0])

    def show(self, image: BgrImage) -> None:
        """Hold one picture up to the camera (a QR code on paper) until `show_scene`."""
        self.play([image])

    def show_scene(self) -> None:
        """Take what was held up away: the camera sees its own scene again."""
        self._switch_to(self._scene)

    @property
    def showing_scene(self) -> bool:
        return self._images is self._scene

    def unplug(self) -> None:
        self._plugged.clear()

    def replug(self) -> None:
        self._plugged.set()

    def close(self) -> None:
        self._stop.set()
        self._plugged.set()  # wake the player if it waits for a replug
        self._slot.close()
        self._thread.join()

    def _run(self) -> None:
        index = 0
        while not self._stop.is_set():
            if not self._plugged.is_set():
                self._playing.clear()
                self._slot.gap()
                self._plugged.wait()
                continue
            with self._switch:
                if index >= len(self._images):
                    if not self._loop:
                        self._playing.clear()
                        return
                    index = 0
                self._playing.set()
                self._slot.put(self._images[index])
            index += 1
            self._stop.wait(self._period)
