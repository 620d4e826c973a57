"""Enrolling and recovering people: what lands in the store and the outbox, and that it verifies."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.domain.consent import ENROLMENT
from kiosk.errors import DomainError, KeyLockedError, UserFacingError, VerificationError
from kiosk.identity import did as didm
from kiosk.identity.evidence import open_evidence
from kiosk.identity.registry import EnrolmentRecord, Witness
from kiosk.identity.resolver import resolve_did
from kiosk.store import audit, outbox
from kiosk.tx import envelope
from kiosk.tx.envelope import Envelope, SignerRole
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone, make_card


def _queued(core: Core) -> list[Envelope]:
    return [envelope.parse(i.envelope) for i in outbox.pending(core.db.conn, 100)]


def _cadre(core: Core, clock: FakeClock) -> Witness:
    did = enrol_someone(core, pin="605182", card=make_card(name="王建国", birth=date(1971, 6, 2), serial="113"))
    signer = core.keystore.unlock(did, "605182", clock.now)
    return Witness(did, didm.key_id(did, 0), signer)


def _record(card_serial: str = "302", witness: Witness | None = None, mode: str = "self") -> EnrolmentRecord:
    return EnrolmentRecord(
        card=make_card(serial=card_serial),
        face_jpeg=b"\xff\xd8jpeg",
        face_template=b"\x01" * 512,
        identity_check="face_only",
        face_summary={"method": "test", "quality": 88, "live": True, "match": None},
        consent={"version": ENROLMENT.version, "text_sha256": ENROLMENT.sha256},
        mode=mode,
        witness=witness,
    )


def test_self_enrolment_queues_a_verified_transaction(core: Core, county_enrolment_key: X25519PrivateKey) -> None:
    receipt = core.registry.enrol(_record(), "382917")
    [env] = _queued(core)
    assert env.id == receipt.tx_id
    assert env.type == "identity.enroll"
    assert env.seq == 1
    assert env.body["did"] == receipt.did
    verify(env, core.registry.resolver)
    assert {s.role for s in env.sigs} == {SignerRole.VILLAGER, SignerRole.DEVICE}
    evidence = open_evidence(dict(env.body["evidence"]), county_enrolment_key, receipt.did)
    assert evidence["card"]["id_number"] == make_card().id_number
    with pytest.raises(VerificationError):
        open_evidence(dict(env.body["evidence"]), X25519PrivateKey.generate(), receipt.did)
    with pytest.raises(VerificationError):  # bound to its DID: cannot be moved onto another enrolment
        open_evidence(dict(env.body["evidence"]), county_enrolment_key, "did:lxt:410225:1111111111111111")
    assert [e.action for e in audit.entries(core.db.conn)] == ["identity.enrolled"]


def test_a_second_enrolment_of_the_same_person_writes_nothing(core: Core) -> None:
    core.registry.enrol(_record(), "382917")
    with pytest.raises(DomainError):
        core.registry.enrol(_record(), "482917")
    assert outbox.depth(core.db.conn) == 1
    assert core.db.read("SELECT COUNT(*) FROM villager_key")[0][0] == 1
    assert core.db.read("SELECT COUNT(*) FROM did_event")[0][0] == 1
    assert len(audit.entries(core.db.conn)) == 1


def test_assisted_enrolment_is_witnessed_by_the_cadre(core: Core, clock: FakeClock) -> None:
    cadre = _cadre(core, clock)
    core.registry.enrol(_record(witness=cadre, mode="assisted"), "382917")
    env = _queued(core)[-1]
    assert env.body["witness"] == cadre.did
    verify(env, core.registry.resolver)
    entry = audit.entries(core.db.conn)[-1]
    assert (entry.action, entry.actor) == ("identity.enrolled", cadre.did)

    data = env.to_json()
    data["sigs"] = [s for s in data["sigs"] if s["role"] != "cadre"]
    with pytest.raises(VerificationError, match="missing"):
        verify(envelope.parse(canonical.dumps(data)), core.registry.resolver)


def test_assisted_enrolment_without_witness_is_refused_by_the_verifier(core: Core, clock: FakeClock) -> None:
    cadre = _cadre(core, clock)
    core.registry.enrol(_record(witness=cadre, mode="assisted"), "382917")
    env = _queued(core)[-1]
    body = dict(env.body)
    body["witness"] = None
    forged = dataclasses.replace(env, body=body)
    forged = dataclasses.replace(forged, id=envelope.compute_id(forged.unsigned()))
    with pytest.raises(VerificationError):
        verify(forged, core.registry.resolver)


def test_recovery_rotates_the_key_and_clears_the_lock(core: Core, clock: FakeClock) -> None:
    cadre = _cadre(core, clock)
    did = core.registry.enrol(_record(), "382917").did
    for _ in range(5):
        with pytest.raises(UserFacingError):
            core.keystore.unlock(did, "111112", clock.now)
    with pytest.raises(KeyLockedError):
        core.keystore.unlock(did, "382917", clock.now)
    before = resolve_did(core.db, did)

    person = core.registry.find(make_card().id_number)
    assert person is not None
    receipt = core.registry.recover(person, _record(witness=cadre, mode="assisted"), "730561")
    assert receipt.did == did
    assert receipt.tx_type == "did.rotate"
    env = _queued(core)[-1]
    verify(env, core.registry.resolver)
    after = resolve_did(core.db, did)
    assert after.version == 1
    assert after.public_key != before.public_key
    signer = core.keystore.unlock(did, "730561", clock.now)
    assert signer.public_key == after.public_key
    with pytest.raises(UserFacingError):
        core.keystore.unlock(did, "382917", clock.now)  # the old PIN is gone with the old key
    assert audit.entries(core.db.conn)[-2].action == "identity.recovered"


def test_recovery_needs_a_witness(core: Core) -> None:
    core.registry.enrol(_record(), "382917")
    person = core.registry.find(make_card().id_number)
    assert person is not None
    with pytest.raises(DomainError):
        core.registry.recover(person, _record(), "730561")


def test_seq_is_gap_free_across_types(core: Core, clock: FakeClock) -> None:
    cadre = _cadre(core, clock)
    core.registry.enrol(_record(card_serial="411", witness=cadre, mode="proxy"), "382917")
    assert [e.seq for e in _queued(core)] == [1, 2]
