"""A whole government service request through real processes (issue 6, 零跑腿).

The kiosk side is the ServiceFlow on fakes (document check, clock) over a real kiosk database; the county publishes
the services catalog with `lxt-county console publish services`, `lxt-sync` carries the broadcast down and
service.request up through a real mosquitto to a real `lxt-county bridge`, and `lxt-county office --once` reads
the ledger, opens the sealed answers and answers through the kiosk's inbox. The kiosk then holds the approval with
its history, and the office's state shows it saw only the fields the form asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.document import GOOD_PAGE, FakeDocumentChecker
from kiosk.core import Core
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Wallet
from kiosk.flows.service import ServiceFlow, ServiceServices
from kiosk.flows.signin import VillagerSession
from kiosk.services import status as st
from tests.helpers import enrol_someone
from tests.integration.desks import PartyDesk, broadcast_held, kiosk_beside_county, printed, write_key
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import BIN, County, Kiosk, Proc, wait_for
from tests.unit.document_pages import page_photo, to_frame
from tests.unit.loan_world import ED, REAL_NAME, give_credential, trust_payload
from tests.unit.services_world import ALLOWANCE, ALLOWANCE_ANSWERS, DPF, office_keys, services_payload

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PIN = "382917"
PREFILLED = ("name", "sex", "birth_date", "region")  # what the allowance form takes from the real-name credential


class OfficeDesk(PartyDesk):
    """The office's files (keys, catalog, trust list, state) and its `lxt-county office` runs."""

    def __init__(self, root: Path, county: County, keys: dict[str, X25519PrivateKey], trust: list[Any]) -> None:
        super().__init__(root, county, root / "services.json", root / "office.sqlite3", trust)
        self.keys = {office: write_key(root / f"{office}.key", key) for office, key in keys.items()}
        self.write_catalog(services_payload(keys))

    def publish_catalog(self, broker: Mosquitto) -> Proc:
        return self.publish("services", broker)

    def answer_once(self, broker: Mosquitto) -> Proc:
        argv = [str(BIN / "lxt-county"), "office", "--office-key", f"{DPF}={self.keys[DPF]}"]
        argv += ["--catalog", str(self.catalog), "--trust", str(self.trust), "--ledger", str(self.county.ledger)]
        argv += ["--office-state", str(self.state), "--county-key", str(self.county.key), "--once"]
        argv += [*self.broker_args(broker), "--client-id", "lxt-office"]
        return self.run("office", argv)

    def received(self, request: str) -> tuple[str, dict[str, Any]]:
        return self.row("SELECT status, seen FROM received WHERE request = ?", request, "the office")


@pytest.fixture
def kiosk_core(tmp_path: Path) -> Iterator[tuple[County, Kiosk, Core]]:
    with kiosk_beside_county(tmp_path) as world:
        yield world


def _catalog_held(core: Core) -> bool:
    return broadcast_held(core, "services")


def test_a_service_request_is_made_at_the_kiosk_and_approved_by_the_office_through_the_broker(
    tmp_path: Path, mosquitto: Mosquitto, kiosk_core: tuple[County, Kiosk, Core]
) -> None:
    county, kiosk, core = kiosk_core
    keys, issuer = office_keys(), ED.signer(ED.generate())
    desk = OfficeDesk(tmp_path / "office", county, keys, [trust_payload(issuer)])
    did = enrol_someone(core, PIN)
    wallet = Wallet(core.db, core.device.secret)
    give_credential(core, wallet, did, issuer)

    county.bridge(mosquitto)
    kiosk.sync(mosquitto)
    desk.publish_catalog(mosquitto)
    wait_for("the signed services catalog to reach the kiosk", lambda: _catalog_held(core))

    services = ServiceServices(
        core.db,
        core.time,
        core.device,
        core.device_signer,
        core.keystore,
        wallet,
        FakeDocumentChecker([GOOD_PAGE]),
        core.settings.services,
    )
    flow = ServiceFlow(services, VillagerSession(did, "张秀兰", None))
    flow.choose(ALLOWANCE)
    form = {v.field.id: v for v in flow.start_form()}
    assert form["name"].prefilled and form["name"].value == "张秀兰"
    flow.fill(ALLOWANCE_ANSWERS)
    frame = to_frame(page_photo())
    assert flow.photograph("disability_card", frame).ok and flow.photograph("household_register", frame).ok
    flow.review()
    receipt = flow.confirm(PIN)

    queued = sum(kiosk.states().values())  # the enrolment, service.request and its consent receipt
    assert queued == 3
    wait_for("enrolment, service.request and consent committed", lambda: kiosk.all_committed(queued))
    assert receipt.tx_id in county.committed()

    answered = desk.answer_once(mosquitto)
    assert printed(answered) == [
        {"request": receipt.number, "status": "received"},
        {"request": receipt.number, "status": "approved"},
    ]

    def approved() -> bool:
        return st.requests(core.db.conn, did)[0].status is st.ServiceStatus.APPROVED

    wait_for("the office's approval in the kiosk's inbox", approved)
    (req,) = st.requests(core.db.conn, did)
    assert req.number == receipt.number and req.service_name == "残疾人两项补贴"
    assert [e.words() for e in req.history] == ["办理部门已收到", "已批准"]

    status, seen = desk.received(receipt.number)
    assert status == "approved"
    assert seen == {
        "answers": ALLOWANCE_ANSWERS,
        "claims": {Vct.REAL_NAME.value: {k: REAL_NAME[k] for k in PREFILLED}},
    }  # only the form's fields: not the ID digest, ethnicity or the age flags

    again = desk.answer_once(mosquitto)  # the office reads each block once: nothing new to answer
    assert printed(again) == []
