"""A face analyser with scripted outcomes, for flow tests and the demo: no models, no pixels judged."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from drivers.face import score_from_distance, template_distance
from kiosk.errors import DeviceError
from kiosk.ports import (
    Camera,
    DeviceTimeout,
    FaceCapture,
    FaceHint,
    FaceMatch,
    FaceNotFound,
    LivenessFailed,
)

METHOD = "fake"


def _grey_jpeg() -> bytes:
    """A real little JPEG (grey 8×8), so consumers that store or show the capture get an image."""
    ok, data = cv2.imencode(".jpg", np.full((8, 8, 3), 128, dtype=np.uint8))
    if not ok:
        raise DeviceError("OpenCV could not encode a JPEG")
    return data.tobytes()


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM")


class FakeOutcome(StrEnum):
    LIVE = "live"
    NO_FACE = "no_face"
    NOT_LIVE = "not_live"
    NOT_TURNED = "not_turned"  # blinked, but never turned the head


@dataclass(frozen=True, slots=True)
class FakeCaptureScript:
    """What one `capture` call does: the hints it gives (one camera frame each), then its outcome."""

    outcome: FakeOutcome = FakeOutcome.LIVE
    hints: tuple[FaceHint, ...] = (FaceHint.CENTRE, FaceHint.HOLD_STILL, FaceHint.BLINK, FaceHint.TURN_HEAD)
    person: str = "villager"  # whose template a live capture carries
    quality: int = 90


def fake_template(person: str) -> bytes:
    """A unit-length 128-d template per person name: the same name always gives the same template."""
    seed = int.from_bytes(hashlib.sha256(person.encode()).digest()[:8], "big")
    vector = np.random.default_rng(seed).normal(size=128)
    return np.asarray(vector / np.linalg.norm(vector), dtype="<f4").tobytes()


class FakeFaceAnalyser:
    """Plays `scripts` in turn, one per `capture` (the last one repeats).

    `people` maps encoded images to a person's name for `template_from_image`; an image it does not know
    has no face (FaceNotFound), bytes that are not an image are a DeviceError. `match` compares fake
    templates (same person 1000, others 0) unless `match_score` fixes the answer.
    """

    def __init__(
        self,
        scripts: Sequence[FakeCaptureScript] = (FakeCaptureScript(),),
        *,
        people: Mapping[bytes, str] | None = None,
        match_score: int | None = None,
    ) -> None:
        if not scripts:
            raise DeviceError("a fake face analyser needs at least one script")
        self._scripts = list(scripts)
        self._people = dict(people or {})
        self._match_score = match_score
        self._lock = threading.Lock()
        self.captures = 0

    def capture(self, camera: Camera, timeout_s: float, on_hint: Callable[[FaceHint], None]) -> FaceCapture:
        with self._lock:
            script = self._scripts[min(self.captures, len(self._scripts) - 1)]
            self.captures += 1
        deadline = time.monotonic() + timeout_s
        for hint in script.hints:
            # One frame per hint, so a preview moves and a camera that is gone shows up here as it would.
            with contextlib.suppress(DeviceTimeout):
                camera.latest_frame(max(0.0, min(1.0, deadline - time.monotonic())))
            on_hint(hint)
        if script.outcome is FakeOutcome.NO_FACE:
            raise FaceNotFound("scripted: no face")
        if script.outcome is FakeOutcome.NOT_LIVE:
            raise LivenessFailed("scripted: not live (blinked=False, replayed=True, turned=False)")
        if script.outcome is FakeOutcome.NOT_TURNED:
            raise LivenessFailed("scripted: not live (blinked=True, replayed=False, turned=False)")
        on_hint(FaceHint.OK)
        return FaceCapture(_grey_jpeg(), fake_template(script.person), script.quality, True, METHOD)

    def template_from_image(self, image: bytes) -> bytes:
        if not image.startswith(_IMAGE_MAGIC):
            raise DeviceError("the image could not be decoded")
        person = self._people.get(image)
        if person is None:
            raise FaceNotFound("no face in the image")
        return fake_template(person)

    def match(self, probe: bytes, reference: bytes) -> FaceMatch:
        distance = template_distance(probe, reference)  # also refuses malformed templates
        if self._match_score is not None:
            return FaceMatch(self._match_score, METHOD)
        return FaceMatch(score_from_distance(distance), METHOD)
