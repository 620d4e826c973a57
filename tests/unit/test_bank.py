"""The simulated bank on a real ledger file: it opens the sealed package, sees only the required claims, decides."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.credentials import jose
from kiosk.loans.catalog import parse_catalog
from kiosk.loans.submit import withdraw
from kiosk.store import outbox
from sync.county.bank import SimulatedBank
from sync.county.ledger import SqliteLedger
from tests.unit.loan_world import ED, ISSUER, REAL_NAME, catalog_payload
from tests.unit.test_loan_flow import FRAME, PIN, World


@pytest.fixture
def world(open_kiosk: Callable[[], Core], clock: FakeClock) -> World:
    return World(open_kiosk(), clock)


def _apply(world: World, amount: int = 5_000_000) -> str:
    flow = world.flow()
    flow.choose("huinong-01")
    flow.start_form()
    flow.fill("种大蒜", amount, 12)
    flow.photograph("land_photo", FRAME)
    flow.review()
    return flow.confirm(PIN).tx_id


def _bank(world: World, tmp_path: Path, **payload: object) -> SimulatedBank:
    catalog = parse_catalog(catalog_payload(world.bank_key, **payload), 1)
    jwk = jose.public_jwk(world.issuer.suite.name, world.issuer.public_key)
    return SimulatedBank("lankao-rcb", world.bank_key, catalog, {ISSUER: jwk}, tmp_path / "bank.sqlite3")


def _ledger(world: World, tmp_path: Path, tx_id: str) -> SqliteLedger:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite3", "410225", ED.signer(ED.generate()))
    item = outbox.get(world.core.db.conn, tx_id)
    assert item is not None
    ledger.submit(tx_id, item.envelope)
    ledger.flush(0, force=True)
    return ledger


def test_the_bank_approves_and_received_only_the_required_claims(world: World, tmp_path: Path) -> None:
    tx = _apply(world)
    ledger, bank = _ledger(world, tmp_path, tx), _bank(world, tmp_path)
    answers = bank.scan(ledger, 1000)
    assert [a.payload["status"] for a in answers] == ["received", "under_review", "approved"]
    assert answers[2].payload["amount_fen"] == 5_000_000 and answers[2].kiosk == world.core.device.kiosk_id
    number = answers[0].payload["application"]
    seen = bank.received_claims(number)
    assert seen == {"urn:lxt:vct:real_name:1": {k: REAL_NAME[k] for k in ("name", "age_over_18", "region")}}
    assert [a.payload["status"] for a in bank.scan(ledger, 2000)] == ["disbursed"]
    assert bank.scan(ledger, 3000) == []  # each block is read once, each approval paid once
    bank.close()
    ledger.close()


def test_the_bank_rejects_with_the_rule_in_plain_words(world: World, tmp_path: Path) -> None:
    tx = _apply(world)
    ledger = _ledger(world, tmp_path, tx)
    bank = _bank(world, tmp_path, eligibility=[{"rule": "region", "prefix": "河南省杞县"}])
    answers = bank.scan(ledger, 1000)
    assert answers[2].payload["status"] == "rejected"
    assert answers[2].payload["reason"] == "这个贷款只给河南省杞县的村民办理"
    assert bank.scan(ledger, 2000) == []  # a rejection is never disbursed
    bank.close()
    ledger.close()


def test_a_block_sealed_after_a_scan_is_read_by_the_next_one(world: World, tmp_path: Path) -> None:
    ledger, bank = _ledger(world, tmp_path, _apply(world)), _bank(world, tmp_path)
    assert [a.payload["status"] for a in bank.scan(ledger, 1000)] == ["received", "under_review", "approved"]
    later = _apply(world, 6_000_000)  # a second application, in the next block
    item = outbox.get(world.core.db.conn, later)
    assert item is not None
    ledger.submit(later, item.envelope)
    ledger.flush(0, force=True)
    answers = bank.scan(ledger, 2000)
    assert [(a.payload["status"], a.payload.get("amount_fen")) for a in answers] == [
        ("received", None),
        ("under_review", None),
        ("approved", 6_000_000),
        ("disbursed", 5_000_000),  # the first one, approved on the pass before; the second waits for the next
    ]
    bank.close()
    ledger.close()


def _seal(ledger: SqliteLedger, world: World, tx_id: str) -> None:
    item = outbox.get(world.core.db.conn, tx_id)
    assert item is not None
    ledger.submit(tx_id, item.envelope)
    ledger.flush(0, force=True)


def test_under_review_comes_before_the_decision_and_disbursed_on_the_next_pass(world: World, tmp_path: Path) -> None:
    ledger, bank = _ledger(world, tmp_path, _apply(world)), _bank(world, tmp_path)
    first = bank.scan(ledger, 1000)
    assert [a.payload["status"] for a in first] == ["received", "under_review", "approved"]
    assert [a.payload["at_ms"] for a in first] == sorted(a.payload["at_ms"] for a in first)
    paid = bank.scan(ledger, 5000)
    assert [(a.payload["status"], a.payload["amount_fen"], a.kiosk) for a in paid] == [
        ("disbursed", 5_000_000, world.core.device.kiosk_id)
    ]
    assert paid[0].payload["application"] == first[0].payload["application"]
    assert paid[0].payload["did"] == first[0].payload["did"]
    assert bank.scan(ledger, 9000) == []
    bank.close()
    ledger.close()


def test_an_approval_survives_a_restart_of_the_bank_and_is_paid_once(world: World, tmp_path: Path) -> None:
    ledger, bank = _ledger(world, tmp_path, _apply(world)), _bank(world, tmp_path)
    assert [a.payload["status"] for a in bank.scan(ledger, 1000)] == ["received", "under_review", "approved"]
    bank.close()
    again = _bank(world, tmp_path)  # the same state file
    assert [a.payload["status"] for a in again.scan(ledger, 2000)] == ["disbursed"]
    again.close()
    third = _bank(world, tmp_path)
    assert third.scan(ledger, 3000) == []
    third.close()
    ledger.close()


def test_an_approval_withdrawn_before_the_money_goes_out_is_never_disbursed(world: World, tmp_path: Path) -> None:
    ledger, bank = _ledger(world, tmp_path, _apply(world)), _bank(world, tmp_path)
    number = bank.scan(ledger, 1000)[0].payload["application"]
    _seal(ledger, world, withdraw(world.services, world.did, number, PIN))
    assert [a.payload["status"] for a in bank.scan(ledger, 2000)] == ["withdrawn"]
    assert bank.scan(ledger, 3000) == []
    bank.close()
    ledger.close()


def test_a_state_file_from_before_disbursement_still_opens(world: World, tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / "bank.sqlite3")
    old.execute("CREATE TABLE received (application TEXT PRIMARY KEY, did TEXT, kiosk TEXT, status TEXT, claims TEXT)")
    old.execute("INSERT INTO received VALUES ('D1', 'did:x', 'k1', 'approved', '{}')")
    old.commit()
    old.close()
    ledger, bank = _ledger(world, tmp_path, _apply(world)), _bank(world, tmp_path)
    assert bank.received_claims("D1") == {}
    answers = bank.scan(ledger, 1000)  # an approval from before has no amount kept: it is not paid
    assert [a.payload["status"] for a in answers] == ["received", "under_review", "approved"]
    assert [a.payload["status"] for a in bank.scan(ledger, 2000)] == ["disbursed"]
    bank.close()
    ledger.close()
