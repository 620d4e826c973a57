"""Camera scenes made from a face photo: a villager stepping up, centring, blinking, or a held-up photo.

We have no recordings of real people, so the tests and the demo build frames from photos that ship inside
PyPI packages (scikit-image's astronaut, matplotlib's Grace Hopper), placed in a 640×480 frame, with
sensor noise, and with the eyelids painted shut over a few frames for a blink.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import cv2
import dlib  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from drivers.camera import BgrImage
from drivers.face import models_dir, to_rgb
from drivers.face_metrics import LEFT_EYE, RIGHT_EYE, Point
from kiosk.ports import DeviceUnavailable

FRAME_SIZE = (640, 480)


class PackagedPhoto(StrEnum):
    ASTRONAUT = "astronaut"  # Eileen Collins, NASA portrait, in scikit-image (public domain)
    HOPPER = "hopper"  # Grace Hopper, US Navy portrait, in matplotlib's sample data (public domain)


_PHOTO_FILES = {
    PackagedPhoto.ASTRONAUT: ("skimage", "data/astronaut.png"),
    PackagedPhoto.HOPPER: ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg"),
}


def packaged_photo(photo: PackagedPhoto) -> BgrImage:
    """The photo from its package's folder, found without importing the package."""
    package, relative = _PHOTO_FILES[photo]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DeviceUnavailable(f"{package} is not installed, so the {photo} photo is not available")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise DeviceUnavailable(f"the {photo} photo could not be read")
    return np.asarray(image, dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class Portrait:
    """A photo and where its face is: the box and dlib's 5 landmarks, found once."""

    image: BgrImage
    box: tuple[float, float, float, float]  # x, y, w, h
    points: tuple[Point, ...]

    @classmethod
    def of(cls, image: BgrImage) -> Portrait:
        rgb = to_rgb(image)
        rects = dlib.get_frontal_face_detector()(rgb, 1)
        if not rects:
            raise DeviceUnavailable("no face in the portrait")
        rect = max(rects, key=lambda r: r.area())
        predictor = dlib.shape_predictor(str(models_dir() / "shape_predictor_5_face_landmarks.dat"))
        shape = predictor(rgb, rect)
        points = tuple((float(shape.part(i).x), float(shape.part(i).y)) for i in range(5))
        return cls(image, (rect.left(), rect.top(), rect.width(), rect.height()), points)


@dataclass(frozen=True, slots=True)
class Pose:
    """Where the face goes in the frame: its width in pixels and its centre (fractions of the frame)."""

    face_width: float = 200.0
    centre: tuple[float, float] = (0.5, 0.45)
    brightness: float = 1.0
    eyes_closed: float = 0.0  # 0 open … 1 shut
    yaw_deg: float = 0.0  # head turned to the villager's left (positive) or right, about the vertical axis


class SceneMaker:
    """Renders a portrait into camera frames, with fresh sensor noise in every frame (seeded)."""

    def __init__(self, portrait: Portrait, seed: int = 7, noise: float = 2.5) -> None:
        self._portrait = portrait
        self._rng = np.random.default_rng(seed)
        self._noise = noise

    def frame(self, pose: Pose, *, noisy: bool = True) -> BgrImage:
        x, y, w, h = self._portrait.box
        scale = pose.face_width / w
        target_x, target_y = pose.centre[0] * FRAME_SIZE[0], pose.centre[1] * FRAME_SIZE[1]
        matrix = np.array([[scale, 0.0, target_x - scale * (x + w / 2)], [0.0, scale, target_y - scale * (y + h / 2)]])
        image = cv2.warpAffine(self._portrait.image, matrix, FRAME_SIZE, borderValue=(110, 110, 110))
        points = [(scale * px + matrix[0, 2], scale * py + matrix[1, 2]) for px, py in self._portrait.points]
        shut = close_eyes(np.asarray(image, dtype=np.uint8), points, pose.eyes_closed)
        if pose.yaw_deg:
            shut = turn_head(shut, (target_x, target_y), pose.face_width, points[4], pose.yaw_deg)
        pixels = shut.astype(np.float64) * pose.brightness
        if noisy:
            pixels += self._rng.normal(0.0, self._noise, pixels.shape)
        return np.clip(pixels, 0, 255).astype(np.uint8)

    def blank(self) -> BgrImage:
        """An empty room: the grey background with noise."""
        base = np.full((FRAME_SIZE[1], FRAME_SIZE[0], 3), 110.0)
        return np.clip(base + self._rng.normal(0.0, self._noise, base.shape), 0, 255).astype(np.uint8)

    def blink(self, pose: Pose = Pose(), before: int = 8, after: int = 8) -> list[BgrImage]:
        """Eyes open, a blink over five frames (half, shut, shut, shut, half), eyes open again."""
        lids = [0.0] * before + [0.5, 1.0, 1.0, 1.0, 0.5] + [0.0] * after
        return [self.frame(_with_lids(pose, lid)) for lid in lids]

    def head_turn(self, pose: Pose = Pose(), peak_deg: float = 25.0, steps: int = 6) -> list[BgrImage]:
        """The head turned slowly to the villager's left and back to the camera."""
        out = [peak_deg * math.sin(math.pi * i / (2 * steps)) for i in range(2 * steps + 1)]
        return [self.frame(_turned(pose, yaw)) for yaw in out] + [self.frame(pose) for _ in range(3)]

    def live(self, pose: Pose = Pose()) -> list[BgrImage]:
        """What a live villager does when asked: a blink, then the head turned left and back."""
        return self.blink(pose) + self.head_turn(pose)

    def tilted_photo(self, pose: Pose = Pose(), peak_deg: float = 25.0, steps: int = 6) -> list[BgrImage]:
        """A printed photo rotated flat about its vertical axis, as someone would fake a turn: a plane has no
        nose standing out of it, so its features move together (a perspective warp of the whole picture)."""
        frames = []
        for i in range(2 * steps + 1):
            angle = math.radians(peak_deg * math.sin(math.pi * i / (2 * steps)))
            frames.append(_tilt_plane(self.frame(pose), angle))
        return frames

    def held_photo(self, pose: Pose = Pose(), count: int = 20) -> list[BgrImage]:
        """A printed photo held still before a real camera: only sensor noise changes."""
        return [self.frame(pose) for _ in range(count)]

    def replayed_still(self, pose: Pose = Pose(), count: int = 20) -> list[BgrImage]:
        """One still image fed as every frame of the video."""
        still = self.frame(pose)
        return [still] * count

    def stepping_up(self, each: int = 6) -> list[BgrImage]:
        """Nobody, then a face too far away, then off to one side, then centred, blinking and turning."""
        far = Pose(face_width=80.0)
        aside = Pose(centre=(0.82, 0.45))
        frames = [self.blank() for _ in range(each)]
        frames += [self.frame(far) for _ in range(each)]
        frames += [self.frame(aside) for _ in range(each)]
        return frames + self.live()


def _turned(pose: Pose, yaw_deg: float) -> Pose:
    return Pose(pose.face_width, pose.centre, pose.brightness, pose.eyes_closed, yaw_deg)


def turn_head(image: BgrImage, centre: tuple[float, float], width: float, nose: Point, yaw_deg: float) -> BgrImage:
    """Turn the face about a vertical axis using a depth model: a cylinder for the head and a bump for the nose.

    Orthographic: a point at depth z moves sideways by z·sin(θ), so the nose (nearest the camera) moves more
    than the eyes — what a real head does and a flat picture cannot. The inverse map is found by a few
    fixed-point steps; occlusion is ignored (fine below about 30°).
    """
    h, w = image.shape[:2]
    theta = math.radians(yaw_deg)
    cx, cy = centre
    radius = 0.5 * width
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    # The head's depth fades out smoothly beyond an ellipse around the face, so nothing tears at its edge.
    window = np.exp(-(np.maximum(0.0, ((xs - cx) / (1.1 * radius)) ** 2 + ((ys - cy) / (1.6 * radius)) ** 2 - 1.0)) * 4)

    def depth(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        u = np.clip((x - cx) / (1.2 * radius), -1.0, 1.0)
        head = radius * np.sqrt(1.0 - u * u)
        bump = 0.45 * radius * np.exp(-(((x - nose[0]) ** 2 + (ys - nose[1]) ** 2) / (2 * (0.18 * radius) ** 2)))
        return np.asarray((head + bump) * window, dtype=np.float32)

    src = xs.copy()
    for _ in range(4):
        src = (xs - depth(src) * math.sin(theta) * 1.0 + (xs - cx) * (1 / math.cos(theta) - 1) * window).astype(
            np.float32
        )
    return np.asarray(cv2.remap(image, src, ys, cv2.INTER_LINEAR, borderValue=(110, 110, 110)), dtype=np.uint8)


def _tilt_plane(image: BgrImage, angle: float) -> BgrImage:
    """A flat picture rotated about its vertical centre line, seen by a camera 3 picture-widths away."""
    h, w = image.shape[:2]
    d = 3.0 * w
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    moved = []
    for x, y in corners:
        xr, zr = (x - w / 2) * math.cos(angle), (x - w / 2) * math.sin(angle)
        f = d / (d + zr)
        moved.append([w / 2 + xr * f, h / 2 + (y - h / 2) * f])
    matrix = cv2.getPerspectiveTransform(corners, np.array(moved, dtype=np.float32))
    return np.asarray(cv2.warpPerspective(image, matrix, (w, h), borderValue=(110, 110, 110)), dtype=np.uint8)


def close_eyes(image: BgrImage, points: Sequence[Point], amount: float) -> BgrImage:
    """Paint both eyes over with the skin just below them: `amount` 0 leaves them, 1 shuts them."""
    if amount <= 0:
        return image
    out = image.astype(np.float32)
    for a, b in (RIGHT_EYE, LEFT_EYE):
        (ax, ay), (bx, by) = points[a], points[b]
        span = math.hypot(bx - ax, by - ay)
        cx, cy = (ax + bx) / 2, (ay + by) / 2
        below = image[int(cy + 0.7 * span) : int(cy + span), int(cx - 0.3 * span) : int(cx + 0.3 * span)]
        skin = below.reshape(-1, 3).mean(axis=0)
        mask = np.zeros(image.shape[:2], dtype=np.float32)
        angle = math.degrees(math.atan2(by - ay, bx - ax))
        axes = (int(0.75 * span), int(0.45 * span))
        cv2.ellipse(mask, (int(cx), int(cy)), axes, angle, 0, 360, 1.0, -1)
        mask = cv2.GaussianBlur(mask, (0, 0), max(0.5, 0.1 * span))[..., None] * amount
        out = out * (1 - mask) + skin * mask
    return np.clip(out, 0, 255).astype(np.uint8)


def _with_lids(pose: Pose, lids: float) -> Pose:
    return Pose(pose.face_width, pose.centre, pose.brightness, lids)
