"""The simulated bank on a real ledger file: it opens the sealed package, sees only the required claims, decides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.credentials import jose
from kiosk.loans.catalog import parse_catalog
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
    assert [a.payload["status"] for a in answers] == ["received", "approved"]
    assert answers[1].payload["amount_fen"] == 5_000_000 and answers[1].kiosk == world.core.device.kiosk_id
    number = answers[0].payload["application"]
    seen = bank.received_claims(number)
    assert seen == {"urn:lxt:vct:real_name:1": {k: REAL_NAME[k] for k in ("name", "age_over_18", "region")}}
    assert bank.scan(ledger, 2000) == []  # each block is read once
    bank.close()
    ledger.close()


def test_the_bank_rejects_with_the_rule_in_plain_words(world: World, tmp_path: Path) -> None:
    tx = _apply(world)
    ledger = _ledger(world, tmp_path, tx)
    bank = _bank(world, tmp_path, eligibility=[{"rule": "region", "prefix": "河南省杞县"}])
    answers = bank.scan(ledger, 1000)
    assert answers[1].payload["status"] == "rejected"
    assert answers[1].payload["reason"] == "这个贷款只给河南省杞县的村民办理"
    bank.close()
    ledger.close()


def test_a_block_sealed_after_a_scan_is_read_by_the_next_one(world: World, tmp_path: Path) -> None:
    ledger, bank = _ledger(world, tmp_path, _apply(world)), _bank(world, tmp_path)
    assert [a.payload["status"] for a in bank.scan(ledger, 1000)] == ["received", "approved"]
    later = _apply(world, 6_000_000)  # a second application, in the next block
    item = outbox.get(world.core.db.conn, later)
    assert item is not None
    ledger.submit(later, item.envelope)
    ledger.flush(0, force=True)
    answers = bank.scan(ledger, 2000)
    assert [(a.payload["status"], a.payload.get("amount_fen")) for a in answers] == [
        ("received", None),
        ("approved", 6_000_000),
    ]
    bank.close()
    ledger.close()
