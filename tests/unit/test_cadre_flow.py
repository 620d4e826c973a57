"""Cadre mode's core on fakes: the roster at the border, the entry (card, roster, PIN), the witness at the end of an
enrolment, the audit of every cadre action, the queue with a rejected item and its resend, and today's activity."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import numpy as np
import pytest

from drivers.fake.camera import FakeCamera
from drivers.fake.face import FakeFaceAnalyser, fake_template
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.domain.idcard import IdCard
from kiosk.errors import UserFacingError
from kiosk.flows.cadre import CadreDesk, CadreEntryFlow, CadreSession, CadreStep
from kiosk.flows.enrolment import EnrolmentDevices, EnrolmentFlow, EnrolStep, FlowError
from kiosk.flows.signin import SignInFlow
from kiosk.identity.roster import InvalidRoster, load_roster, parse_roles
from kiosk.store import activity, audit, deliveries, outbox
from kiosk.tx import envelope
from kiosk.tx.bodies import EnrolMode
from kiosk.tx.envelope import SignerRole
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone, make_card
from tests.unit.test_enrolment_flow import ScriptedReader

CADRE_PIN = "605182"
VILLAGER_PIN = "382917"
CADRE_CARD = make_card(name="王建国", birth=date(1971, 6, 2), serial="113")


@pytest.fixture
def camera() -> Iterator[FakeCamera]:
    cam = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=200)
    yield cam
    cam.close()


def publish_roster(core: Core, *dids: str, version: int = 1) -> None:
    """Stands in for lxt-sync storing the county's verified `roles` broadcast."""
    payload = {"cadres": [{"did": d, "name": "王建国", "village": "张庄村"} for d in dids]}
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES ('roles', ?, ?, 0) "
            "ON CONFLICT (kind) DO UPDATE SET version = excluded.version, payload = excluded.payload",
            (version, canonical.dumps(payload).decode()),
        )


def _desk(core: Core) -> CadreDesk:
    return CadreDesk(core.db, core.time, core.device.kiosk_id)


def _entry(core: Core, card: IdCard = CADRE_CARD) -> CadreEntryFlow:
    signin = SignInFlow(core.registry, core.keystore, ScriptedReader(card), core.time, core.settings.enrolment)
    return CadreEntryFlow(signin, _desk(core), core.keystore, core.time)


def _step(flow: CadreEntryFlow) -> CadreStep:
    return flow.step  # read fresh: mypy would keep an earlier assert's narrowing


def _estep(flow: EnrolmentFlow) -> EnrolStep:
    return flow.step


def _cadre_actions(core: Core) -> list[dict[str, object]]:
    return [
        json.loads(e.detail) | {"actor": e.actor}
        for e in audit.entries(core.db.conn)
        if e.action == audit.AuditAction.CADRE_ACTION.value
    ]


def enter_as_cadre(core: Core) -> CadreSession:
    did = enrol_someone(core, CADRE_PIN, CADRE_CARD, fake_template("villager"))  # the fake camera's face
    publish_roster(core, did)
    flow = _entry(core)
    assert flow.read_card() == "王建国"
    return flow.enter_pin(CADRE_PIN)


# --- the roster -------------------------------------------------------------------------------------------


def test_a_roster_is_read_from_the_roles_broadcast(core: Core) -> None:
    with core.db.transaction() as conn:
        assert load_roster(conn) is None
    did = enrol_someone(core, CADRE_PIN, CADRE_CARD)
    publish_roster(core, did, version=3)
    with core.db.transaction() as conn:
        roster = load_roster(conn)
    assert roster is not None and roster.version == 3
    cadre = roster.find(did)
    assert cadre is not None and (cadre.name, cadre.village) == ("王建国", "张庄村")
    assert roster.find("did:lxt:410225:11111111111111111111") is None


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({}, "cadres"),
        ({"cadres": [{"did": "did:web:example.com", "name": "王", "village": "张庄村"}]}, "did"),
        ({"cadres": [{"did": "did:lxt:410225:11111111111111111111", "name": "", "village": "张庄村"}]}, "name"),
        ({"cadres": [{"did": "did:lxt:410225:11111111111111111111", "name": "王", "village": "x", "pin": 1}]}, "pin"),
        ({"cadres": "王建国"}, "cadres"),
        ([], "payload"),
    ],
)
def test_a_roster_that_does_not_fit_is_refused_with_its_reason(payload: object, problem: str) -> None:
    with pytest.raises(InvalidRoster, match=problem):
        parse_roles(payload)


