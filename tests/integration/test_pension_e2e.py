"""The yearly pension check through real processes: the kiosk's PensionCheckFlow on fakes (camera, face analyser,
clock) over a real kiosk database queues `pension.proof_of_life`; `lxt-sync` carries it up through a real
mosquitto to a real `lxt-county bridge`, and `lxt-county pension-office --once` reads the ledger and answers
through the kiosk's inbox. The kiosk then holds the office's `service_status` answer, in plain words, with the
date the next check is due.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from drivers.fake.camera import FakeCamera
from drivers.fake.face import FakeFaceAnalyser, fake_template
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.flows import pension
from kiosk.flows.pension import PensionCheckFlow, PensionServices
from kiosk.flows.signin import VillagerSession
from kiosk.store import outbox
from sync.county.pension_office import next_due
from tests.helpers import enrol_someone
from tests.integration.desks import PartyDesk, kiosk_beside_county, printed
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import BIN, County, Kiosk, Proc, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PIN = "382917"


class PensionOfficeDesk(PartyDesk):
    """The social-security office's state file and its `lxt-county pension-office` runs (no catalog, no keys)."""

    def __init__(self, root: Path, county: County) -> None:
        super().__init__(root, county, root / "unused-catalog.json", root / "pension-office.sqlite3", [])

    def answer_once(self, broker: Mosquitto) -> Proc:
        argv = [str(BIN / "lxt-county"), "pension-office", "--ledger", str(self.county.ledger)]
        argv += ["--state", str(self.state), "--county-key", str(self.county.key), "--once"]
        argv += [*self.broker_args(broker), "--client-id", "lxt-pension-office"]
        return self.run("pension-office", argv)

    def qualified(self, did: str) -> tuple[str, dict[str, str]]:
        """(how the villager qualified, {period, due}) as the office recorded it."""
        sql = "SELECT check_kind, json_object('period', period, 'due', due) FROM qualified WHERE did = ?"
        return self.row(sql, did, "the pension office")


@pytest.fixture
def kiosk_core(tmp_path: Path) -> Iterator[tuple[County, Kiosk, Core]]:
    with kiosk_beside_county(tmp_path) as world:
        yield world


@pytest.fixture
def camera() -> Iterator[FakeCamera]:
    cam = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=200)
    yield cam
    cam.close()


def _flow(core: Core, camera: FakeCamera, did: str) -> PensionCheckFlow:
    services = PensionServices(
        core.db,
        core.time,
        core.device,
        core.device_signer,
        core.keystore,
        core.registry,
        camera,
        FakeFaceAnalyser(),
        core.settings.enrolment,
    )
    return PensionCheckFlow(services, VillagerSession(did, "张秀兰", core.keystore.unlock(did, PIN, core.time.now)))


def test_a_pension_check_at_the_kiosk_is_answered_by_the_office_through_the_broker(
    tmp_path: Path, mosquitto: Mosquitto, kiosk_core: tuple[County, Kiosk, Core], camera: FakeCamera
) -> None:
    county, kiosk, core = kiosk_core
    desk = PensionOfficeDesk(tmp_path / "pension-office", county)
    did = enrol_someone(core, PIN, face_template=fake_template("villager"))
    receipt = _flow(core, camera, did).capture_face(lambda _hint: None)
    assert receipt.outcome == "passed" and receipt.check == "face_match"
    item = outbox.get(core.db.conn, receipt.tx_id)
    assert item is not None
    due = next_due(int(canonical.loads(item.envelope)["ts"])).isoformat()  # a year on from when it was signed

    county.bridge(mosquitto)
    kiosk.sync(mosquitto)
    queued = sum(kiosk.states().values())  # the enrolment and the pension check
    assert queued == 2
    wait_for("enrolment and pension check committed", lambda: kiosk.all_committed(queued))
    assert receipt.tx_id in county.committed()

    (before,) = pension.checks(core.db, did)
    assert before.committed and before.answer == "" and before.next_due is None  # nothing from the office yet

    answered = desk.answer_once(mosquitto)
    assert printed(answered) == [{"request": receipt.tx_id, "status": "approved"}]

    def answered_here() -> bool:
        return pension.checks(core.db, did)[0].next_due is not None

    wait_for("the office's answer in the kiosk's inbox", answered_here)
    (check,) = pension.checks(core.db, did)
    assert check.tx_id == receipt.tx_id and check.period == receipt.period
    assert check.next_due == due
    year, month = int(due[:4]), int(due[5:7])
    assert check.answer == f"认证成功，请在明年（{year}年{month}月）底前再来认证"
    assert [r[0] for r in core.db.read("SELECT kind FROM inbox")] == ["service_status"]

    how, seen = desk.qualified(did)
    assert how == "face_match" and seen == {"period": receipt.period, "due": due}

    again = desk.answer_once(mosquitto)  # the office reads each block once: nothing new to answer
    assert printed(again) == []
