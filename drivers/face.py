"""Face capture with guidance and liveness, and 1:1 matching, on dlib's HOG detector, 5-point landmarks and ResNet."""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import dlib  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from drivers.camera import BgrImage
from drivers.face_liveness import LivenessJudge, LivenessRules
from drivers.face_metrics import Box, FaceGates, FaceMeasure, Point, face_patch, measure, to_grey
from kiosk.errors import DeviceError
from kiosk.ports import (
    Camera,
    DeviceTimeout,
    DeviceUnavailable,
    FaceCapture,
    FaceHint,
    FaceMatch,
    FaceNotFound,
    Frame,
    LivenessFailed,
)

logger = logging.getLogger(__name__)

# dlib ships no type information: its rectangles and landmark sets are opaque values passed back to it.
DlibRect = Any
DlibShape = Any

METHOD = "dlib-hog+resnet128"
TEMPLATE_BYTES = 128 * 4
# dlib's ResNet puts the same person under 0.6 (its authors' threshold, 99.38 % on LFW). The score maps the
# distance linearly so that 0.6 is exactly 500: score = 1000 · max(0, 1 − d / 1.2).
DISTANCE_SCALE = 1.2
MATCH_THRESHOLD_DISTANCE = 0.6
MATCH_THRESHOLD_SCORE = 500
_MODEL_FILES = ("shape_predictor_5_face_landmarks.dat", "dlib_face_recognition_resnet_model_v1.dat")


def score_from_distance(distance: float) -> int:
    return round(1000 * max(0.0, 1.0 - distance / DISTANCE_SCALE))


def distance_from_score(score: int) -> float:
    return DISTANCE_SCALE * (1.0 - score / 1000)


