"""A whole loan application through real processes (issue 6, "what it must show" 1).

The kiosk side is the LoanFlow on fakes (document check, clock) over a real kiosk database; the county publishes
the catalog with `lxt-county console publish`, `lxt-sync` carries the broadcast down and loan.apply up through a
real mosquitto to a real `lxt-county bridge`, and `lxt-county bank --once` reads the ledger and answers through
the kiosk's inbox. The kiosk then holds the approval, and the bank's state shows it received only the claims
the product asks for; the bank's next pass pays the approved amount out, and the kiosk's history ends in 已放款.
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
from kiosk.flows.loan import LoanFlow, LoanServices
from kiosk.flows.signin import VillagerSession
from kiosk.loans import status as st
from tests.helpers import enrol_someone
from tests.integration.desks import PartyDesk, broadcast_held, kiosk_beside_county, printed, write_key
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import BIN, County, Kiosk, Proc, wait_for
from tests.unit.document_pages import page_photo, to_frame
from tests.unit.loan_world import BANK_ID, ED, REAL_NAME, catalog_payload, give_credential, trust_payload

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PIN = "382917"
REQUIRED = ("name", "age_over_18", "region")  # what catalog_payload's product asks of the real-name credential


class BankDesk(PartyDesk):
    """The bank's files (key, catalog, trust list, state) and its `lxt-county bank` runs."""

    def __init__(self, root: Path, county: County, bank_key: X25519PrivateKey, trust: list[dict[str, Any]]) -> None:
        super().__init__(root, county, root / "catalog.json", root / "bank.sqlite3", trust)
        self.key = write_key(root / "bank.key", bank_key)
        self.write_catalog(catalog_payload(bank_key))

    def publish_catalog(self, broker: Mosquitto) -> Proc:
        return self.publish("catalog", broker)

    def answer_once(self, broker: Mosquitto) -> Proc:
        argv = [str(BIN / "lxt-county"), "bank", "--bank", BANK_ID, "--bank-key", str(self.key)]
        argv += ["--catalog", str(self.catalog), "--trust", str(self.trust), "--ledger", str(self.county.ledger)]
        argv += ["--bank-state", str(self.state), "--county-key", str(self.county.key), "--once"]
        argv += [*self.broker_args(broker), "--client-id", "lxt-bank"]
        return self.run("bank", argv)

    def received(self, application: str) -> tuple[str, dict[str, Any]]:
        return self.row("SELECT status, claims FROM received WHERE application = ?", application, "the bank")


@pytest.fixture
def kiosk_core(tmp_path: Path) -> Iterator[tuple[County, Kiosk, Core]]:
    with kiosk_beside_county(tmp_path) as world:
        yield world


def _catalog_held(core: Core) -> bool:
    return broadcast_held(core, "catalog")


def test_a_loan_is_applied_for_at_the_kiosk_and_approved_by_the_bank_through_the_broker(
    tmp_path: Path, mosquitto: Mosquitto, kiosk_core: tuple[County, Kiosk, Core]
) -> None:
    county, kiosk, core = kiosk_core
    bank_key, issuer = X25519PrivateKey.generate(), ED.signer(ED.generate())
    desk = BankDesk(tmp_path / "bank", county, bank_key, [trust_payload(issuer)])
    did = enrol_someone(core, PIN)
    wallet = Wallet(core.db, core.device.secret)
    give_credential(core, wallet, did, issuer)

    county.bridge(mosquitto)
    kiosk.sync(mosquitto)
    desk.publish_catalog(mosquitto)
    wait_for("the signed catalog to reach the kiosk", lambda: _catalog_held(core))

    services = LoanServices(
        core.db,
        core.time,
        core.device,
        core.device_signer,
        core.keystore,
        wallet,
        FakeDocumentChecker([GOOD_PAGE]),
        core.settings.loans,
    )
    flow = LoanFlow(services, VillagerSession(did, "张秀兰", None))
    flow.choose("huinong-01")
    flow.start_form()
    flow.fill("种大蒜", 5_000_000, 12)
    assert flow.photograph("land_photo", to_frame(page_photo())).ok
    flow.review()
    receipt = flow.confirm(PIN)

    queued = sum(kiosk.states().values())  # the enrolment, loan.apply and its consent receipt
    assert queued == 3
    wait_for("enrolment, loan.apply and consent committed", lambda: kiosk.all_committed(queued))
    assert receipt.tx_id in county.committed()

    answered = desk.answer_once(mosquitto)
    assert printed(answered) == [
        {"application": receipt.number, "status": "received"},
        {"application": receipt.number, "status": "under_review"},
        {"application": receipt.number, "status": "approved"},
    ]

    def approved() -> bool:
        return st.applications(core.db.conn, did)[0].status is st.LoanStatus.APPROVED

    wait_for("the bank's approval in the kiosk's inbox", approved)
    app = st.applications(core.db.conn, did)[0]
    assert app.number == receipt.number and app.amount_fen == 5_000_000
    assert [e.words() for e in app.history] == ["银行已收到", "银行审核中", "已批准：5万元"]
    assert app.history[-1].amount_fen == 5_000_000

    status, claims = desk.received(receipt.number)
    assert status == "approved"
    assert claims == {Vct.REAL_NAME.value: {k: REAL_NAME[k] for k in REQUIRED}}  # not sex, birth date, ID digest

    paid = desk.answer_once(mosquitto)  # the next pass: no new block, the approval is paid out
    assert printed(paid) == [{"application": receipt.number, "status": "disbursed"}]

    def disbursed() -> bool:
        return st.applications(core.db.conn, did)[0].status is st.LoanStatus.DISBURSED

    wait_for("the bank's disbursement in the kiosk's inbox", disbursed)
    app = st.applications(core.db.conn, did)[0]
    assert [e.words() for e in app.history] == ["银行已收到", "银行审核中", "已批准：5万元", "已放款：5万元"]
    assert app.history[-1].amount_fen == 5_000_000 and not app.can_withdraw
    assert desk.received(receipt.number)[0] == "disbursed"

    again = desk.answer_once(mosquitto)  # the bank reads each block once and pays once: nothing new to answer
    assert printed(again) == []
