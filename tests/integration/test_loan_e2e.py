"""A whole loan application through real processes (issue 6, "what it must show" 1).

The kiosk side is the LoanFlow on fakes (document check, clock) over a real kiosk database; the county publishes
the catalog with `lxt-county console publish`, `lxt-sync` carries the broadcast down and loan.apply up through a
real mosquitto to a real `lxt-county bridge`, and `lxt-county bank --once` reads the ledger and answers through
the kiosk's inbox. The kiosk then holds the approval, and the bank's state shows it received only the claims
the product asks for.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from drivers.fake.clock import FakeClock
from drivers.fake.document import GOOD_PAGE, FakeDocumentChecker
from kiosk.core import Core, open_core
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Wallet
from kiosk.flows.loan import LoanFlow, LoanServices
from kiosk.flows.signin import VillagerSession
from kiosk.identity.evidence import generate_keypair
from kiosk.loans import status as st
from tests.conftest import make_settings
from tests.helpers import enrol_someone
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import BIN, County, Kiosk, Proc, wait_for
from tests.unit.document_pages import page_photo, to_frame
from tests.unit.loan_world import BANK_ID, ED, REAL_NAME, catalog_payload, give_credential, trust_payload

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PIN = "382917"
REQUIRED = ("name", "age_over_18", "region")  # what catalog_payload's product asks of the real-name credential


class BankDesk:
    """The bank's files (key, catalog, trust list, state) and its `lxt-county bank` runs, each ended by pid."""

    def __init__(self, root: Path, county: County, bank_key: X25519PrivateKey, trust: list[dict[str, Any]]) -> None:
        self.root, self.county = root, county
        root.mkdir(parents=True, exist_ok=True)
        self.key = root / "bank.key"
        self.key.write_bytes(bank_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
        self.catalog = root / "catalog.json"
        self.catalog.write_text(json.dumps(catalog_payload(bank_key), ensure_ascii=False), encoding="utf-8")
        self.trust = root / "trust.json"
        self.trust.write_text(json.dumps(trust), encoding="utf-8")
        self.state = root / "bank.sqlite3"
        self.runs = 0

    def _broker(self, broker: Mosquitto) -> list[str]:
        return ["--county", self.county.county, "--host", broker.host, "--port", str(broker.port)]

    def publish_catalog(self, broker: Mosquitto) -> Proc:
        argv = [str(BIN / "lxt-county"), "console", "publish", "catalog", str(self.catalog), *self._broker(broker)]
        argv += ["--county-key", str(self.county.key), "--state", str(self.root / "console.sqlite3")]
        return self._run("publish", argv)

    def answer_once(self, broker: Mosquitto) -> Proc:
        argv = [str(BIN / "lxt-county"), "bank", "--bank", BANK_ID, "--bank-key", str(self.key)]
        argv += ["--catalog", str(self.catalog), "--trust", str(self.trust), "--ledger", str(self.county.ledger)]
        argv += ["--bank-state", str(self.state), "--county-key", str(self.county.key), "--once"]
        argv += [*self._broker(broker), "--client-id", "lxt-bank"]
        return self._run("bank", argv)

    def _run(self, name: str, argv: list[str]) -> Proc:
        self.runs += 1
        proc = Proc(name, argv, self.root / f"{name}-{self.runs}.log").start()
        try:
            wait_for(f"{name} to finish", lambda: not proc.alive())
        finally:
            proc.stop()  # only if it is still running: by its pid, SIGTERM then SIGKILL
        assert proc.popen is not None and proc.popen.returncode == 0, proc.text()[-2000:]
        return proc

    def received(self, application: str) -> tuple[str, dict[str, Any]]:
        conn = sqlite3.connect(self.state)
        try:
            row = conn.execute("SELECT status, claims FROM received WHERE application = ?", (application,)).fetchone()
        finally:
            conn.close()
        assert row is not None, f"the bank has no record of {application}"
        return str(row[0]), dict(json.loads(row[1]))


def _printed(proc: Proc) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.text().splitlines() if line.startswith("{")]


@pytest.fixture
def kiosk_core(tmp_path: Path) -> Iterator[tuple[County, Kiosk, Core]]:
    """A county, a kiosk provisioned by syncworld, and the kiosk's core opened on the same data folder."""
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    settings = make_settings(
        kiosk.data_dir, LXT_IDENTITY__COUNTY_ID=county.county, LXT_IDENTITY__KIOSK_ID=kiosk.kiosk_id
    )
    _private, pem = generate_keypair()
    settings.paths.enrolment_key_file.parent.mkdir(parents=True, exist_ok=True)
    settings.paths.enrolment_key_file.write_bytes(pem)
    core = open_core(settings, FakeClock())  # creates and migrates the database before lxt-sync opens it
    try:
        yield county, kiosk, core
    finally:
        kiosk.stop_all()
        county.stop_all()
        core.close()


def _catalog_held(core: Core) -> bool:
    return bool(core.db.read("SELECT 1 FROM broadcast WHERE kind = 'catalog'"))


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
    assert _printed(answered) == [
        {"application": receipt.number, "status": "received"},
        {"application": receipt.number, "status": "approved"},
    ]

    def approved() -> bool:
        return st.applications(core.db.conn, did)[0].status is st.LoanStatus.APPROVED

    wait_for("the bank's approval in the kiosk's inbox", approved)
    app = st.applications(core.db.conn, did)[0]
    assert app.number == receipt.number and app.amount_fen == 5_000_000
    assert [e.words() for e in app.history] == ["银行已收到", "已批准：5万元"]
    assert app.history[-1].amount_fen == 5_000_000

    status, claims = desk.received(receipt.number)
    assert status == "approved"
    assert claims == {Vct.REAL_NAME.value: {k: REAL_NAME[k] for k in REQUIRED}}  # not sex, birth date, ID digest

    again = desk.answer_once(mosquitto)  # the bank reads each block once: nothing new to answer
    assert _printed(again) == []
