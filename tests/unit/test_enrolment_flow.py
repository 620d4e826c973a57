"""The enrolment flow end to end on fakes: every step, every way out, and what reaches the outbox."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.camera import FakeCamera
from drivers.fake.clock import FakeClock
from drivers.fake.face import FakeCaptureScript, FakeFaceAnalyser, FakeOutcome, fake_template
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.domain.idcard import CardKind, IdCard
from kiosk.errors import UserFacingError, VerificationError
from kiosk.flows.enrolment import EnrolmentDevices, EnrolmentFlow, EnrolStep, FlowError
from kiosk.identity import did as didm
from kiosk.identity.evidence import open_evidence
from kiosk.identity.registry import Witness
from kiosk.ports import CardRemoved, CorruptCardRecord, DeviceTimeout, FaceHint
from kiosk.store import audit, outbox
from kiosk.tx import envelope
from kiosk.tx.bodies import EnrolMode
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone, make_card

PIN = "382917"
CARD_PHOTO_JPEG = b"\xff\xd8\xff" + b"card photo"


class ScriptedReader:
    """A CardReader that answers each read with the next scripted card or error."""

    def __init__(self, *outcomes: IdCard | Exception) -> None:
        self.outcomes = list(outcomes)

    def read_card(self, timeout_s: float) -> IdCard:
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def close(self) -> None:
        self.outcomes.clear()


class PhotoDecoder:
    def decode(self, wlt: bytes) -> bytes:
        return CARD_PHOTO_JPEG


@pytest.fixture
def camera() -> Iterator[FakeCamera]:
    cam = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=200)
    yield cam
    cam.close()


def _flow(
    core: Core,
    camera: FakeCamera,
    *reads: IdCard | Exception,
    face: FakeFaceAnalyser | None = None,
    decoder: PhotoDecoder | None = None,
    witness: Witness | None = None,
    mode: EnrolMode = EnrolMode.SELF,
) -> EnrolmentFlow:
    devices = EnrolmentDevices(ScriptedReader(*(reads or (make_card(),))), camera, face or FakeFaceAnalyser(), decoder)
    return EnrolmentFlow(core.registry, devices, core.time, core.settings.enrolment, mode, witness)


def _step(flow: EnrolmentFlow) -> EnrolStep:
    """The flow's step, read fresh (mypy would otherwise keep an earlier assert's narrowing)."""
    return flow.step


def _nothing_written(core: Core) -> None:
    for table in ("outbox", "person", "villager_key", "did_event", "audit"):
        assert core.db.read(f"SELECT COUNT(*) FROM {table}")[0][0] == 0, table  # noqa: S608


def _run_to_pin(flow: EnrolmentFlow) -> list[FaceHint]:
    flow.read_card()
    flow.consent(True)
    hints: list[FaceHint] = []
    flow.capture_face(hints.append)
    return hints


def test_self_enrolment_end_to_end(core: Core, camera: FakeCamera, county_enrolment_key: X25519PrivateKey) -> None:
    flow = _flow(core, camera)
    summary = flow.read_card()
    assert summary.name == "张秀兰"
    assert summary.masked_id.startswith("410")
    assert "*" in summary.masked_id
    assert summary.masked_id[-4:] == make_card().id_number[-4:]
    assert not summary.recovery
    assert _step(flow) is EnrolStep.CONSENT
    assert "加密" in flow.consent_text.text
    flow.consent(True)
    hints: list[FaceHint] = []
    assert flow.capture_face(hints.append) is None  # no card photo decoder: nothing to match against
    assert hints[-1] is FaceHint.OK
    flow.enter_pin(PIN)
    receipt = flow.confirm_pin(PIN)
    assert _step(flow) is EnrolStep.DONE

    [item] = outbox.pending(core.db.conn, 10)
    env = envelope.parse(item.envelope)
    assert env.id == receipt.tx_id == hashlib.sha256(canonical.dumps(env.unsigned())).hexdigest()
    assert env.type == "identity.enroll"
    verify(env, core.registry.resolver)
    assert env.body["identity_check"] == "face_only"
    assert env.body["consent"]["version"] == 1
    evidence = open_evidence(dict(env.body["evidence"]), county_enrolment_key, receipt.did)
    assert evidence["card"]["name"] == "张秀兰"
    assert evidence["face_jpeg"]
    with pytest.raises(VerificationError):
        open_evidence(dict(env.body["evidence"]), X25519PrivateKey.generate(), receipt.did)
    assert core.keystore.unlock(receipt.did, PIN, core.time.now).public_key == core.keystore.get(receipt.did).public_key


def test_face_is_matched_to_the_card_photo_when_it_can_be_decoded(core: Core, camera: FakeCamera) -> None:
    face = FakeFaceAnalyser(people={CARD_PHOTO_JPEG: "villager"})
    flow = _flow(core, camera, face=face, decoder=PhotoDecoder())
    flow.read_card()
    flow.consent(True)
    match = flow.capture_face(lambda _h: None)
    assert match is not None
    assert match.score >= core.settings.enrolment.face_match_min_score
    flow.enter_pin(PIN)
    flow.confirm_pin(PIN)
    env = envelope.parse(outbox.pending(core.db.conn, 1)[0].envelope)
    assert env.body["identity_check"] == "face_match"
    assert env.body["face"]["match"]["score"] == match.score


def test_a_face_that_does_not_match_ends_after_three_tries(core: Core, camera: FakeCamera) -> None:
    face = FakeFaceAnalyser([FakeCaptureScript(person="someone else")], people={CARD_PHOTO_JPEG: "villager"})
    flow = _flow(core, camera, face=face, decoder=PhotoDecoder())
    flow.read_card()
    flow.consent(True)
    for left in (2, 1):
        with pytest.raises(UserFacingError) as info:
            flow.capture_face(lambda _h: None)
        assert (info.value.message_key, info.value.params["tries_left"]) == ("face.no_match", left)
        assert _step(flow) is EnrolStep.FACE
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.message_key == "face.no_match.final"
    assert _step(flow) is EnrolStep.FAILED
    _nothing_written(core)


def test_a_photo_held_up_is_not_live(core: Core, camera: FakeCamera) -> None:
    flow = _flow(core, camera, face=FakeFaceAnalyser([FakeCaptureScript(FakeOutcome.NOT_LIVE)]))
    flow.read_card()
    flow.consent(True)
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.message_key == "face.not_live"


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (DeviceTimeout("none"), "card.none"),
        (CardRemoved(), "card.removed"),
        (CorruptCardRecord("x"), "card.unreadable"),
    ],
)
def test_card_problems_can_be_retried_then_end(core: Core, camera: FakeCamera, error: Exception, key: str) -> None:
    flow = _flow(core, camera, error, error, error)
    for left in (2, 1):
        with pytest.raises(UserFacingError) as info:
            flow.read_card()
        assert info.value.message_key == key
        assert info.value.params == {"tries_left": left}
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == f"{key}.final"
    assert _step(flow) is EnrolStep.FAILED


def test_a_retry_after_a_removed_card_succeeds(core: Core, camera: FakeCamera) -> None:
    flow = _flow(core, camera, CardRemoved(), make_card())
    with pytest.raises(UserFacingError):
        flow.read_card()
    assert flow.read_card().name == "张秀兰"


def _bad_check_digit() -> IdCard:
    card = make_card()
    last = "0" if card.id_number[-1] != "0" else "1"
    return IdCard(
        **{**{f: getattr(card, f) for f in card.__dataclass_fields__}, "id_number": card.id_number[:-1] + last}
    )


def _with(**changes: object) -> IdCard:
    card = make_card()
    return IdCard(**{**{f: getattr(card, f) for f in card.__dataclass_fields__}, **changes})


@pytest.mark.parametrize(
    ("card", "key"),
    [
        (_bad_check_digit(), "card.invalid"),
        (_with(birth_date=date(1958, 3, 13)), "card.invalid"),
        (make_card(valid_from=date(2006, 1, 1), valid_to=date(2026, 1, 1)), "card.expired"),
        (make_card(valid_from=date(2027, 1, 1)), "card.not_yet_valid"),
        (make_card(birth=date(2010, 4, 4), serial="221"), "enrol.too_young"),
        (_with(kind=CardKind.SOCIAL_SECURITY), "card.not_id_card"),
    ],
)
def test_cards_that_cannot_enrol(core: Core, camera: FakeCamera, card: IdCard, key: str) -> None:
    flow = _flow(core, camera, card)
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == key
    assert _step(flow) is EnrolStep.FAILED
    _nothing_written(core)


def test_a_card_valid_for_a_long_term_enrols(core: Core, camera: FakeCamera) -> None:
    flow = _flow(core, camera, make_card(valid_from=date(2010, 1, 1), valid_to=None))
    _run_to_pin(flow)
    flow.enter_pin(PIN)
    flow.confirm_pin(PIN)
    assert _step(flow) is EnrolStep.DONE


def test_pin_rules_explain_without_counting_and_mismatches_count(core: Core, camera: FakeCamera) -> None:
    flow = _flow(core, camera)
    _run_to_pin(flow)
    for simple in ("123456", "000000", "580312", "12345"):
        with pytest.raises(UserFacingError):
            flow.enter_pin(simple)
        assert _step(flow) is EnrolStep.PIN
    for left in (2, 1):
        flow.enter_pin(PIN)
        with pytest.raises(UserFacingError) as info:
            flow.confirm_pin("482917")
        assert (info.value.message_key, info.value.params["tries_left"]) == ("pin.mismatch", left)
        assert _step(flow) is EnrolStep.PIN
    flow.enter_pin(PIN)
    with pytest.raises(UserFacingError) as info:
        flow.confirm_pin("482917")
    assert info.value.message_key == "pin.mismatch.final"
    _nothing_written(core)


@pytest.mark.parametrize("stop_after", ["card", "consent", "face", "pin"])
def test_cancel_at_any_step_writes_nothing(core: Core, camera: FakeCamera, stop_after: str) -> None:
    flow = _flow(core, camera)
    steps: list[Callable[[], object]] = [
        flow.read_card,
        lambda: flow.consent(True),
        lambda: flow.capture_face(lambda _h: None),
        lambda: flow.enter_pin(PIN),
    ]
    for step in steps[: ["card", "consent", "face", "pin"].index(stop_after) + 1]:
        step()
    flow.cancel()
    assert _step(flow) is EnrolStep.CANCELLED
    assert flow._draft.card is None
    assert flow._draft.pin is None
    _nothing_written(core)
    with pytest.raises(FlowError):
        flow.confirm_pin(PIN)


def test_declining_consent_ends_the_session(core: Core, camera: FakeCamera) -> None:
    flow = _flow(core, camera)
    flow.read_card()
    flow.consent(False)
    assert _step(flow) is EnrolStep.CANCELLED
    _nothing_written(core)


def test_a_step_left_too_long_times_out(core: Core, camera: FakeCamera, clock: FakeClock) -> None:
    flow = _flow(core, camera)
    flow.read_card()
    clock.advance(core.settings.enrolment.step_timeout_s + 1)
    with pytest.raises(UserFacingError) as info:
        flow.consent(True)
    assert info.value.message_key == "enrol.timeout"
    assert _step(flow) is EnrolStep.FAILED
    _nothing_written(core)


def test_the_idle_check_times_out_too(core: Core, camera: FakeCamera, clock: FakeClock) -> None:
    flow = _flow(core, camera)
    flow.check_timeout()
    clock.advance(core.settings.enrolment.step_timeout_s + 1)
    with pytest.raises(UserFacingError):
        flow.check_timeout()
    assert _step(flow) is EnrolStep.FAILED


def test_steps_out_of_order_are_a_bug(core: Core, camera: FakeCamera) -> None:
    flow = _flow(core, camera)
    with pytest.raises(FlowError):
        flow.enter_pin(PIN)
    with pytest.raises(FlowError):
        flow.cadre_confirms_identity()


def _cadre(core: Core) -> Witness:
    did = enrol_someone(core, pin="605182", card=make_card(name="王建国", birth=date(1971, 6, 2), serial="113"))
    return Witness(did, didm.key_id(did, 0), core.keystore.unlock(did, "605182", core.time.now))


def test_someone_already_enrolled_is_sent_to_a_cadre(core: Core, camera: FakeCamera) -> None:
    enrol_someone(core)
    flow = _flow(core, camera)
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == "enrol.already_enrolled"


def test_with_a_cadre_an_enrolled_person_recovers_their_identity(core: Core, camera: FakeCamera) -> None:
    did = enrol_someone(core, face_template=fake_template("villager"))
    cadre = _cadre(core)
    flow = _flow(core, camera, face=FakeFaceAnalyser(), witness=cadre, mode=EnrolMode.ASSISTED)
    assert flow.read_card().recovery
    flow.consent(True)
    flow.capture_face(lambda _h: None)
    flow.enter_pin("730561")
    receipt = flow.confirm_pin("730561")
    assert receipt.did == did
    assert receipt.tx_type == "did.rotate"
    env = envelope.parse(outbox.pending(core.db.conn, 10)[-1].envelope)
    verify(env, core.registry.resolver)
    assert audit.entries(core.db.conn)[-1].action == "identity.recovered"


def test_recovery_matches_the_face_enrolled_here(core: Core, camera: FakeCamera) -> None:
    enrol_someone(core, face_template=fake_template("villager"))
    cadre = _cadre(core)
    impostor = FakeFaceAnalyser([FakeCaptureScript(person="impostor")])
    flow = _flow(core, camera, face=impostor, witness=cadre, mode=EnrolMode.ASSISTED)
    flow.read_card()
    flow.consent(True)
    with pytest.raises(UserFacingError) as info:
        flow.capture_face(lambda _h: None)
    assert info.value.message_key == "face.no_match"


def test_a_cadre_can_stand_in_for_a_face_the_camera_cannot_read(core: Core, camera: FakeCamera) -> None:
    cadre = _cadre(core)
    face = FakeFaceAnalyser([FakeCaptureScript(FakeOutcome.NO_FACE)])
    flow = _flow(core, camera, make_card(serial="517"), face=face, witness=cadre, mode=EnrolMode.PROXY)
    flow.read_card()
    flow.consent(True)
    with pytest.raises(UserFacingError):
        flow.capture_face(lambda _h: None)
    flow.cadre_confirms_identity()
    flow.enter_pin(PIN)
    flow.confirm_pin(PIN)
    env = envelope.parse(outbox.pending(core.db.conn, 10)[-1].envelope)
    verify(env, core.registry.resolver)
    assert env.body["identity_check"] == "cadre"
    assert env.body["mode"] == "proxy"
    assert env.body["witness"] == cadre.did


@pytest.mark.logs_errors
def test_a_full_disk_is_a_clear_error_and_loses_nothing(core: Core, camera: FakeCamera) -> None:
    enrol_someone(core, card=make_card(name="李桂芝", serial="517"))
    before = core.db.read("SELECT COUNT(*) FROM outbox")[0][0]
    pages = core.db.conn.execute("PRAGMA page_count").fetchone()[0]
    core.db.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full: not one more page
    flow = _flow(core, camera)
    _run_to_pin(flow)
    flow.enter_pin(PIN)
    with pytest.raises(UserFacingError) as info:
        flow.confirm_pin(PIN)
    assert info.value.message_key == "store.full"
    assert _step(flow) is EnrolStep.FAILED
    assert flow._draft.pin is None
    core.db.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    assert core.db.read("SELECT COUNT(*) FROM outbox")[0][0] == before
    assert core.db.read("SELECT COUNT(*) FROM person")[0][0] == 1
    assert core.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # and once there is room again, the same villager enrols
    again = _flow(core, camera)
    _run_to_pin(again)
    again.enter_pin(PIN)
    again.confirm_pin(PIN)
    assert core.db.read("SELECT COUNT(*) FROM outbox")[0][0] == before + 1
