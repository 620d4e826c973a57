"""The pension qualification check on fakes over a real kiosk database: a pass, each refusal, the cadre's check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest

from drivers.fake.camera import FakeCamera
from drivers.fake.face import FakeCaptureScript, FakeFaceAnalyser, FakeOutcome, fake_template
from kiosk.config import EnrolmentSettings
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.errors import UserFacingError
from kiosk.flows.cadre import CadreSession
from kiosk.flows.pension import PensionCheckFlow, PensionFlowError, PensionServices, PensionStep, checks
from kiosk.flows.signin import VillagerSession
from kiosk.identity import did as didm
from kiosk.identity.roster import Cadre
from kiosk.store import deliveries, outbox
from kiosk.tx import envelope
from kiosk.tx.bodies import InvalidBody, validate_body
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone, make_card

PIN = "382917"
CADRE_PIN = "615243"


@pytest.fixture
def camera() -> Iterator[FakeCamera]:
    cam = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=200)
    yield cam
    cam.close()


@dataclass
class World:
    core: Core
    camera: FakeCamera
    did: str

    def session(self, did: str | None = None, pin: str = PIN) -> VillagerSession:
        who = did or self.did
        return VillagerSession(who, "张秀兰", self.core.keystore.unlock(who, pin, self.core.time.now))

    def flow(
        self, face: FakeFaceAnalyser, settings: EnrolmentSettings | None = None, did: str | None = None
    ) -> PensionCheckFlow:
        c = self.core
        services = PensionServices(
            c.db,
            c.time,
            c.device,
            c.device_signer,
            c.keystore,
            c.registry,
            self.camera,
            face,
            settings or c.settings.enrolment,
        )
        return PensionCheckFlow(services, self.session(did))

    def cadre(self) -> CadreSession:
        did = enrol_someone(self.core, CADRE_PIN, card=make_card(name="王建国", serial="551"))
        signer = self.core.keystore.unlock(did, CADRE_PIN, self.core.time.now)
        kid = didm.key_id(did, 0)
        return CadreSession(Cadre(did, "王建国", "张庄村"), kid, signer, self.core.keystore, self.core.time)

    def bodies(self) -> list[dict[str, object]]:
        rows = self.core.db.read("SELECT envelope FROM outbox WHERE type = 'pension.proof_of_life' ORDER BY seq")
        return [dict(canonical.loads(bytes(r[0]))["body"]) for r in rows]


@pytest.fixture
def world(core: Core, camera: FakeCamera) -> World:
    return World(core, camera, enrol_someone(core, PIN, face_template=fake_template("villager")))


def _scripted(*outcomes: FakeOutcome | str) -> FakeFaceAnalyser:
    scripts = [
        FakeCaptureScript(o) if isinstance(o, FakeOutcome) else FakeCaptureScript(FakeOutcome.LIVE, person=o)
        for o in outcomes
    ]
    return FakeFaceAnalyser(scripts)


def test_a_live_face_that_matches_queues_a_signed_check_without_biometrics(world: World) -> None:
    flow = world.flow(FakeFaceAnalyser())
    assert flow.face_on_file and flow.done_this_year() is None
    hints: list[object] = []
    receipt = flow.capture_face(hints.append)
    assert flow.step is PensionStep.DONE and receipt.outcome == "passed" and receipt.check == "face_match"
    assert receipt.score == 1000 and receipt.period == "2026"
    item = outbox.get(world.core.db.conn, receipt.tx_id)
    assert item is not None and item.type == "pension.proof_of_life"
    env = envelope.parse(item.envelope)
    verify(env, world.core.registry.resolver)
    assert {s.role.value for s in env.sigs} == {"villager", "device"}
    body = env.body
    assert body["did"] == world.did and body["outcome"] == "passed" and body["tries"] == 1
    assert body["face"] == {
        "method": "fake; match=fake",
        "quality": 90,
        "live": True,
        "score": 1000,
        "threshold": world.core.settings.enrolment.face_match_min_score,
    }
    assert body["clock"] in ("ntp", "rtc", "floor") and body["witness"] is None
    assert set(body) == {"did", "period", "outcome", "check", "reason", "face", "tries", "witness", "clock"}
    done = flow.done_this_year()
    assert done is not None and done.tx_id == receipt.tx_id
    with pytest.raises(PensionFlowError):
        flow.capture_face(lambda _h: None)


def test_a_still_photo_held_to_the_camera_is_refused(world: World) -> None:
    flow = world.flow(_scripted(FakeOutcome.NOT_LIVE, FakeOutcome.NOT_TURNED, FakeOutcome.LIVE))
    for left, photo in ((2, "held photo"), (1, "blinked but never turned")):
        with pytest.raises(UserFacingError) as info:
            flow.capture_face(lambda _h: None)
        assert (info.value.message_key, info.value.params["tries_left"]) == ("pension.not_live", left), photo
    assert world.bodies() == []  # refusals with tries left queue nothing
    assert flow.capture_face(lambda _h: None).outcome == "passed"  # the real person, on the last try
    assert world.bodies()[0]["tries"] == 3


def test_a_different_person_is_refused_and_the_last_refusal_queues_a_failed_check(world: World) -> None:
    flow = world.flow(_scripted("neighbour"))
    for left in (2, 1):
        with pytest.raises(UserFacingError) as info:
            flow.capture_face(lambda _h: None)
        assert (info.value.message_key, info.value.params["tries_left"]) == ("pension.no_match", left)
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.message_key == "pension.no_match.final" and flow.step is PensionStep.FAILED
    (body,) = world.bodies()
    assert body["outcome"] == "failed" and body["reason"] == "no_match" and body["tries"] == 3
    face = body["face"]
    assert isinstance(face, dict) and face["score"] < face["threshold"]
    assert flow.done_this_year() is None
    with pytest.raises(PensionFlowError):
        flow.capture_face(lambda _h: None)


def test_no_face_is_refused_and_ends_after_the_retry_limit(world: World) -> None:
    settings = world.core.settings.enrolment.model_copy(update={"max_retries": 1})
    flow = world.flow(_scripted(FakeOutcome.NO_FACE), settings)
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.message_key == "pension.no_face.final"
    (body,) = world.bodies()
    assert (body["outcome"], body["reason"], body["face"]) == ("failed", "no_face", None)


def test_a_cadre_checks_in_person_after_the_face_failed(world: World) -> None:
    once = world.core.settings.enrolment.model_copy(update={"max_retries": 1})
    flow = world.flow(_scripted(FakeOutcome.NOT_LIVE), once)
    with pytest.raises(UserFacingError):
        flow.capture_face(lambda _h: None)
    cadre = world.cadre()
    with pytest.raises(UserFacingError) as info:
        flow.cadre_confirms(cadre, "000000")
    assert info.value.message_key == "pin.wrong"
    receipt = flow.cadre_confirms(cadre, CADRE_PIN)
    assert (receipt.outcome, receipt.check, receipt.score) == ("passed", "cadre", None)
    item = outbox.get(world.core.db.conn, receipt.tx_id)
    assert item is not None
    env = envelope.parse(item.envelope)
    verify(env, world.core.registry.resolver)
    assert {s.role.value for s in env.sigs} == {"villager", "device", "cadre"}
    assert env.body["witness"] == cadre.did and env.body["check"] == "cadre" and env.body["face"] is None
    assert [b["outcome"] for b in world.bodies()] == ["failed", "passed"]


def test_a_villager_without_a_face_on_file_is_sent_to_the_cadre(world: World) -> None:
    did = enrol_someone(world.core, PIN, card=make_card(name="李秀英", serial="412"), face_template=b"")
    with world.core.db.transaction() as conn:  # enrolled by a cadre's check, without a face
        conn.execute("UPDATE person SET sealed_face = NULL WHERE did = ?", (did,))
    flow = world.flow(FakeFaceAnalyser(), did=did)
    assert not flow.face_on_file
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.message_key == "pension.no_face_on_file"
    assert flow.cadre_confirms(world.cadre(), CADRE_PIN).check == "cadre"


def test_a_cadre_cannot_check_themselves(world: World) -> None:
    flow = world.flow(FakeFaceAnalyser())

    class Self:
        did = world.did

        def unlock_witness(self, pin: str) -> object:
            raise AssertionError("never asked")

    with pytest.raises(UserFacingError) as info:
        flow.cadre_confirms(Self(), CADRE_PIN)  # type: ignore[arg-type]
    assert info.value.message_key == "cadre.self_witness"


def test_an_ended_session_cannot_start_a_check(world: World) -> None:
    services = world.flow(FakeFaceAnalyser())._s
    session = world.session()
    session.wipe()
    with pytest.raises(PensionFlowError):
        PensionCheckFlow(services, session)


def test_the_offices_answer_is_shown_with_the_check(world: World) -> None:
    receipt = world.flow(FakeFaceAnalyser()).capture_face(lambda _h: None)
    payload = {
        "request": receipt.tx_id,
        "did": world.did,
        "service": "pension.proof_of_life",
        "status": "approved",
        "at_ms": 5,
        "reason": "认证成功，请在2027年6月底前再来认证",
        "next_due": "2027-06-30",
    }
    with world.core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, ?, ?, ?)",
            ("a1", "service_status", canonical.dumps(payload).decode("utf-8"), 6),
        )
        assert deliveries.inbox(conn, "service_status")
    (check,) = checks(world.core.db, world.did)
    assert check.answer == "认证成功，请在2027年6月底前再来认证" and check.next_due == "2027-06-30"
    assert not check.committed and check.outcome == "passed"
    assert checks(world.core.db, "did:lxt:410225:" + "1" * 16) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"outcome": "failed"}, "says why"),
        ({"reason": "no_face"}, "says why"),
        ({"check": "cadre"}, "names the cadre"),
        ({"face": None}, "live face that matched"),
        ({"period": "1999"}, "period"),
        ({"face": {"method": "x", "quality": 90, "live": True, "score": 10, "threshold": 600}}, "matched"),
    ],
)
def test_a_pension_body_that_does_not_add_up_is_refused(change: dict[str, object], problem: str) -> None:
    body: dict[str, object] = {
        "did": "did:lxt:410225:" + "2" * 16,
        "period": "2026",
        "outcome": "passed",
        "check": "face_match",
        "reason": None,
        "face": {"method": "x", "quality": 90, "live": True, "score": 900, "threshold": 600},
        "tries": 1,
        "witness": None,
        "clock": "ntp",
    }
    validate_body("pension.proof_of_life", body)
    with pytest.raises(InvalidBody, match=problem):
        validate_body("pension.proof_of_life", {**body, **change})
