"""The county bridge's intake on real kiosk transactions: take once, refuse with signed reasons, hold, receipts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.identity import did as didm
from kiosk.loans.submit import withdraw
from kiosk.store import outbox
from kiosk.tx import envelope as envm
from kiosk.tx.receipt import verify_receipt, verify_rejection
from kiosk.tx.verify import PublicKey, device_kid
from sync.county.intake import Intake, Outgoing
from sync.county.ledger import SqliteLedger
from sync.county.registry import KioskRegistry
from sync.topics import KioskTopics
from tests.helpers import enrol_someone, make_card
from tests.unit.test_loan_flow import FRAME, PIN, World

ED = get_suite("ed25519")


@pytest.fixture
def county_signer() -> Signer:
    return ED.signer(ED.generate())


@pytest.fixture
def intake(tmp_path: Path, core: Core, county_signer: Signer) -> Iterator[Intake]:
    county = core.device.county_id
    registry = KioskRegistry(tmp_path / "county" / "registry.sqlite3")
    registry.register(county, core.device.kiosk_id, PublicKey(core.device.suite, core.device.public_key), 1)
    ledger = SqliteLedger(tmp_path / "county" / "ledger.sqlite3", county, county_signer, max_block_txs=100)
    yield Intake(county, ledger, registry, county_signer, max_payload_bytes=64 * 1024)
    ledger.close()
    registry.close()


def _topics(core: Core) -> KioskTopics:
    return KioskTopics(core.device.county_id, core.device.kiosk_id)


def _queued(core: Core) -> list[tuple[str, bytes]]:
    return [(i.id, i.envelope) for i in outbox.pending(core.db.conn, 100)]


def _key(signer: Signer) -> PublicKey:
    return PublicKey(signer.suite.name, signer.public_key)


def test_enrolments_are_taken_once_and_acked_with_receipts(core: Core, intake: Intake, county_signer: Signer) -> None:
    enrol_someone(core, card=make_card(serial="001"))
    enrol_someone(core, card=make_card(serial="002"))
    items = _queued(core)
    topic = _topics(core).up_tx
    taken = []
    for _, raw in items + items:  # every message twice, as a resend would
        out, take = intake.accept(topic, raw)
        assert out == []
        if take is not None:
            taken.append(take)
    intake.submit(taken)
    acks = intake.seal(0, force=True)
    assert len(acks) == 2 and {a.topic for a in acks} == {_topics(core).down_ack}
    for (tx_id, _), ack in zip(items, acks, strict=True):
        verify_receipt(canonical.loads(ack.payload), tx_id, _key(county_signer), county=core.device.county_id)
    assert intake.ledger.verify().ok
    # sent again after the commit: the same receipt, nothing new on the ledger
    out, take = intake.accept(topic, items[0][1])
    assert take is None and canonical.loads(out[0].payload)["status"] == "committed"
    assert intake.ledger.height() == 1


def _rejection(out: list[Outgoing], county_signer: Signer, core: Core) -> str:
    assert len(out) == 1
    ack = canonical.loads(out[0].payload)
    return verify_rejection(ack, ack["tx"], _key(county_signer), county=core.device.county_id)


def test_a_tampered_envelope_is_rejected_with_a_signed_reason(
    core: Core, intake: Intake, county_signer: Signer
) -> None:
    enrol_someone(core)
    _, raw = _queued(core)[0]
    data = dict(canonical.loads(raw))
    data["ts"] = int(data["ts"]) + 1
    out, take = intake.accept(_topics(core).up_tx, canonical.dumps(data))
    assert take is None
    assert _rejection(out, county_signer, core).startswith("bad_signature")


def test_an_envelope_on_another_kiosks_topic_is_rejected(core: Core, intake: Intake, county_signer: Signer) -> None:
    enrol_someone(core)
    _, raw = _queued(core)[0]
    other = KioskTopics(core.device.county_id, "another-kiosk")
    out, take = intake.accept(other.up_tx, raw)
    assert take is None and out[0].topic == other.down_ack
    assert _rejection(out, county_signer, core).startswith("wrong_topic")


def test_malformed_and_oversized_payloads(core: Core, intake: Intake, county_signer: Signer) -> None:
    topic = _topics(core).up_tx
    assert intake.accept(topic, b"\xff\xfe not json") == ([], None)
    assert intake.accept(topic, b"[1, 2]") == ([], None)
    with_id = canonical.dumps({"id": "ab" * 32, "v": 99})
    out, _ = intake.accept(topic, with_id)
    assert _rejection(out, county_signer, core).startswith("malformed")
    big = b'{"id":"' + b"cd" * 32 + b'","pad":"' + b"x" * 70_000 + b'"}'
    out, _ = intake.accept(topic, big)
    assert _rejection(out, county_signer, core).startswith("too_large")
    assert intake.counters.dropped == 2


def test_an_unregistered_kiosk_is_held_and_a_revoked_one_rejected(
    core: Core, intake: Intake, county_signer: Signer
) -> None:
    enrol_someone(core)
    _, raw = _queued(core)[0]
    county, kiosk = core.device.county_id, core.device.kiosk_id
    intake.registry.revoke(county, kiosk, 2)
    out, take = intake.accept(_topics(core).up_tx, raw)
    assert take is None and _rejection(out, county_signer, core).startswith("unknown_kiosk")
    fresh = KioskRegistry(intake.registry.path.with_name("empty.sqlite3"))
    intake.registry = fresh
    assert intake.accept(_topics(core).up_tx, raw) == ([], None)
    assert intake.counters.held == 1
    fresh.close()


def test_a_message_for_another_county_or_topic_is_dropped(core: Core, intake: Intake) -> None:
    enrol_someone(core)
    _, raw = _queued(core)[0]
    assert intake.accept(KioskTopics("999999", core.device.kiosk_id).up_tx, raw) == ([], None)
    assert intake.accept(_topics(core).up_state, raw) == ([], None)
    assert intake.counters.dropped == 2


# --- loan.apply / loan.withdraw: taken from the villager the body names, refused from anyone else ---------------


@pytest.fixture
def loans(core: Core, clock: FakeClock) -> World:
    return World(core, clock)


def _applied(loans: World) -> tuple[str, str]:
    """(application number, loan.apply tx id) of an application queued by the LoanFlow."""
    flow = loans.flow()
    loans.to_attach(flow)
    flow.photograph("land_photo", FRAME)
    flow.review()
    receipt = flow.confirm(PIN)
    return receipt.number, receipt.tx_id


def _take_all(core: Core, intake: Intake) -> list[str]:
    """Offer every queued transaction in order (enrolments first, as a kiosk sends them); the ids taken."""
    taken = []
    for tx_id, raw in _queued(core):
        out, take = intake.accept(_topics(core).up_tx, raw)
        assert out == [], f"{tx_id[:12]} was answered instead of taken"
        assert take is not None and take[0] == tx_id
        taken.append(take)
    intake.submit(taken)
    intake.seal(0, force=True)
    return [t[0] for t in taken]


def test_a_loan_apply_and_its_withdrawal_by_the_villager_named_are_taken(
    core: Core, intake: Intake, county_signer: Signer, loans: World
) -> None:
    number, apply_tx = _applied(loans)
    withdraw_tx = withdraw(loans.services, loans.did, number, PIN)
    types = {i.id: i.type for i in outbox.pending(core.db.conn, 100)}
    taken = _take_all(core, intake)
    assert [types[t] for t in taken] == ["identity.enroll", "loan.apply", "consent.receipt", "loan.withdraw"]
    assert intake.ledger.receipt(apply_tx) is not None and intake.ledger.receipt(withdraw_tx) is not None
    assert intake.counters.rejected == 0


def _signed_by(core: Core, tx_type: str, body: dict[str, object], did: str) -> bytes:
    """A transaction with `body`, signed by the villager `did` (PIN unlocked) and this kiosk's device key."""
    villager = core.keystore.unlock(did, PIN, core.time.now)
    signers = [
        envm.RoleSigner(envm.SignerRole.VILLAGER, didm.key_id(did, core.keystore.get(did).version), villager),
        envm.RoleSigner(
            envm.SignerRole.DEVICE, device_kid(core.device.county_id, core.device.kiosk_id), core.device_signer
        ),
    ]
    dev = core.device
    env = envm.build(
        tx_type, county=dev.county_id, kiosk=dev.kiosk_id, seq=999, when=core.time.now(), body=body, signers=signers
    )
    villager.wipe()
    return env.to_bytes()


def test_a_loan_signed_by_another_villager_than_the_did_it_names_is_refused(
    core: Core, intake: Intake, county_signer: Signer, loans: World
) -> None:
    number, apply_tx = _applied(loans)
    neighbour = enrol_someone(core, PIN, card=make_card(name="李建国", serial="777"))
    _take_all(core, intake)  # both enrolments, the genuine application and its consent: the DIDs are known
    item = outbox.get(core.db.conn, apply_tx)
    assert item is not None
    body = dict(canonical.loads(item.envelope)["body"])
    body["application"] = number[:-1] + ("0" if number[-1] != "0" else "1")  # another application, same villager
    forged = {
        "loan.apply": body,
        "loan.withdraw": {"application": number, "did": loans.did, "apply_tx": apply_tx},
    }
    for tx_type, named in forged.items():
        raw = _signed_by(core, tx_type, named, neighbour)  # the neighbour signs a loan that names 张秀兰
        out, take = intake.accept(_topics(core).up_tx, raw)
        assert take is None, tx_type
        reason = _rejection(out, county_signer, core)
        assert reason.startswith("invalid_body") and "another DID" in reason, reason
    assert intake.counters.rejected == 2