def test_a_did_listed_twice_is_refused() -> None:
    entry = {"did": "did:lxt:410225:11111111111111111111", "name": "王建国", "village": "张庄村"}
    with pytest.raises(InvalidRoster, match="twice"):
        parse_roles({"cadres": [entry, entry]})


def test_a_malformed_roster_held_means_no_cadres(core: Core, caplog: pytest.LogCaptureFixture) -> None:
    with core.db.transaction() as conn:
        conn.execute("INSERT INTO broadcast (kind, version, payload, received_ms) VALUES ('roles', 2, '[]', 0)")
    with core.db.transaction() as conn:
        assert load_roster(conn) is None
    assert "not usable" in caplog.text


# --- the entry ----------------------------------------------------------------------------------------------


def test_no_roster_refuses_calmly_and_is_audited(core: Core) -> None:
    enrol_someone(core, CADRE_PIN, CADRE_CARD)
    flow = _entry(core)
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == "cadre.no_roster"
    assert flow.step is CadreStep.REFUSED
    assert _cadre_actions(core)[-1] == {"action": "refused", "why": "no_roster", "actor": "unknown"}


def test_someone_enrolled_but_not_on_the_roster_is_refused(core: Core) -> None:
    other = enrol_someone(core, VILLAGER_PIN, make_card())
    publish_roster(core, enrol_someone(core, CADRE_PIN, CADRE_CARD))
    flow = _entry(core, make_card())
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == "cadre.not_cadre"
    assert flow.step is CadreStep.REFUSED
    assert _cadre_actions(core)[-1] == {"action": "refused", "why": "not_on_roster", "actor": other}


def test_someone_not_enrolled_here_is_not_a_cadre(core: Core) -> None:
    publish_roster(core, enrol_someone(core, CADRE_PIN, CADRE_CARD))
    flow = _entry(core, make_card(serial="517"))
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == "cadre.not_cadre"


def test_a_cadre_enters_with_card_and_pin_and_the_session_holds_their_key(core: Core) -> None:
    did = enrol_someone(core, CADRE_PIN, CADRE_CARD)
    publish_roster(core, did)
    flow = _entry(core)
    flow.read_card()
    with pytest.raises(UserFacingError) as info:
        flow.enter_pin("246813")
    assert info.value.params == {"remaining": 4}
    assert flow.step is CadreStep.PIN
    session = flow.enter_pin(CADRE_PIN)
    assert _step(flow) is CadreStep.ADMITTED
    assert (session.did, session.name, session.kid) == (did, "王建国", f"{did}#k0")
    assert session.signer is not None and session.signer.public_key == core.keystore.get(did).public_key
    assert _cadre_actions(core)[-1] == {"action": "entered", "actor": did}
    assert "王建国" not in repr(session)
    session.wipe()
    assert not session.active and session.name == ""


def test_five_wrong_pins_lock_the_cadre_out(core: Core) -> None:
    publish_roster(core, enrol_someone(core, CADRE_PIN, CADRE_CARD))
    flow = _entry(core)
    flow.read_card()
    for _ in range(4):
        with pytest.raises(UserFacingError):
            flow.enter_pin("246813")
    with pytest.raises(UserFacingError) as info:
        flow.enter_pin("246813")
    assert info.value.message_key == "pin.locked"
    assert flow.step is CadreStep.LOCKED


# --- the witness at the end -----------------------------------------------------------------------------------


def _witnessed(core: Core, camera: FakeCamera, session: CadreSession, card: IdCard, mode: EnrolMode) -> EnrolmentFlow:
    devices = EnrolmentDevices(ScriptedReader(card), camera, FakeFaceAnalyser())
    flow = EnrolmentFlow(core.registry, devices, core.time, core.settings.enrolment, mode, witness_at_end=session)
    flow.read_card()
    flow.consent(True)
    flow.capture_face(lambda _h: None)
    flow.enter_pin(VILLAGER_PIN)
    flow.pins_agree(VILLAGER_PIN)
    assert flow.step is EnrolStep.WITNESS
    return flow


