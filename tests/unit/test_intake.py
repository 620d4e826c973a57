"""The county bridge's intake on real kiosk transactions: take once, refuse with signed reasons, hold, receipts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.store import outbox
from kiosk.tx.receipt import verify_receipt, verify_rejection
from kiosk.tx.verify import PublicKey
from sync.county.intake import Intake, Outgoing
from sync.county.ledger import SqliteLedger
from sync.county.registry import KioskRegistry
from sync.topics import KioskTopics
from tests.helpers import enrol_someone, make_card

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
