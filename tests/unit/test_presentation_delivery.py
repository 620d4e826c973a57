"""Presenting through the county: requests through the inbox, sealed delivery, the bridge, the verifiers' inbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.credentials import pending
from kiosk.credentials.errors import MalformedCredential, NoDeliveryKey
from kiosk.credentials.request import parse_request, request_id
from kiosk.credentials.sealed import open_presentation
from kiosk.credentials.trust import TrustList
from kiosk.credentials.verifier import verify_presentation
from kiosk.crypto.suites import get_suite
from kiosk.errors import VerificationError
from kiosk.flows.present import PresentFlow
from kiosk.flows.signin import VillagerSession
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.verify import PublicKey
from sync.county.credstore import CredentialOffice
from sync.county.intake import Intake
from sync.county.ledger import SqliteLedger
from sync.county.registry import KioskRegistry
from sync.county.verifier_inbox import VerifierRelay, unread
from sync.topics import KioskTopics
from tests.helpers import enrol_someone, make_card
from tests.unit.credential_world import JTJ
from tests.unit.delivery_world import DeliveryCounty

PIN = "382917"
EXAM = {"conclusion": "合格，可以驾驶", "date": "2026-10-08", "hospital": "望京医院"}


@pytest.fixture
def county(core: Core) -> DeliveryCounty:
    c = DeliveryCounty(core)
    c.broadcast()
    return c


@pytest.fixture
def alice(core: Core, county: DeliveryCounty) -> str:
    did = enrol_someone(core, PIN, make_card(name="艾丽丝", serial="611"))
    holder = county.holder(did)
    county.import_(county.exam(holder, "望京医院", idx=1), holder)
    return did


def _pending(county: DeliveryCounty, did: str) -> list[pending.PendingRequest]:
    return pending.pending(county.core.db.conn, did, county.trust(), now_s=county.now_s())


def _answer(county: DeliveryCounty, did: str, token: str) -> PresentFlow:
    flow = PresentFlow(county.deps(), VillagerSession(did, "艾丽丝", None), county.trust(), county.lists())
    offered = flow.read_request(token)
    flow.choose(offered[0].entry.id)
    return flow


def test_an_inbox_request_is_listed_answered_once_and_sealed_to_the_verifier(
    county: DeliveryCounty, alice: str, core: Core
) -> None:
    token = county.ask()
    county.to_inbox(alice, token)
    found = _pending(county, alice)
    assert [(p.request.verifier_name, p.request.payload.purpose) for p in found] == [("交通局", "驾驶证体检")]

    result = _answer(county, alice, found[0].token).confirm(PIN)
    assert result.delivery == "county" and result.deliver is not None
    assert _pending(county, alice) == []  # answered: not offered again

    # Both queued, villager and device signed; nothing personal in the clear.
    items = {i.type: i for i in outbox.pending(core.db.conn, 10)}
    deliver = envelope.parse(items["presentation.deliver"].envelope)
    receipt = envelope.parse(items["consent.receipt"].envelope)
    assert receipt.body["delivery"] == "county" and receipt.body["nonce"] == deliver.body["nonce"]
    assert deliver.body["request"] == request_id(token) and deliver.body["verifier"] == JTJ
    assert {s.role.value for s in deliver.sigs} == {"villager", "device"}
    raw = items["presentation.deliver"].envelope.decode()
    assert "合格" not in raw and "望京医院" not in raw and "驾驶证体检" not in raw

    # Only the verifier's key opens it, and what opens verifies against the request.
    opened = open_presentation(deliver.body["sealed"], county.jtj_enc, request_id(token))
    assert opened.request == token
    req = parse_request(opened.request, county.trust(), now_s=county.now_s()).payload
    shown = verify_presentation(
        opened.presentation, trust=county.trust(), lists=county.lists(), nonce=req.nonce, aud=JTJ,
        now_s=county.now_s(), request=req,
    )  # fmt: skip
    assert shown.claims == EXAM
    with pytest.raises(VerificationError):
        open_presentation(deliver.body["sealed"], X25519PrivateKey.generate(), request_id(token))


def test_a_tampered_or_moved_delivery_does_not_open(county: DeliveryCounty, alice: str) -> None:
    token = county.ask()
    result = _answer(county, alice, token).confirm(PIN)
    assert result.deliver is not None
    sealed = dict(result.deliver.body["sealed"])
    ct = sealed["ct"]
    for pos in (0, len(ct) // 2, len(ct) - 2):
        forged = {**sealed, "ct": ct[:pos] + ("A" if ct[pos] != "A" else "B") + ct[pos + 1 :]}
        with pytest.raises(VerificationError):
            open_presentation(forged, county.jtj_enc, request_id(token))
    with pytest.raises(VerificationError):  # moved onto another request
        open_presentation(sealed, county.jtj_enc, request_id(county.ask()))
    with pytest.raises(VerificationError):
        open_presentation({**sealed, "kid": "0" * 16}, county.jtj_enc, request_id(token))


def test_expired_other_villagers_and_more_than_four_are_not_offered(
    county: DeliveryCounty, alice: str, clock: FakeClock
) -> None:
    county.to_inbox("did:lxt:410225:1111111111111111", county.ask())  # someone else's
    short = county.ask(lifetime=60)
    county.to_inbox(alice, short)
    for n in range(5):
        clock.advance(1)
        county.to_inbox(alice, county.ask(purpose=f"体检{n}"))
    found = _pending(county, alice)
    assert [p.request.payload.purpose for p in found] == ["体检4", "体检3", "体检2", "体检1"]  # newest, four
    clock.advance(60 + 300)  # past the short one's expiry and the clock skew allowed
    purposes = [p.request.payload.purpose for p in pending.pending(
        county.core.db.conn, alice, county.trust(), now_s=county.now_s(), limit=10)]  # fmt: skip
    assert len(purposes) == 5 and "驾驶证体检" not in purposes


def test_a_verifier_without_an_enc_key_cannot_ask_for_county_delivery(core: Core) -> None:
    county = DeliveryCounty(core, with_enc=False)
    county.broadcast()
    with pytest.raises(NoDeliveryKey) as refused:
        parse_request(county.ask(), county.trust(), now_s=county.now_s())
    assert refused.value.message_key == "credential.no_delivery_key"
    parse_request(county.ask(response="qr"), county.trust(), now_s=county.now_s())  # a QR answer is fine
    did = enrol_someone(core, PIN, make_card(name="艾丽丝", serial="611"))
    county.to_inbox(did, county.ask())
    assert _pending(county, did) == []  # never offered


def test_the_trust_list_refuses_an_enc_that_is_no_x25519_key(county: DeliveryCounty) -> None:
    payload = county.trust_payload()
    payload["verifiers"][0]["enc"] = "short"
    with pytest.raises(MalformedCredential):
        TrustList.from_json(payload)


def test_the_bridge_takes_the_delivery_and_the_relay_files_it_once(
    county: DeliveryCounty, alice: str, core: Core, tmp_path: Path
) -> None:
    token = county.ask()
    _answer(county, alice, token).confirm(PIN)
    ed = get_suite("ed25519")
    county_signer = ed.signer(ed.generate())
    registry = KioskRegistry(tmp_path / "county" / "registry.sqlite3")
    registry.register(
        core.device.county_id, core.device.kiosk_id, PublicKey(core.device.suite, core.device.public_key), 1
    )
    ledger = SqliteLedger(tmp_path / "county" / "ledger.sqlite3", core.device.county_id, county_signer)
    office = CredentialOffice(tmp_path / "office", core.device.county_id)
    try:
        intake = Intake(core.device.county_id, ledger, registry, county_signer)
        topic = KioskTopics(core.device.county_id, core.device.kiosk_id).up_tx
        items = outbox.pending(core.db.conn, 10)
        assert [i.type for i in items] == ["identity.enroll", "consent.receipt", "presentation.deliver"]
        for item in items:
            out, take = intake.accept(topic, item.envelope)
            assert out == [] and take is not None, out
            intake.submit([take])
        intake.seal(10**13, force=True)
        relay = VerifierRelay(office, ledger)
        assert relay.scan(1) == 1
        assert relay.scan(2) == 0  # the cursor moved: filed once
        rows = unread(office, JTJ)
        assert len(rows) == 1 and rows[0].did == alice and rows[0].request == request_id(token)
        assert open_presentation(rows[0].sealed, county.jtj_enc, rows[0].request).request == token
    finally:
        office.close()
        ledger.close()
        registry.close()
