"""The pension check with the real dlib face analyser on scenes made from packaged photos (docs/face.md): the
pensioner passes; a still photo of them held to the camera, a different person and an empty room are refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache

import cv2
import numpy as np
import pytest

from drivers.face import MATCH_THRESHOLD_SCORE, DlibFaceAnalyser
from drivers.fake.camera import FakeCamera
from drivers.fake.face_scenes import PackagedPhoto, Portrait, SceneMaker, packaged_photo
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.errors import UserFacingError
from kiosk.flows.pension import PensionCheckFlow, PensionServices, PensionStep
from kiosk.flows.signin import VillagerSession
from kiosk.store import outbox
from tests.helpers import enrol_someone

pytestmark = pytest.mark.integration

PIN = "382917"


@cache
def analyser() -> DlibFaceAnalyser:
    return DlibFaceAnalyser()


@cache
def scenes(photo: PackagedPhoto) -> SceneMaker:
    return SceneMaker(Portrait.of(packaged_photo(photo)))


@cache
def enrolled_template(photo: PackagedPhoto) -> bytes:
    ok, data = cv2.imencode(".png", packaged_photo(photo))
    assert ok
    return analyser().template_from_image(data.tobytes())


@pytest.fixture
def cameras() -> Iterator[list[FakeCamera]]:
    made: list[FakeCamera] = []
    yield made
    for cam in made:
        cam.close()


Start = Callable[[list[np.ndarray], int], PensionCheckFlow]


@pytest.fixture
def check(core: Core, cameras: list[FakeCamera]) -> Start:
    """A pension check for Grace Hopper (enrolled with her portrait), watching `frames` at 10 frames/s."""
    did = enrol_someone(core, PIN, face_template=enrolled_template(PackagedPhoto.HOPPER))

    def start(frames: list[np.ndarray], timeout_s: int) -> PensionCheckFlow:
        camera = FakeCamera(frames, fps=10.0)
        cameras.append(camera)
        settings = core.settings.enrolment.model_copy(
            update={"face_capture_timeout_s": timeout_s, "face_match_min_score": MATCH_THRESHOLD_SCORE}
        )
        services = PensionServices(
            core.db,
            core.time,
            core.device,
            core.device_signer,
            core.keystore,
            core.registry,
            camera,
            analyser(),
            settings,
        )
        session = VillagerSession(did, "Hopper", core.keystore.unlock(did, PIN, core.time.now))
        return PensionCheckFlow(services, session)

    return start


def _refused(flow: PensionCheckFlow) -> str:
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.params["tries_left"] == 2
    return info.value.message_key


def test_the_pensioner_blinking_and_turning_passes(check: Start, core: Core) -> None:
    flow = check(scenes(PackagedPhoto.HOPPER).live(), 10)
    receipt = flow.capture_face(lambda _h: None)
    assert flow.step is PensionStep.DONE and receipt.score is not None and receipt.score >= MATCH_THRESHOLD_SCORE
    item = outbox.get(core.db.conn, receipt.tx_id)
    assert item is not None
    face = canonical.loads(item.envelope)["body"]["face"]
    assert "blink+turn+replay" in face["method"] and face["live"] is True


def test_a_still_photo_of_the_pensioner_held_to_the_camera_is_refused(check: Start) -> None:
    assert _refused(check(scenes(PackagedPhoto.HOPPER).held_photo(count=40), 3)) == "pension.not_live"


def test_a_photo_tilted_to_fake_the_turn_is_refused(check: Start) -> None:
    maker = scenes(PackagedPhoto.HOPPER)
    frames = maker.blink() + maker.tilted_photo() + maker.tilted_photo()
    assert _refused(check(frames, 5)) == "pension.not_live"


def test_a_different_person_is_refused(check: Start, core: Core) -> None:
    # Eileen Collins, live (she blinks and turns): the liveness passes, the 1:1 match must not.
    flow = check(scenes(PackagedPhoto.ASTRONAUT).live(), 10)
    assert _refused(flow) == "pension.no_match"
    assert core.db.read("SELECT COUNT(*) FROM outbox WHERE type = 'pension.proof_of_life'")[0][0] == 0


def test_an_empty_room_is_no_face(check: Start) -> None:
    maker = scenes(PackagedPhoto.HOPPER)
    assert _refused(check([maker.blank() for _ in range(10)], 2)) == "pension.no_face"
