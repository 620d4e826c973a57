"""Peer attestation (互证): issued with the attester's key after their PIN, queued as attest.peer, capped."""

from __future__ import annotations

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.credentials import sdjwt
from kiosk.credentials.errors import AttestationCapReached, InvalidClaims, NotBoundToHolder, UntrustedIssuer
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import IssuerKeys, Source, import_credential
from kiosk.flows.attest import AttestFlow, AttestStep
from kiosk.flows.signin import VillagerSession
from kiosk.identity.resolver import LocalResolver
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone, make_card
from tests.unit.credential_world import County

ALICE_PIN, BOB_PIN, CAROL_PIN = "382917", "582913", "692714"


@pytest.fixture
def county(core: Core) -> County:
    c = County(core)
    c.broadcast()
    return c


def _people(core: Core) -> tuple[str, str, str]:
    return (
        enrol_someone(core, ALICE_PIN, make_card(name="艾丽丝", serial="611")),
        enrol_someone(core, BOB_PIN, make_card(name="鲍勃", serial="733")),
        enrol_someone(core, CAROL_PIN, make_card(name="卡萝", serial="845")),
    )


def _attest(county: County, attester: str, subject: str, cap: int = 3) -> AttestFlow:
    flow = AttestFlow(county.deps(), VillagerSession(attester, "艾丽丝", None), cap=cap, valid_days=365)
    flow.set_subject(county.holder(subject))
    flow.set_statement("邻居", "我和他是三十年的邻居，为人可靠")
    return flow


def test_alice_vouches_for_bob_and_it_lands_in_his_wallet(county: County, core: Core) -> None:
    alice, bob, _ = _people(core)
    flow = _attest(county, alice, bob)
    result = flow.confirm(ALICE_PIN)
    assert flow.step is AttestStep.DONE and result.stored_here
    [entry] = county.wallet.entries(bob)
    assert entry.vct == Vct.PEER_ATTESTATION and entry.issuer == alice and entry.source is Source.PEER
    assert county.wallet.claims(bob, entry.id)["relation"] == "邻居"

    item = outbox.get(core.db.conn, result.tx_id)
    assert item is not None and item.type == "attest.peer"
    env = envelope.parse(item.envelope)
    verify(env, LocalResolver(core.db, core.device))
    assert env.body["subject"] == bob and "邻居" in env.body["relation"]
    assert "三十年" not in item.envelope.decode()  # the statement travels only as its hash

    # Imported from a QR elsewhere, it verifies under Alice's DID key and only for Bob.
    keys = IssuerKeys(county.trust(), LocalResolver(core.db, core.device))
    core.db.conn.execute("DELETE FROM credential")
    import_credential(
        core.db,
        county.wallet,
        result.credential,
        county.holder(bob),
        keys,
        county.lists(),
        now_ms=county.now_s() * 1000,
        source=Source.QR,
    )
    with pytest.raises(NotBoundToHolder):
        import_credential(
            core.db,
            county.wallet,
            result.credential,
            county.holder(alice),
            keys,
            county.lists(),
            now_ms=county.now_s() * 1000,
            source=Source.QR,
        )
    with pytest.raises(UntrustedIssuer):  # no DID resolver: a villager's signature cannot be checked
        import_credential(
            core.db,
            county.wallet,
            result.credential,
            county.holder(bob),
            IssuerKeys(county.trust(), None),
            county.lists(),
            now_ms=county.now_s() * 1000,
            source=Source.QR,
        )


def test_the_cap_on_attestations_given(county: County, core: Core, clock: FakeClock) -> None:
    alice, bob, carol = _people(core)
    _attest(county, alice, bob, cap=1).confirm(ALICE_PIN)
    flow = AttestFlow(county.deps(), VillagerSession(alice, "艾丽丝", None), cap=1, valid_days=365)
    with pytest.raises(AttestationCapReached) as capped:
        flow.set_subject(county.holder(carol))
    assert capped.value.params == {"cap": 1}
    clock.advance(366 * 86_400)  # an expired attestation no longer counts
    _attest(county, alice, carol, cap=1).confirm(ALICE_PIN)


def test_no_vouching_for_oneself_or_with_a_bad_relation(county: County, core: Core) -> None:
    alice, bob, _ = _people(core)
    flow = AttestFlow(county.deps(), VillagerSession(alice, "艾丽丝", None), cap=3, valid_days=365)
    with pytest.raises(InvalidClaims):
        flow.set_subject(county.holder(alice))
    flow.set_subject(county.holder(bob))
    with pytest.raises(InvalidClaims):
        flow.set_statement("仇人", "x")


def test_a_peer_attestation_without_expiry_is_refused(county: County, core: Core) -> None:
    alice, bob, _ = _people(core)
    signer = core.keystore.unlock(alice, ALICE_PIN, core.time.now)
    try:
        token = sdjwt.issue(
            signer=signer,
            iss=alice,
            kid=f"{alice}#k0",
            vct=Vct.PEER_ATTESTATION.value,
            claims={"attester": alice, "attester_name": "艾丽丝", "relation": "邻居", "statement": "好人"},
            holder_jwk=county.holder(bob).jwk,
            iat=county.now_s(),
            exp=None,
        )
    finally:
        signer.wipe()
    keys = IssuerKeys(county.trust(), LocalResolver(core.db, core.device))
    with pytest.raises(InvalidClaims):
        import_credential(
            core.db,
            county.wallet,
            token,
            county.holder(bob),
            keys,
            county.lists(),
            now_ms=county.now_s() * 1000,
            source=Source.QR,
        )