def models_dir() -> Path:
    """The folder of `face_recognition_models`, found without importing it (its import needs pkg_resources)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise DeviceUnavailable("the face_recognition_models package is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    missing = [name for name in _MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise DeviceUnavailable(f"face model files missing: {', '.join(missing)}")
    return folder


@dataclass(slots=True)
class _Seen:
    """The face found in one frame: where, its landmarks, how it measured."""

    rect: DlibRect
    shape: DlibShape
    points: list[Point]
    measure: FaceMeasure


@dataclass(slots=True)
class _Attempt:
    """What one capture has seen so far."""

    judge: LivenessJudge
    saw_face: bool = False
    best_quality: int = -1
    best: tuple[npt.NDArray[np.uint8], _Seen] | None = None
    last_centre: Point | None = None
    last_hint: FaceHint | None = None
    last_seq: int = -1
    hints: list[FaceHint] = field(default_factory=list)


class DlibFaceAnalyser:
    """The real `FaceAnalyser`: detection, guidance, blink + head turn + replay liveness, 128-d templates.

    dlib objects are not documented as thread-safe, so every call into them holds one lock; `capture`
    runs on the caller's thread (never the GUI thread) and reads frames from the camera's own thread.
    `upsample` 0 finds faces from about 80 px in a live frame (≈ 23 ms per 640×480 frame here); 1 finds
    them from about 40 px at four times the cost. Still images are upsampled as needed (see
    `template_from_image`).
    """

    def __init__(
        self,
        *,
        gates: FaceGates | None = None,
        rules: LivenessRules | None = None,
        upsample: int = 0,
        models: Path | None = None,
    ) -> None:
        folder = models or models_dir()
        self._gates = gates or FaceGates()
        self._turn_gates = dataclasses.replace(self._gates, max_yaw=10.0)
        self._rules = rules or LivenessRules()
        self._upsample = upsample
        self._lock = threading.Lock()
        try:
            self._detector = dlib.get_frontal_face_detector()
            self._landmarks = dlib.shape_predictor(str(folder / _MODEL_FILES[0]))
            self._embedder = dlib.face_recognition_model_v1(str(folder / _MODEL_FILES[1]))
        except RuntimeError as exc:
            raise DeviceUnavailable("the face models could not be loaded") from exc

    # --- FaceAnalyser ---------------------------------------------------------------------------

    def capture(self, camera: Camera, timeout_s: float, on_hint: Callable[[FaceHint], None]) -> FaceCapture:
        deadline = time.monotonic() + timeout_s
        attempt = _Attempt(judge=LivenessJudge(self._rules))
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = camera.latest_frame(min(left, 1.0))
            except DeviceTimeout:
                continue
            if frame.seq <= attempt.last_seq:
                continue
            attempt.last_seq = frame.seq
            hint = self._step(attempt, frame)
            self._say(attempt, hint, on_hint)
            if attempt.judge.verdict().live and attempt.best is not None:
                result = self._finish(attempt.best, attempt.best_quality)
                self._say(attempt, FaceHint.OK, on_hint)
                return result
        if not attempt.saw_face:
            raise FaceNotFound(f"no usable face within {timeout_s:.1f} s")
        verdict = attempt.judge.verdict()
        raise LivenessFailed(
            f"not live (blinked={verdict.blinked}, replayed={verdict.replayed}, turned={verdict.turned})"
        )

    def template_from_image(self, image: bytes) -> bytes:
        bgr = decode_image(image)
        rgb = to_rgb(bgr)
        # Card photos are about 100×126 px: upsample small stills until HOG's 80 px window fits a face.
        longest = max(bgr.shape[:2])
        for upsample in range(3):
            if upsample and longest * 2 ** (upsample - 1) > 2000:
                break
            rect = self._most_certain(rgb, upsample)
            if rect is not None:
                return self._embed(rgb, rect)
        raise FaceNotFound("no face in the image")

    def match(self, probe: bytes, reference: bytes) -> FaceMatch:
        return FaceMatch(score_from_distance(template_distance(probe, reference)), METHOD)

    # --- beyond the port: used by diagnostics and the benchmark -------------------------------------

    def template_from_frame(self, frame: Frame) -> bytes:
        """The template of the largest face in a live frame, without upsampling (FaceNotFound if none)."""
        rgb = to_rgb(frame_to_bgr(frame))
        rects = self._detect(rgb, self._upsample)
        if not rects:
            raise FaceNotFound("no face in the frame")
        return self._embed(rgb, self._largest(rects))

    def measure_frame(self, frame: Frame) -> FaceMeasure | None:
        """Detection, landmarks and the quality measures of the largest face: one step of `capture`."""
        bgr = frame_to_bgr(frame)
        seen = self._look(bgr, to_grey(bgr))
        return None if seen is None else seen.measure

    def survey(self, frame: Frame, upsample: int = 1) -> list[tuple[Box, FaceHint]]:
        """Every face in a frame with what stops it from being enrolled (OK if nothing): for diagnostics.

        Upsampled once by default, so faces from about 40 px are found, as a technician checking a camera
        placement wants to know about the small ones too.
        """
        bgr = frame_to_bgr(frame)
        grey, rgb = to_grey(bgr), to_rgb(bgr)
        out = []
        for rect in self._detect(rgb, upsample):
            with self._lock:
                shape = self._landmarks(rgb, rect)
            points = [(float(shape.part(i).x), float(shape.part(i).y)) for i in range(5)]
            box = Box(rect.left(), rect.top(), rect.width(), rect.height())
            out.append((box, measure(grey, box, points).hint(self._gates)))
        return out

    # --- one frame of a capture ------------------------------------------------------------------

    def _step(self, attempt: _Attempt, frame: Frame) -> FaceHint:
        bgr = frame_to_bgr(frame)
        grey = to_grey(bgr)
        seen = self._look(bgr, grey)
        if seen is None:
            attempt.judge.restart()
            attempt.last_centre = None
            return FaceHint.NO_FACE
        turning = attempt.judge.turning
        # While the head turn is asked for, a turned face is what we want: the pose gate waits.
        hint = seen.measure.hint(self._turn_gates if turning else self._gates)
        if hint is not FaceHint.OK:
            return hint
        attempt.saw_face = True
        if self._jumped(attempt, seen.measure.box):
            # A different face, or the same one swapped in: earlier frames say nothing about this one.
            attempt.judge.restart()
            attempt.best, attempt.best_quality = None, -1
        openness = seen.measure.openness
        attempt.judge.feed(openness, face_patch(grey, seen.measure.box), seen.measure.yaw)
        quality = seen.measure.quality(self._gates)
        if not turning and attempt.judge.blink.eyes_open(openness) and quality > attempt.best_quality:
            attempt.best, attempt.best_quality = (bgr, seen), quality
        blinked = attempt.judge.verdict().blinked
        return FaceHint.TURN_HEAD if blinked and self._rules.turn else FaceHint.BLINK

    def _look(self, bgr: BgrImage, grey: npt.NDArray[np.uint8]) -> _Seen | None:
        rgb = to_rgb(bgr)
        rects = self._detect(rgb, self._upsample)
        if not rects:
            return None
        rect = self._largest(rects)
        with self._lock:
            shape = self._landmarks(rgb, rect)
        points = [(float(shape.part(i).x), float(shape.part(i).y)) for i in range(5)]
        box = Box(rect.left(), rect.top(), rect.width(), rect.height())
        return _Seen(rect, shape, points, measure(grey, box, points))

    def _jumped(self, attempt: _Attempt, box: Box) -> bool:
        previous, attempt.last_centre = attempt.last_centre, box.centre
        if previous is None:
            return False
        moved = math.hypot(box.centre[0] - previous[0], box.centre[1] - previous[1])
        return moved > 0.5 * box.w

    def _finish(self, best: tuple[npt.NDArray[np.uint8], _Seen], quality: int) -> FaceCapture:
        bgr, seen = best
        rgb = to_rgb(bgr)
        with self._lock:
            descriptor = self._embedder.compute_face_descriptor(rgb, seen.shape)
        template = np.asarray(descriptor, dtype="<f4").tobytes()
        return FaceCapture(
            image_jpeg=encode_face_jpeg(bgr, seen.measure.box),
            template=template,
            quality=quality,
            liveness_passed=True,
            method=f"{METHOD};liveness=blink+{'turn+' if self._rules.turn else ''}replay",
        )

    @staticmethod
    def _say(attempt: _Attempt, hint: FaceHint, on_hint: Callable[[FaceHint], None]) -> None:
        # Repeating the same words every frame would drown the speaker; say each change once.
        if hint is not attempt.last_hint:
            attempt.last_hint = hint
            attempt.hints.append(hint)
            on_hint(hint)

    # --- dlib -----------------------------------------------------------------------------------

    def _detect(self, rgb: npt.NDArray[np.uint8], upsample: int) -> list[DlibRect]:
        with self._lock:
            return list(self._detector(rgb, upsample))

    def _most_certain(self, rgb: npt.NDArray[np.uint8], upsample: int) -> DlibRect | None:
        # In a still (a card photo, a scan) the face is the detection HOG is surest of: upsampling also
        # finds face-like patches in clothes and backgrounds, sometimes as large as the face.
        with self._lock:
            rects, scores, _kinds = self._detector.run(rgb, upsample, 0.0)
        if not rects:
            return None
        return rects[int(np.argmax(scores))]

    @staticmethod
    def _largest(rects: list[DlibRect]) -> DlibRect:
        # Several faces: the kiosk serves the person closest to the screen, the largest face.
        return max(rects, key=lambda rect: rect.area())

    def _embed(self, rgb: npt.NDArray[np.uint8], rect: DlibRect) -> bytes:
        with self._lock:
            shape = self._landmarks(rgb, rect)
            descriptor = self._embedder.compute_face_descriptor(rgb, shape)
        return np.asarray(descriptor, dtype="<f4").tobytes()


# --- helpers shared with the fake and the tests ----------------------------------------------------


def to_rgb(bgr: BgrImage) -> npt.NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def frame_to_bgr(frame: Frame) -> BgrImage:
    if len(frame.pixels) != frame.width * frame.height * 3:
        raise DeviceError("frame size does not match its pixels")
    flat = np.frombuffer(frame.pixels, dtype=np.uint8)
    return flat.reshape(frame.height, frame.width, 3)


def decode_image(image: bytes) -> BgrImage:
    """An encoded image (JPEG, PNG, BMP) as BGR; DeviceError if it is not one."""
    buffer = np.frombuffer(image, dtype=np.uint8)
    decoded = cv2.imdecode(buffer, cv2.IMREAD_COLOR) if buffer.size else None
    if decoded is None:
        raise DeviceError("the image could not be decoded")
    return np.asarray(decoded, dtype=np.uint8)


def encode_face_jpeg(bgr: BgrImage, box: Box) -> bytes:
    """The face with a margin of half its size on each side, as JPEG: the whole frame is not needed."""
    height, width = bgr.shape[:2]
    x0, y0 = max(0, box.x - box.w // 2), max(0, box.y - box.h // 2)
    x1, y1 = min(width, box.x + box.w * 3 // 2), min(height, box.y + box.h * 3 // 2)
    ok, data = cv2.imencode(".jpg", bgr[y0:y1, x0:x1], [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise DeviceError("the face image could not be encoded")
    return data.tobytes()


def template_vector(template: bytes) -> npt.NDArray[np.float32]:
    if len(template) != TEMPLATE_BYTES:
        raise DeviceError(f"a {METHOD} template is {TEMPLATE_BYTES} bytes, not {len(template)}")
    vector = np.frombuffer(template, dtype="<f4").astype(np.float32)
    if not np.isfinite(vector).all():
        raise DeviceError("the template holds values that are not numbers")
    return vector


def template_distance(probe: bytes, reference: bytes) -> float:
    return float(np.linalg.norm(template_vector(probe) - template_vector(reference)))