def test_an_assisted_enrolment_ends_with_the_cadres_pin_and_signature(core: Core, camera: FakeCamera) -> None:
    session = enter_as_cadre(core)
    flow = _witnessed(core, camera, session, make_card(), EnrolMode.ASSISTED)
    with pytest.raises(FlowError):
        flow.confirm_pin(VILLAGER_PIN)
    with pytest.raises(UserFacingError) as info:
        flow.witness_signs("246813")
    assert info.value.message_key == "pin.wrong"
    assert flow.step is EnrolStep.WITNESS  # the cadre may try again; nothing was written
    assert len(outbox.pending(core.db.conn, 10)) == 1  # the cadre's own enrolment only
    receipt = flow.witness_signs(CADRE_PIN)
    assert _estep(flow) is EnrolStep.DONE
    env = envelope.parse(outbox.pending(core.db.conn, 10)[-1].envelope)
    verify(env, core.registry.resolver)
    assert env.id == receipt.tx_id
    assert (env.body["mode"], env.body["witness"]) == ("assisted", session.did)
    cadre_sig = [s for s in env.sigs if s.role is SignerRole.CADRE]
    assert [s.kid for s in cadre_sig] == [session.kid]
    assert session.active  # the cadre's key stays for the next villager, until cadre mode ends
    enrolled = audit.entries(core.db.conn)[-1]
    assert (enrolled.action, enrolled.actor) == ("identity.enrolled", session.did)


def test_a_villager_pin_mismatch_is_found_before_the_cadre_is_asked(core: Core, camera: FakeCamera) -> None:
    session = enter_as_cadre(core)
    devices = EnrolmentDevices(ScriptedReader(make_card()), camera, FakeFaceAnalyser())
    flow = EnrolmentFlow(
        core.registry, devices, core.time, core.settings.enrolment, EnrolMode.PROXY, witness_at_end=session
    )
    flow.read_card()
    flow.consent(True)
    flow.capture_face(lambda _h: None)
    flow.enter_pin(VILLAGER_PIN)
    with pytest.raises(UserFacingError) as info:
        flow.pins_agree("730561")
    assert info.value.message_key == "pin.mismatch"
    assert flow.step is EnrolStep.PIN


def test_a_cadre_locked_at_the_witness_step_ends_the_enrolment_and_the_session(core: Core, camera: FakeCamera) -> None:
    session = enter_as_cadre(core)
    flow = _witnessed(core, camera, session, make_card(), EnrolMode.PROXY)
    for _ in range(4):
        with pytest.raises(UserFacingError):
            flow.witness_signs("246813")
    with pytest.raises(UserFacingError) as info:
        flow.witness_signs("246813")
    assert info.value.message_key == "cadre.witness_locked"
    assert flow.step is EnrolStep.FAILED
    assert not session.active
    assert len(outbox.pending(core.db.conn, 10)) == 1


def test_a_cadre_cannot_witness_the_recovery_of_their_own_key(core: Core, camera: FakeCamera) -> None:
    session = enter_as_cadre(core)
    flow = _witnessed(core, camera, session, CADRE_CARD, EnrolMode.ASSISTED)
    with pytest.raises(UserFacingError) as info:
        flow.witness_signs(CADRE_PIN)
    assert info.value.message_key == "cadre.self_witness"
    assert len(outbox.pending(core.db.conn, 10)) == 1


def test_a_flow_has_one_kind_of_witness(core: Core, camera: FakeCamera) -> None:
    session = enter_as_cadre(core)
    devices = EnrolmentDevices(ScriptedReader(make_card()), camera, FakeFaceAnalyser())
    cfg = core.settings.enrolment
    with pytest.raises(FlowError):
        EnrolmentFlow(core.registry, devices, core.time, cfg, EnrolMode.SELF, witness_at_end=session)
    with pytest.raises(FlowError):
        EnrolmentFlow(
            core.registry, devices, core.time, cfg, EnrolMode.ASSISTED, session.unlock_witness(CADRE_PIN), session
        )


