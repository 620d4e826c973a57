"""The face contract: FakeFaceAnalyser and DlibFaceAnalyser answer the same questions the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
import pytest

from drivers.face import MATCH_THRESHOLD_SCORE, TEMPLATE_BYTES, DlibFaceAnalyser
from drivers.fake.camera import FakeCamera
from drivers.fake.face import FakeCaptureScript, FakeFaceAnalyser, FakeOutcome
from drivers.fake.face_scenes import PackagedPhoto, Portrait, SceneMaker, packaged_photo
from kiosk.errors import DeviceError
from kiosk.ports import Camera, FaceAnalyser, FaceHint, FaceNotFound, LivenessFailed


def png(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


@dataclass(frozen=True)
class Images:
    astronaut: bytes
    astronaut_mirrored: bytes
    hopper: bytes
    empty_room: bytes


@cache
def images() -> Images:
    astronaut = packaged_photo(PackagedPhoto.ASTRONAUT)
    return Images(
        astronaut=png(astronaut),
        astronaut_mirrored=png(np.ascontiguousarray(astronaut[:, ::-1])),
        hopper=png(packaged_photo(PackagedPhoto.HOPPER)),
        empty_room=png(np.full((480, 640, 3), 110, dtype=np.uint8)),
    )


@cache
def scenes() -> SceneMaker:
    return SceneMaker(Portrait.of(packaged_photo(PackagedPhoto.ASTRONAUT)))


@dataclass(frozen=True)
class FaceKit:
    """An analyser per scripted situation: the real one judges pixels, the fake is told the outcome."""

    analyser: Callable[[FakeOutcome], FaceAnalyser]


@cache
def dlib_analyser() -> DlibFaceAnalyser:
    return DlibFaceAnalyser()


def fake_analyser(outcome: FakeOutcome) -> FaceAnalyser:
    pics = images()
    people = {pics.astronaut: "collins", pics.astronaut_mirrored: "collins", pics.hopper: "hopper"}
    return FakeFaceAnalyser([FakeCaptureScript(outcome=outcome)], people=people)


@pytest.fixture(params=["fake", pytest.param("dlib", marks=pytest.mark.integration)])
def kit(request: pytest.FixtureRequest) -> FaceKit:
    if request.param == "fake":
        return FaceKit(analyser=fake_analyser)
    return FaceKit(analyser=lambda _outcome: dlib_analyser())


@pytest.fixture
def playing() -> Iterator[Callable[[list[np.ndarray]], Camera]]:
    cameras: list[FakeCamera] = []

    def play(frames: list[np.ndarray]) -> Camera:
        camera = FakeCamera(frames, fps=10.0)
        cameras.append(camera)
        return camera

    yield play
    for camera in cameras:
        camera.close()


def test_a_template_matches_itself_and_the_same_face_mirrored(kit: FaceKit) -> None:
    analyser = kit.analyser(FakeOutcome.LIVE)
    template = analyser.template_from_image(images().astronaut)
    assert len(template) == TEMPLATE_BYTES
    assert analyser.match(template, template).score == 1000
    mirrored = analyser.template_from_image(images().astronaut_mirrored)
    assert analyser.match(template, mirrored).score >= MATCH_THRESHOLD_SCORE


def test_different_people_do_not_match(kit: FaceKit) -> None:
    analyser = kit.analyser(FakeOutcome.LIVE)
    a = analyser.template_from_image(images().astronaut)
    b = analyser.template_from_image(images().hopper)
    result = analyser.match(a, b)
    assert 0 <= result.score < MATCH_THRESHOLD_SCORE


def test_an_image_without_a_face_is_face_not_found(kit: FaceKit) -> None:
    with pytest.raises(FaceNotFound):
        kit.analyser(FakeOutcome.LIVE).template_from_image(images().empty_room)


def test_bytes_that_are_no_image_are_a_device_error(kit: FaceKit) -> None:
    with pytest.raises(DeviceError):
        kit.analyser(FakeOutcome.LIVE).template_from_image(b"not an image at all")


def test_a_malformed_template_is_refused(kit: FaceKit) -> None:
    analyser = kit.analyser(FakeOutcome.LIVE)
    good = analyser.template_from_image(images().astronaut)
    with pytest.raises(DeviceError):
        analyser.match(good, good[:-4])


def test_a_live_blinking_face_is_captured(kit: FaceKit, playing: Callable[..., Camera]) -> None:
    hints: list[FaceHint] = []
    result = kit.analyser(FakeOutcome.LIVE).capture(playing(scenes().live()), 10.0, hints.append)
    assert result.liveness_passed
    assert len(result.template) == TEMPLATE_BYTES
    assert result.image_jpeg.startswith(b"\xff\xd8\xff")
    assert 0 <= result.quality <= 100
    assert hints[-3:] == [FaceHint.BLINK, FaceHint.TURN_HEAD, FaceHint.OK]
    assert "template" not in repr(result)


def test_a_still_photo_is_not_live(kit: FaceKit, playing: Callable[..., Camera]) -> None:
    camera = playing(scenes().replayed_still())
    with pytest.raises(LivenessFailed):
        kit.analyser(FakeOutcome.NOT_LIVE).capture(camera, 3.0, lambda _hint: None)


def test_a_blink_without_the_head_turn_is_not_live(kit: FaceKit, playing: Callable[..., Camera]) -> None:
    hints: list[FaceHint] = []
    with pytest.raises(LivenessFailed, match="turned=False"):
        kit.analyser(FakeOutcome.NOT_TURNED).capture(playing(scenes().blink()), 3.0, hints.append)
    assert hints[-1] is FaceHint.TURN_HEAD


def test_an_empty_room_is_face_not_found(kit: FaceKit, playing: Callable[..., Camera]) -> None:
    camera = playing([scenes().blank() for _ in range(10)])
    with pytest.raises(FaceNotFound):
        kit.analyser(FakeOutcome.NO_FACE).capture(camera, 2.0, lambda _hint: None)
