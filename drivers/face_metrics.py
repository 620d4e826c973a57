"""Measurements on one face in one frame: size, centring, sharpness, exposure, pose, eye openness."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.ports import FaceHint

Grey = npt.NDArray[np.uint8]
Point = tuple[float, float]

# dlib's 5-point model: two corners of the eye on the image's right, two of the other eye, nose base.
RIGHT_EYE = (0, 1)
LEFT_EYE = (2, 3)
NOSE = 4

_EYE_PATCH = (32, 16)  # width, height the eye is resampled to, so openness does not depend on face size
_FACE_PATCH = 128


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def centre(self) -> Point:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def area(self) -> int:
        return self.w * self.h


@dataclass(frozen=True, slots=True)
class FaceGates:
    """What a face must show to be captured; the defaults suit a 640×480 kiosk camera at arm's length."""

    min_width: float = 0.20  # of the frame width: smaller is too far for a good template
    max_width: float = 0.65  # larger and the chin or forehead leaves the frame
    max_offset_x: float = 0.18  # of the frame width, from the centre
    max_offset_y: float = 0.22
    min_brightness: float = 60.0  # mean grey level of the face
    min_sharpness: float = 25.0  # Laplacian variance of the face resampled to 128×128
    max_yaw: float = 0.30  # nose offset from the eyes' midpoint, in inter-eye distances
    max_roll_deg: float = 20.0


@dataclass(frozen=True, slots=True)
class FaceMeasure:
    """One face in one frame, measured; no pixels, so it can be kept and logged safely."""

    box: Box
    width_ratio: float
    offset: Point
    brightness: float
    sharpness: float
    yaw: float
    roll_deg: float
    openness: float

    def hint(self, gates: FaceGates) -> FaceHint:
        """The first thing the villager should fix, or OK when nothing needs fixing."""
        if self.brightness < gates.min_brightness:
            return FaceHint.TOO_DARK
        if self.width_ratio < gates.min_width:
            return FaceHint.MOVE_CLOSER
        if self.width_ratio > gates.max_width:
            return FaceHint.MOVE_BACK
        off_centre = abs(self.offset[0]) > gates.max_offset_x or abs(self.offset[1]) > gates.max_offset_y
        turned = abs(self.yaw) > gates.max_yaw or abs(self.roll_deg) > gates.max_roll_deg
        if off_centre or turned:
            return FaceHint.CENTRE
        if self.sharpness < gates.min_sharpness:
            return FaceHint.HOLD_STILL
        return FaceHint.OK

    def quality(self, gates: FaceGates) -> int:
        """0..100: size, sharpness, exposure and frontality, each scored 0..1, equally weighted."""
        size = min(1.0, self.width_ratio / (gates.min_width * 1.5))
        sharp = min(1.0, self.sharpness / (gates.min_sharpness * 4))
        exposure = max(0.0, 1.0 - abs(self.brightness - 130.0) / 130.0)
        frontal = max(0.0, 1.0 - abs(self.yaw) / (gates.max_yaw * 2))
        return round(25 * (size + sharp + exposure + frontal))


def to_grey(bgr: npt.NDArray[np.uint8]) -> Grey:
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


def face_patch(grey: Grey, box: Box, size: int = _FACE_PATCH) -> Grey:
    """The face resampled to a fixed square, clipped to the frame."""
    height, width = grey.shape
    x0, y0 = max(0, box.x), max(0, box.y)
    x1, y1 = min(width, box.x + box.w), min(height, box.y + box.h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((size, size), dtype=np.uint8)
    crop = grey[y0:y1, x0:x1]
    return np.asarray(cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def sharpness(patch: Grey) -> float:
    """Variance of the Laplacian: low when the face is blurred by motion or focus."""
    return float(cv2.Laplacian(patch, cv2.CV_64F).var())


def eye_patch(grey: Grey, corner_a: Point, corner_b: Point) -> Grey:
    """The eye between two corners, rotated level and resampled to a fixed size."""
    (ax, ay), (bx, by) = corner_a, corner_b
    span = math.hypot(bx - ax, by - ay)
    if span < 2:
        return np.zeros((_EYE_PATCH[1], _EYE_PATCH[0]), dtype=np.uint8)
    cx, cy = (ax + bx) / 2, (ay + by) / 2
    cos, sin = (bx - ax) / span, (by - ay) / span
    out_w, out_h = _EYE_PATCH
    # The patch covers 1.4 eye widths across and 0.7 down: the lids and a little skin around them.
    scale = 1.4 * span / out_w
    # Map patch pixel (u, v) to the frame: centre + R(angle) · scale · (u - w/2, v - h/2).
    matrix = np.array(
        [
            [scale * cos, -scale * sin, cx - scale * (cos * out_w / 2 - sin * out_h / 2)],
            [scale * sin, scale * cos, cy - scale * (sin * out_w / 2 + cos * out_h / 2)],
        ],
        dtype=np.float64,
    )
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    patch = cv2.warpAffine(grey, matrix, (out_w, out_h), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(patch, dtype=np.uint8)


def eye_openness(grey: Grey, points: list[Point]) -> float:
    """How open the eyes look: the spread of grey levels across both eye regions, relative to their mean.

    An open eye shows a dark iris and pupil against the white of the eye; a closed lid is skin, almost
    uniform. The ratio is unchanged by overall exposure, so a blink shows as a dip against the same
    person's baseline a moment earlier (see `face_liveness`).
    """
    values: list[float] = []
    for a, b in (RIGHT_EYE, LEFT_EYE):
        patch = eye_patch(grey, points[a], points[b]).astype(np.float64)
        low, high = np.percentile(patch, [5, 95])
        values.append(float((high - low) / (patch.mean() + 1.0)))
    return sum(values) / len(values)


def pose(points: list[Point]) -> tuple[float, float]:
    """(yaw, roll in degrees) from the 5 points: the nose's sideways offset and the tilt of the eye line."""
    right = _mid(points[RIGHT_EYE[0]], points[RIGHT_EYE[1]])
    left = _mid(points[LEFT_EYE[0]], points[LEFT_EYE[1]])
    span = math.hypot(right[0] - left[0], right[1] - left[1])
    if span < 1:
        return (1.0, 90.0)
    mid = _mid(right, left)
    nose = points[NOSE]
    # Project the nose offset onto the eye line: a frontal face has its nose on the perpendicular bisector.
    along = ((nose[0] - mid[0]) * (right[0] - left[0]) + (nose[1] - mid[1]) * (right[1] - left[1])) / span
    roll = math.degrees(math.atan2(right[1] - left[1], right[0] - left[0]))
    return (along / span, roll)


def measure(grey: Grey, box: Box, points: list[Point]) -> FaceMeasure:
    height, width = grey.shape
    patch = face_patch(grey, box)
    cx, cy = box.centre
    yaw, roll = pose(points)
    return FaceMeasure(
        box=box,
        width_ratio=box.w / width,
        offset=(cx / width - 0.5, cy / height - 0.5),
        brightness=float(patch.mean()),
        sharpness=sharpness(patch),
        yaw=yaw,
        roll_deg=roll,
        openness=eye_openness(grey, points),
    )


def _mid(a: Point, b: Point) -> Point:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
