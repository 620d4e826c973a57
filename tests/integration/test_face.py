"""The dlib face analyser on photos shipped by packages: matching under change, guidance, liveness."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from itertools import combinations

import cv2
import numpy as np
import pytest

from drivers.face import MATCH_THRESHOLD_DISTANCE, MATCH_THRESHOLD_SCORE, DlibFaceAnalyser, template_distance
from drivers.face_liveness import LivenessJudge
from drivers.face_metrics import face_patch, to_grey
from drivers.fake.camera import FakeCamera
from drivers.fake.face_scenes import PackagedPhoto, Portrait, Pose, SceneMaker, packaged_photo
from kiosk.ports import Camera, FaceHint, FaceNotFound, LivenessFailed

pytestmark = pytest.mark.integration

Image = np.ndarray


def encode(image: Image, ext: str = ".png", *params: int) -> bytes:
    ok, data = cv2.imencode(ext, image, list(params))
    assert ok
    return data.tobytes()


def rotated(image: Image, degrees: float) -> Image:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


VARIANTS: dict[str, Callable[[Image], bytes]] = {
    "original": lambda im: encode(im),
    "mirrored": lambda im: encode(np.ascontiguousarray(im[:, ::-1])),
    "rotated 15°": lambda im: encode(rotated(im, 15)),
    "rotated -20°": lambda im: encode(rotated(im, -20)),
    "darkened to 40 %": lambda im: encode((im * 0.4).astype(np.uint8)),
    "JPEG quality 30": lambda im: encode(im, ".jpg", cv2.IMWRITE_JPEG_QUALITY, 30),
    "half size": lambda im: encode(cv2.resize(im, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)),
}


@cache
def analyser() -> DlibFaceAnalyser:
    return DlibFaceAnalyser()


@cache
def templates(photo: PackagedPhoto) -> dict[str, bytes]:
    image = packaged_photo(photo)
    return {name: analyser().template_from_image(make(image)) for name, make in VARIANTS.items()}


@cache
def scenes(photo: PackagedPhoto) -> SceneMaker:
    return SceneMaker(Portrait.of(packaged_photo(photo)))


@pytest.fixture
def play() -> Iterator[Callable[..., Camera]]:
    cameras: list[FakeCamera] = []

    def start(frames: list[Image], fps: float = 10.0) -> Camera:
        camera = FakeCamera(frames, fps=fps)
        cameras.append(camera)
        return camera

    yield start
    for camera in cameras:
        camera.close()


# --- 1:1 matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize("photo", list(PackagedPhoto))
@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "original"])
def test_the_same_face_changed_still_matches(photo: PackagedPhoto, variant: str) -> None:
    found = templates(photo)
    result = analyser().match(found[variant], found["original"])
    assert result.score >= MATCH_THRESHOLD_SCORE, f"{photo} {variant}: score {result.score}"


def test_different_people_do_not_match_in_any_variant() -> None:
    collins, hopper = templates(PackagedPhoto.ASTRONAUT), templates(PackagedPhoto.HOPPER)
    for a in collins.values():
        for b in hopper.values():
            assert analyser().match(a, b).score < MATCH_THRESHOLD_SCORE


def test_genuine_and_impostor_rates_at_the_threshold() -> None:
    """The calibration the docs quote: every genuine pair accepted, every impostor pair refused."""
    people = {photo: list(templates(photo).values()) for photo in PackagedPhoto}
    genuine = [template_distance(a, b) for ts in people.values() for a, b in combinations(ts, 2)]
    impostor = [template_distance(a, b) for a in people[PackagedPhoto.ASTRONAUT] for b in people[PackagedPhoto.HOPPER]]
    accepted = sum(d < MATCH_THRESHOLD_DISTANCE for d in genuine)
    false_accepts = sum(d < MATCH_THRESHOLD_DISTANCE for d in impostor)
    print(
        f"\nface calibration: genuine {accepted}/{len(genuine)} accepted (max {max(genuine):.3f}), "
        f"impostor {false_accepts}/{len(impostor)} accepted (min {min(impostor):.3f}), "
        f"threshold {MATCH_THRESHOLD_DISTANCE}"
    )
    assert accepted == len(genuine)
    assert false_accepts == 0


def test_a_card_sized_photo_matches_the_live_capture(play: Callable[..., Camera]) -> None:
    # A resident ID card photo is 102×126 px: the face in it is about 60 px wide.
    portrait = Portrait.of(packaged_photo(PackagedPhoto.HOPPER))
    x, y, w, h = (int(v) for v in portrait.box)
    crop = portrait.image[max(0, y - h // 2) : y + h * 3 // 2, max(0, x - w // 4) : x + w * 5 // 4]
    card = encode(cv2.resize(crop, (102, 126), interpolation=cv2.INTER_AREA), ".jpg")
    live = analyser().capture(play(scenes(PackagedPhoto.HOPPER).live()), 10.0, lambda _h: None)
    assert analyser().match(live.template, analyser().template_from_image(card)).score >= MATCH_THRESHOLD_SCORE


# --- guidance -------------------------------------------------------------------------------------


def test_hints_follow_the_villager_stepping_up(play: Callable[..., Camera]) -> None:
    hints: list[FaceHint] = []
    result = analyser().capture(play(scenes(PackagedPhoto.ASTRONAUT).stepping_up()), 12.0, hints.append)
    assert hints == [
        FaceHint.NO_FACE,
        FaceHint.MOVE_CLOSER,
        FaceHint.CENTRE,
        FaceHint.BLINK,
        FaceHint.TURN_HEAD,
        FaceHint.OK,
    ]
    assert result.liveness_passed


def test_too_close_and_too_dark_are_said(play: Callable[..., Camera]) -> None:
    maker = scenes(PackagedPhoto.HOPPER)
    frames = [maker.frame(Pose(face_width=520.0)) for _ in range(5)]
    frames += [maker.frame(Pose(brightness=0.3)) for _ in range(5)]
    hints: list[FaceHint] = []
    with pytest.raises(FaceNotFound):
        analyser().capture(play(frames), 1.5, hints.append)
    assert hints[:2] == [FaceHint.MOVE_BACK, FaceHint.TOO_DARK]


def test_an_empty_room_is_face_not_found(play: Callable[..., Camera]) -> None:
    maker = scenes(PackagedPhoto.ASTRONAUT)
    hints: list[FaceHint] = []
    with pytest.raises(FaceNotFound):
        analyser().capture(play([maker.blank() for _ in range(10)]), 1.5, hints.append)
    assert hints == [FaceHint.NO_FACE]


# --- liveness -------------------------------------------------------------------------------------


@pytest.mark.parametrize("photo", list(PackagedPhoto))
def test_a_blink_and_a_head_turn_are_live(photo: PackagedPhoto, play: Callable[..., Camera]) -> None:
    result = analyser().capture(play(scenes(photo).live()), 10.0, lambda _h: None)
    assert result.liveness_passed
    assert result.method.startswith("dlib-hog+resnet128") and "blink+turn+replay" in result.method


@pytest.mark.parametrize("photo", list(PackagedPhoto))
def test_a_blink_alone_is_not_enough(photo: PackagedPhoto, play: Callable[..., Camera]) -> None:
    hints: list[FaceHint] = []
    with pytest.raises(LivenessFailed, match="blinked=True, replayed=False, turned=False"):
        analyser().capture(play(scenes(photo).blink() + scenes(photo).held_photo(count=20)), 4.0, hints.append)
    assert hints[-1] is FaceHint.TURN_HEAD


@pytest.mark.parametrize("photo", list(PackagedPhoto))
def test_a_photo_tilted_like_a_turn_is_refused(photo: PackagedPhoto, play: Callable[..., Camera]) -> None:
    # The blink is faked too (painted lids), then the picture is turned flat: the nose does not stand out.
    maker = scenes(photo)
    with pytest.raises(LivenessFailed, match="turned=False"):
        analyser().capture(play(maker.blink() + maker.tilted_photo() + maker.tilted_photo()), 5.0, lambda _h: None)


@pytest.mark.parametrize("photo", list(PackagedPhoto))
def test_a_turn_to_the_other_side_is_not_the_turn_asked_for(photo: PackagedPhoto, play: Callable[..., Camera]) -> None:
    maker = scenes(photo)
    frames = maker.blink() + [maker.frame(Pose(yaw_deg=-y)) for y in (8, 16, 24, 16, 8, 0, 0, 0)]
    with pytest.raises(LivenessFailed, match="turned=False"):
        analyser().capture(play(frames), 4.0, lambda _h: None)


@pytest.mark.parametrize("photo", list(PackagedPhoto))
def test_a_still_photo_replayed_as_video_is_refused(photo: PackagedPhoto, play: Callable[..., Camera]) -> None:
    with pytest.raises(LivenessFailed, match="replayed=True"):
        analyser().capture(play(scenes(photo).replayed_still()), 2.5, lambda _h: None)


@pytest.mark.parametrize("photo", list(PackagedPhoto))
def test_a_printed_photo_held_still_is_refused(photo: PackagedPhoto, play: Callable[..., Camera]) -> None:
    # Fresh sensor noise in every frame and enough frames that nothing repeats: only the blink check can
    # refuse it, and it must.
    frames = scenes(photo).held_photo(count=40)
    with pytest.raises(LivenessFailed, match="blinked=False, replayed=False"):
        analyser().capture(play(frames), 2.5, lambda _h: None)


def test_the_replay_check_tells_noise_from_a_repeated_still() -> None:
    maker = scenes(PackagedPhoto.ASTRONAUT)
    pose = Pose()
    box = analyser()._look
    first = maker.frame(pose)
    seen = box(first, to_grey(first))
    assert seen is not None
    live, still = LivenessJudge(), LivenessJudge()
    for frame in maker.held_photo(pose, count=10):
        live.replay.feed(face_patch(to_grey(frame), seen.measure.box))
        still.replay.feed(face_patch(to_grey(first), seen.measure.box))
    assert not live.replay.replayed()
    assert still.replay.replayed()
