"""The bridge takes service.request from the villager it names; the simulated office reads it from a real ledger,
opens the sealed answers, sees only what the form asked for, and decides by its documented rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.credentials import jose
from kiosk.credentials.kinds import Vct
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer
from kiosk.services.catalog import parse_services
from kiosk.store import outbox
from kiosk.tx.receipt import verify_rejection
from kiosk.tx.verify import PublicKey
from sync.county.intake import Intake
from sync.county.ledger import SqliteLedger
from sync.county.office import SimulatedServiceOffice
from sync.county.registry import KioskRegistry
from sync.topics import KioskTopics
from tests.helpers import enrol_someone, make_card
from tests.unit.loan_world import ED, ISSUER, REAL_NAME, give_credential
from tests.unit.services_world import ALLOWANCE, ALLOWANCE_ANSWERS, DPF, TAX, TAX_CERT, service
from tests.unit.test_intake import _signed_by
from tests.unit.test_service_flow import FRAME, PIN, World

TAX_ANSWERS = {"tax_year": 2025, "tax_kind": "social", "purpose": "loan"}


@dataclass
class County:
    intake: Intake
    signer: Signer
    tmp: Path


@pytest.fixture
def world(open_kiosk: Callable[[], Core], clock: FakeClock) -> World:
    return World(open_kiosk(), clock)


@pytest.fixture
def county(tmp_path: Path, world: World) -> Iterator[County]:
    core, signer = world.core, ED.signer(ED.generate())
    registry = KioskRegistry(tmp_path / "registry.sqlite3")
    registry.register(
        core.device.county_id, core.device.kiosk_id, PublicKey(core.device.suite, core.device.public_key), 1
    )
    ledger = SqliteLedger(tmp_path / "ledger.sqlite3", core.device.county_id, signer, max_block_txs=100)
    yield County(Intake(core.device.county_id, ledger, registry, signer), signer, tmp_path)
    ledger.close()
    registry.close()


def _topic(core: Core) -> str:
    return KioskTopics(core.device.county_id, core.device.kiosk_id).up_tx


def _commit_all(world: World, county: County) -> list[str]:
    """Offer everything queued to the bridge, seal a block; the types taken, in order."""
    items = outbox.pending(world.core.db.conn, 100)
    taken = []
    for item in items:
        out, take = county.intake.accept(_topic(world.core), item.envelope)
        assert out == [] and take is not None, item.type
        taken.append(take)
    county.intake.submit(taken)
    county.intake.seal(0, force=True)
    with world.core.db.transaction() as conn:  # as the kiosk's acks would: nothing is offered twice
        for item in items:
            conn.execute("UPDATE outbox SET state = 'committed' WHERE id = ?", (item.id,))
    return [i.type for i in items]


def _request(world: World, service_id: str = ALLOWANCE, answers: dict[str, Any] | None = None) -> str:
    flow = world.flow()
    flow.choose(service_id)
    flow.start_form()
    flow.fill(ALLOWANCE_ANSWERS if answers is None else answers)
    for m in flow.missing():
        material = next(x for x in flow.service().materials if x.name == m)
        flow.photograph(material.id, FRAME)
    flow.review()
    return flow.confirm(PIN).number


def _office(world: World, county: County, payload: dict[str, Any] | None = None) -> SimulatedServiceOffice:
    catalog = parse_services(payload or world.payload, 1)
    jwk = jose.public_jwk(world.issuer.suite.name, world.issuer.public_key)
    return SimulatedServiceOffice(
        county.tmp / "office.sqlite3", keys={DPF: world.keys[DPF]}, catalog=catalog, issuer_jwks={ISSUER: jwk}
    )


def test_the_office_approves_and_saw_only_what_the_form_asked_for(world: World, county: County) -> None:
    number = _request(world)
    assert _commit_all(world, county) == ["identity.enroll", "service.request", "consent.receipt"]
    office = _office(world, county)
    answers = office.scan(county.intake.ledger, 1000)
    assert [(a.payload["request"], a.payload["status"]) for a in answers] == [
        (number, "received"),
        (number, "approved"),
    ]
    assert answers[0].kiosk == world.core.device.kiosk_id and answers[1].payload["did"] == world.did
    status, seen = office.received(number) or ("", {})
    assert status == "approved"
    assert seen == {
        "answers": ALLOWANCE_ANSWERS,
        "claims": {Vct.REAL_NAME.value: {k: REAL_NAME[k] for k in ("name", "sex", "birth_date", "region")}},
    }  # never the ID digest, the ethnicity or the age flags
    assert office.scan(county.intake.ledger, 2000) == []  # each block is read once


def test_requests_to_offices_it_has_no_key_for_are_left_alone(world: World, county: County) -> None:
    _request(world, TAX_CERT, TAX_ANSWERS)
    _commit_all(world, county)
    assert _office(world, county).scan(county.intake.ledger, 1000) == []
    catalog = parse_services(world.payload, 1)
    jwk = jose.public_jwk(world.issuer.suite.name, world.issuer.public_key)
    tax = SimulatedServiceOffice(
        county.tmp / "tax.sqlite3", keys={TAX: world.keys[TAX]}, catalog=catalog, issuer_jwks={ISSUER: jwk}
    )
    assert [a.payload["status"] for a in tax.scan(county.intake.ledger, 1000)] == ["received", "issued"]


def test_a_material_the_office_needs_and_the_kiosk_did_not_ask_for(world: World, county: County) -> None:
    number = _request(world)
    _commit_all(world, county)
    payload = dict(world.payload)
    allowance = service(payload, ALLOWANCE)
    allowance["materials"] = [*allowance["materials"], {"id": "bank_card", "name": "银行卡"}]
    payload["services"] = [allowance if s["id"] == ALLOWANCE else s for s in payload["services"]]
    (_received, answer) = _office(world, county, payload).scan(county.intake.ledger, 1000)
    assert answer.payload == {**answer.payload, "request": number, "status": "more_materials", "materials": ["银行卡"]}


def test_a_villager_outside_the_offices_region_is_rejected_with_the_reason(
    open_kiosk: Callable[[], Core], clock: FakeClock, tmp_path: Path
) -> None:
    world = World(open_kiosk(), clock)
    with world.core.db.transaction() as conn:
        conn.execute("DELETE FROM credential")
    give_credential(world.core, world.wallet, world.did, world.issuer, {**REAL_NAME, "region": "山东省曹县"})
    registry_dir = tmp_path / "c"
    registry_dir.mkdir()
    signer = ED.signer(ED.generate())
    registry = KioskRegistry(registry_dir / "registry.sqlite3")
    core = world.core
    registry.register(
        core.device.county_id, core.device.kiosk_id, PublicKey(core.device.suite, core.device.public_key), 1
    )
    ledger = SqliteLedger(registry_dir / "ledger.sqlite3", core.device.county_id, signer)
    try:
        county = County(Intake(core.device.county_id, ledger, registry, signer), signer, registry_dir)
        _request(world)
        _commit_all(world, county)
        (_received, answer) = _office(world, county).scan(ledger, 1000)
        assert answer.payload["status"] == "rejected" and answer.payload["reason"] == "只为河南省兰考县户籍的居民办理"
    finally:
        ledger.close()
        registry.close()


def test_a_withdrawn_service_is_rejected(world: World, county: County) -> None:
    _request(world)
    _commit_all(world, county)
    payload = dict(world.payload)
    payload["services"] = [{**s, "withdrawn": s["id"] == ALLOWANCE} for s in payload["services"]]
    (_received, answer) = _office(world, county, payload).scan(county.intake.ledger, 1000)
    assert (answer.payload["status"], answer.payload["reason"]) == ("rejected", "没有这项服务或已停办")


def test_a_request_sealed_to_another_key_does_not_check(world: World, county: County) -> None:
    _request(world)
    _commit_all(world, county)
    catalog = parse_services(world.payload, 1)
    office = SimulatedServiceOffice(
        county.tmp / "o.sqlite3", keys={DPF: world.keys[TAX]}, catalog=catalog, issuer_jwks={}
    )
    (_received, answer) = office.scan(county.intake.ledger, 1000)
    assert (answer.payload["status"], answer.payload["reason"]) == ("rejected", "证明材料无法核验")


def test_a_service_request_signed_by_another_villager_than_it_names_is_refused(world: World, county: County) -> None:
    _request(world)
    neighbour = enrol_someone(world.core, PIN, card=make_card(name="李建国", serial="777"))
    _commit_all(world, county)
    rows = world.core.db.read("SELECT envelope FROM outbox WHERE type = 'service.request'")
    body = dict(canonical.loads(bytes(rows[0][0]))["body"])
    body["request"] = body["request"][:-1] + ("0" if body["request"][-1] != "0" else "1")
    raw = _signed_by(world.core, "service.request", body, neighbour)  # the neighbour signs 张秀兰's request
    out, take = county.intake.accept(_topic(world.core), raw)
    assert take is None and len(out) == 1
    ack = canonical.loads(out[0].payload)
    reason = verify_rejection(
        ack,
        ack["tx"],
        PublicKey(county.signer.suite.name, county.signer.public_key),
        county=world.core.device.county_id,
    )
    assert reason.startswith("invalid_body") and "another DID" in reason