# --- the queue and today ----------------------------------------------------------------------------------------


def test_the_queue_shows_a_rejected_item_with_its_reason_and_resends_what_can_be_cured(
    core: Core, camera: FakeCamera
) -> None:
    session = enter_as_cadre(core)
    flow = _witnessed(core, camera, session, make_card(), EnrolMode.ASSISTED)
    tx_assisted = flow.witness_signs(CADRE_PIN).tx_id
    first = outbox.pending(core.db.conn, 10)[0].id  # the cadre's own enrolment
    with core.db.transaction() as conn:
        outbox.mark_rejected(conn, tx_assisted, "unknown_kiosk: 410225/zhangzhuang-01 is not registered", 5)
        outbox.mark_committed(conn, first, b"receipt", 6)
    with core.db.transaction() as conn:
        items = activity.queue(conn)
        counts = activity.queue_counts(conn)
    assert counts == activity.QueueCounts(pending=0, sent=1, rejected=1)
    rejected = items[0]
    assert rejected.state is activity.QueueState.REJECTED and rejected.mode == "assisted"
    assert rejected.reason is not None and rejected.reason.startswith("unknown_kiosk")
    assert rejected.retryable
    assert items[1].state is activity.QueueState.SENT and not items[1].retryable
    with core.db.transaction() as conn:
        assert activity.requeue_rejected(conn, tx_assisted) is not None
        assert activity.requeue_rejected(conn, tx_assisted) is None  # once
        assert activity.requeue_rejected(conn, first) is None  # a committed row stays committed
    assert [i.id for i in outbox.pending(core.db.conn, 10)] == [tx_assisted]


def test_a_rejection_a_resend_cannot_cure_is_not_resent(core: Core) -> None:
    enrol_someone(core)
    tx_id = outbox.pending(core.db.conn, 10)[0].id
    with core.db.transaction() as conn:
        outbox.mark_rejected(conn, tx_id, "bad_signature: the device signature does not verify", 5)
        assert not activity.queue(conn)[0].retryable
        assert activity.requeue_rejected(conn, tx_id) is None


def test_today_counts_enrolments_by_mode_and_lists_what_happened(core: Core, camera: FakeCamera) -> None:
    session = enter_as_cadre(core)  # a self enrolment (the cadre's own) and an entry
    _witnessed(core, camera, session, make_card(), EnrolMode.PROXY).witness_signs(CADRE_PIN)
    with core.db.transaction() as conn:
        day = activity.today(conn, core.time.now().at)
    assert day.enrolled == {"self": 1, "assisted": 0, "proxy": 1}
    assert day.enrolled_total == 2
    kinds = [(i.kind, i.mode) for i in day.items]
    assert kinds == [
        (activity.ActivityKind.ENROLLED, "proxy"),
        (activity.ActivityKind.CADRE_ENTERED, None),
        (activity.ActivityKind.ENROLLED, "self"),
    ]
    with core.db.transaction() as conn:  # tomorrow, none of it is today's
        assert activity.today(conn, datetime(2100, 1, 1, tzinfo=UTC)).items == []


def test_the_day_is_the_countys_day() -> None:
    # 23:30 UTC is 07:30 the next morning in Lankao: the day began at 16:00 UTC.
    start = activity.day_start_ms(datetime(2026, 3, 4, 23, 30, tzinfo=UTC))
    assert start == int(datetime(2026, 3, 4, 16, 0, tzinfo=UTC).timestamp() * 1000)


def test_desk_records_an_action_without_personal_data(core: Core) -> None:
    desk = _desk(core)
    from kiosk.flows.cadre import CadreAction

    desk.record("did:lxt:410225:11111111111111111111", CadreAction.VIEWED_QUEUE)
    last = audit.entries(core.db.conn)[-1]
    assert (last.action, last.subject) == ("cadre.action", core.device.kiosk_id)
    assert json.loads(last.detail) == {"action": "viewed_queue"}
    assert deliveries.broadcast(core.db.conn, "roles") is None
