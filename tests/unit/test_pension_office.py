"""The pension check through the county: the bridge's intake takes it from the pensioner only, and the simulated
social-security office answers it from the ledger, once per block, in plain words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

from drivers.fake.camera import FakeCamera
from drivers.fake.face import FakeCaptureScript, FakeFaceAnalyser, FakeOutcome, fake_template
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.store import outbox
from kiosk.tx.receipt import verify_rejection
from kiosk.tx.verify import PublicKey
from sync.county.intake import Intake
from sync.county.ledger import SqliteLedger
from sync.county.pension_office import PensionOffice, next_due
from sync.county.registry import KioskRegistry
from sync.topics import KioskTopics
from tests.helpers import enrol_someone, make_card
from tests.unit.test_intake import _signed_by
from tests.unit.test_pension_flow import CADRE_PIN, PIN, World

ED = get_suite("ed25519")


@pytest.fixture
def world(core: Core) -> Iterator[World]:
    cam = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=200)
    yield World(core, cam, enrol_someone(core, PIN, face_template=fake_template("villager")))
    cam.close()


@pytest.fixture
def county(tmp_path: Path, world: World) -> Iterator[tuple[Intake, Signer]]:
    core = world.core
    signer = ED.signer(ED.generate())
    registry = KioskRegistry(tmp_path / "county" / "registry.sqlite3")
    registry.register(
        core.device.county_id, core.device.kiosk_id, PublicKey(core.device.suite, core.device.public_key), 1
    )
    ledger = SqliteLedger(tmp_path / "county" / "ledger.sqlite3", core.device.county_id, signer, max_block_txs=100)
    yield Intake(core.device.county_id, ledger, registry, signer), signer
    ledger.close()
    registry.close()


def _send_all(world: World, intake: Intake) -> list[tuple[str, bytes]]:
    """Offer every queued transaction in order; what was answered at once (refusals), by tx id."""
    topic = KioskTopics(world.core.device.county_id, world.core.device.kiosk_id).up_tx
    taken: list[tuple[str, bytes]] = []
    answered: list[tuple[str, bytes]] = []
    for item in outbox.pending(world.core.db.conn, 100):
        out, take = intake.accept(topic, item.envelope)
        if take is not None:
            taken.append(take)
        answered.extend((item.id, o.payload) for o in out)
    intake.submit(taken)
    intake.seal(0, force=True)
    return answered


def test_checks_are_committed_and_answered_in_plain_words(
    world: World, county: tuple[Intake, Signer], tmp_path: Path
) -> None:
    intake, _ = county
    passed = world.flow(FakeFaceAnalyser()).capture_face(lambda _h: None)
    once = world.core.settings.enrolment.model_copy(update={"max_retries": 1})
    flow = world.flow(FakeFaceAnalyser([FakeCaptureScript(FakeOutcome.NOT_LIVE)]), once)
    with pytest.raises(Exception, match=r"pension\.not_live\.final"):
        flow.capture_face(lambda _h: None)
    by_cadre = flow.cadre_confirms(world.cadre(), CADRE_PIN)
    assert _send_all(world, intake) == []
    assert intake.ledger.receipt(passed.tx_id) is not None

    office = PensionOffice(tmp_path / "office.sqlite3")
    answers = office.scan(intake.ledger, 1234)
    got = {a.payload["request"]: a.payload for a in answers}
    assert {a.kiosk for a in answers} == {world.core.device.kiosk_id}
    ok = got[passed.tx_id]
    assert ok["status"] == "approved" and ok["service"] == "pension.proof_of_life" and ok["did"] == world.did
    assert ok["reason"] == "认证成功，请在明年（2027年11月）底前再来认证" and ok["next_due"] == "2027-11-30"
    failed = [p for p in got.values() if p["status"] == "rejected"]
    assert len(failed) == 1 and failed[0]["reason"].startswith("没有通过活体检查，请本人带身份证到乡镇社保所")
    assert got[by_cadre.tx_id]["reason"].startswith("认证成功（村干部当面认证）")
    assert office.qualified(world.did, "2026") == "face_match" and office.qualified(world.did, "2025") is None
    assert office.scan(intake.ledger, 2000) == []  # each block is read once
    office.close()


def test_a_check_signed_by_someone_else_than_the_pensioner_is_refused(
    world: World, county: tuple[Intake, Signer]
) -> None:
    intake, signer = county
    core = world.core
    neighbour = enrol_someone(core, PIN, card=make_card(name="李建国", serial="777"))
    assert _send_all(world, intake) == []  # the enrolments: both DIDs known
    body: dict[str, object] = {
        "did": world.did,
        "period": "2026",
        "outcome": "failed",
        "check": "face_match",
        "reason": "no_face",
        "face": None,
        "tries": 3,
        "witness": None,
        "clock": "ntp",
    }
    raw = _signed_by(core, "pension.proof_of_life", body, neighbour)
    out, take = intake.accept(KioskTopics(core.device.county_id, core.device.kiosk_id).up_tx, raw)
    assert take is None
    ack = canonical.loads(out[0].payload)
    reason = verify_rejection(
        ack, ack["tx"], PublicKey(signer.suite.name, signer.public_key), county=core.device.county_id
    )
    assert reason.startswith("invalid_body") and "another DID" in reason


def test_the_next_check_is_due_by_the_end_of_the_same_month_next_year() -> None:
    def ms(y: int, m: int, d: int, h: int = 12) -> int:
        return int(datetime(y, m, d, h, tzinfo=UTC).timestamp() * 1000)

    assert next_due(ms(2026, 2, 10)) == date(2027, 2, 28)
    assert next_due(ms(2027, 2, 10)) == date(2028, 2, 29)
    assert next_due(ms(2026, 12, 31, 20)) == date(2028, 1, 31)  # 04:00 on 1 January in the county
    assert next_due(ms(2026, 6, 1)) == date(2027, 6, 30)
