"""Wallet import, presentation requests, the sharing flow and the verifier: the Alice scenario and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.credentials import status as statusm
from kiosk.credentials.errors import (
    AlreadyHeld,
    BadSignature,
    CredentialError,
    CredentialExpired,
    CredentialRevoked,
    CredentialSuspended,
    MalformedCredential,
    NoQualifyingCredential,
    NotBoundToHolder,
    OversizedInput,
    RequestExpired,
    StatusUnknown,
    UntrustedIssuer,
    VerifierNotAllowed,
)
from kiosk.credentials.request import parse_request
from kiosk.credentials.status import TokenStatus
from kiosk.credentials.verifier import verify_presentation
from kiosk.credentials.wallet import import_inbox
from kiosk.crypto import canonical
from kiosk.crypto.suites import get_suite
from kiosk.errors import UserFacingError
from kiosk.flows.present import PresentFlow, PresentStep
from kiosk.flows.signin import VillagerSession
from kiosk.identity.resolver import LocalResolver
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.verify import PublicKey, verify
from sync.county.intake import Intake
from sync.county.ledger import SqliteLedger
from sync.county.registry import KioskRegistry
from sync.topics import KioskTopics
from tests.helpers import enrol_someone, make_card
from tests.unit.credential_world import JTJ, WANGJING, County

PIN = "382917"


@pytest.fixture
def county(core: Core) -> County:
    c = County(core)
    c.broadcast()
    return c


@pytest.fixture
def alice(core: Core) -> str:
    return enrol_someone(core, PIN, make_card(name="艾丽丝", serial="611"))


def _flow(county: County, did: str) -> PresentFlow:
    return PresentFlow(county.deps(), VillagerSession(did, "艾丽丝", None), county.trust(), county.lists())


def test_alice_shares_only_her_tier3_exam_with_the_traffic_bureau(county: County, alice: str, core: Core) -> None:
    holder = county.holder(alice)
    wangjing = county.import_(county.exam(holder, "望京医院", idx=1), holder)
    county.import_(county.exam(holder, "惠兰医院", idx=2), holder)
    assert {c.name_zh for c in county.wallet.cards(alice, county.lists(), county.now_s())} == {"体检报告"}

    token, nonce = county.request()
    flow = _flow(county, alice)
    offered = flow.read_request(token)
    assert [c.entry.issuer_name for c in offered] == ["望京医院"]  # 惠兰医院 (二甲) is not offered
    preview = flow.choose(wangjing.id)
    assert preview.text_zh == "交通局将看到：体检结论、体检日期、医院名称"
    assert preview.text_en == "交通局 will see: exam conclusion, exam date, hospital"
    result = flow.confirm(PIN)
    assert flow.step is PresentStep.DONE

    shown = verify_presentation(
        result.presentation,
        trust=county.trust(),
        lists=county.lists(),
        nonce=nonce,
        aud=JTJ,
        now_s=county.now_s(),
        request=parse_request(token, county.trust(), now_s=county.now_s()).payload,
    )
    assert shown.claims == {"conclusion": "合格，可以驾驶", "date": "2026-10-08", "hospital": "望京医院"}
    assert shown.issuer_name == "望京医院" and shown.issuer_grade == "三甲"
    assert shown.status.status is TokenStatus.VALID

    # The consent receipt: queued, signed by Alice and the kiosk, naming claims but no values.
    item = outbox.get(core.db.conn, result.receipt.id)
    assert item is not None and item.type == "consent.receipt"
    env = envelope.parse(item.envelope)
    verify(env, LocalResolver(core.db, core.device))
    assert env.body["claims"] == ["conclusion", "date", "hospital"]
    assert env.body["verifier_name"] == "交通局" and env.body["credential"] == wangjing.id
    assert "合格" not in item.envelope.decode()

    # Any tampering fails: every character of every part, changed.
    pres = result.presentation
    for pos in range(0, len(pres), 7):
        if pres[pos] == "~":
            continue
        forged = pres[:pos] + ("A" if pres[pos] != "A" else "B") + pres[pos + 1 :]
        with pytest.raises(CredentialError):
            verify_presentation(
                forged, trust=county.trust(), lists=county.lists(), nonce=nonce, aud=JTJ, now_s=county.now_s()
            )


def test_a_wrong_pin_keeps_the_preview_and_shows_nothing(county: County, alice: str, core: Core) -> None:
    holder = county.holder(alice)
    entry = county.import_(county.exam(holder, "望京医院", idx=1), holder)
    flow = _flow(county, alice)
    flow.read_request(county.request()[0])
    flow.choose(entry.id)
    with pytest.raises(UserFacingError) as wrong:
        flow.confirm("111111")
    assert wrong.value.message_key == "pin.wrong"
    assert flow.step is PresentStep.PREVIEW
    assert outbox.depth(core.db.conn) == 1  # only the enrolment


def test_nothing_qualifies_when_the_request_wants_only_tier3(county: County, alice: str) -> None:
    holder = county.holder(alice)
    county.import_(county.exam(holder, "惠兰医院", idx=2), holder)
    flow = _flow(county, alice)
    with pytest.raises(NoQualifyingCredential):
        flow.read_request(county.request()[0])
    assert flow.step is PresentStep.REFUSED


def test_a_revoked_or_suspended_credential_is_not_offered_and_not_accepted(county: County, alice: str) -> None:
    holder = county.holder(alice)
    entry = county.import_(county.exam(holder, "望京医院", idx=1), holder)
    token, nonce = county.request()
    flow = _flow(county, alice)
    flow.read_request(token)
    flow.choose(entry.id)
    pres = flow.confirm(PIN).presentation
    county.revoked[1] = TokenStatus.INVALID
    county.broadcast()
    with pytest.raises(CredentialRevoked):
        verify_presentation(
            pres, trust=county.trust(), lists=county.lists(), nonce=nonce, aud=JTJ, now_s=county.now_s()
        )
    with pytest.raises(NoQualifyingCredential):
        _flow(county, alice).read_request(county.request()[0])
    card = county.wallet.cards(alice, county.lists(), county.now_s())[0]
    assert card.status.status is TokenStatus.INVALID and card.status.fresh
    county.revoked[1] = TokenStatus.SUSPENDED
    county.broadcast()
    with pytest.raises(CredentialSuspended):
        verify_presentation(
            pres, trust=county.trust(), lists=county.lists(), nonce=nonce, aud=JTJ, now_s=county.now_s()
        )


def test_import_refuses_revoked_and_suspended(county: County, alice: str) -> None:
    holder = county.holder(alice)
    county.revoked.update({5: TokenStatus.INVALID, 6: TokenStatus.SUSPENDED})
    county.broadcast()
    with pytest.raises(CredentialRevoked):
        county.import_(county.exam(holder, "望京医院", idx=5), holder)
    with pytest.raises(CredentialSuspended):
        county.import_(county.exam(holder, "望京医院", idx=6), holder)


def test_an_old_status_list_leaves_the_status_unknown(county: County, alice: str, clock: FakeClock) -> None:
    holder = county.holder(alice)
    county.import_(county.exam(holder, "望京医院", idx=1), holder)
    clock.advance(8 * 86_400)
    card = county.wallet.cards(alice, county.lists(), county.now_s())[0]
    assert card.status.status is TokenStatus.VALID and not card.status.fresh
    with pytest.raises(NoQualifyingCredential):
        _flow(county, alice).read_request(county.request()[0])
    with pytest.raises(StatusUnknown):
        county.lists().require_valid(card.entry.status, county.now_s())


def test_import_refusals(county: County, alice: str, core: Core) -> None:
    holder = county.holder(alice)
    bob = county.holder(enrol_someone(core, "582913", make_card(name="鲍勃", serial="733")))
    good = county.exam(holder, "望京医院", idx=1)
    with pytest.raises(NotBoundToHolder):  # issued to Alice, imported by Bob
        county.import_(good, bob)
    with pytest.raises(CredentialExpired):
        county.import_(county.exam(holder, "望京医院", idx=1, exp_days=-30), holder)
    forged_key = County(core)
    forged_key.wangjing = county.rogue
    with pytest.raises(BadSignature):  # claims to be 望京医院, signed by someone else
        county.import_(forged_key.exam(holder, "望京医院", idx=1), holder)
    with pytest.raises(MalformedCredential):
        county.import_("这不是证书", holder)
    with pytest.raises(OversizedInput):
        county.import_(good + "A" * 4000 + "~", holder)
    county.import_(good, holder)
    with pytest.raises(AlreadyHeld):
        county.import_(good, holder)


def test_an_issuer_not_trusted_for_the_vct_is_refused(county: County, alice: str) -> None:
    holder = county.holder(alice)
    from kiosk.credentials import sdjwt
    from kiosk.credentials.kinds import Vct

    land = sdjwt.issue(
        signer=county.wangjing,
        iss=WANGJING,
        kid="wj-1",
        vct=Vct.LAND_CONTRACT.value,
        claims={"village": "张庄村", "area_mu": "3.5", "contract_no": "LK-1"},
        holder_jwk=holder.jwk,
        iat=county.now_s(),
        exp=None,
    )
    with pytest.raises(UntrustedIssuer):
        county.import_(land, holder)


def test_requests_are_checked_against_the_trust_list(county: County, alice: str, clock: FakeClock) -> None:
    trust, now = county.trust(), county.now_s()
    with pytest.raises(VerifierNotAllowed):  # a verifier the trust list does not know
        parse_request(county.request(signer_=county.rogue, iss="rogue.example", kid="r-1")[0], trust, now_s=now)
    with pytest.raises(BadSignature):  # the traffic bureau's name, someone else's key
        parse_request(county.request(signer_=county.rogue)[0], trust, now_s=now)
    with pytest.raises(VerifierNotAllowed):  # a claim it may not ask for
        parse_request(county.request(claims=["conclusion", "results"])[0], trust, now_s=now)
    with pytest.raises(MalformedCredential):
        parse_request("not.a.request", trust, now_s=now)
    with pytest.raises(OversizedInput):
        parse_request("A" * 5000, trust, now_s=now)
    token, _ = county.request()
    clock.advance(3600)
    with pytest.raises(RequestExpired):
        parse_request(token, trust, now_s=county.now_s())


def test_status_list_decodes_the_ietf_example() -> None:
    # draft-ietf-oauth-status-list, 1-bit example: statuses 1,0,0,1,1,1,0,1 | 1,1,0,0,0,1,0,1
    raw = statusm.decode("eNrbuRgAAhcBXQ")
    assert raw == bytes([0xB9, 0xA3])
    lst = statusm.StatusList("u", 1, 0, None, raw)
    assert [int(lst.status(i)) for i in range(16)] == [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]
    with pytest.raises(MalformedCredential):
        statusm.decode("not-zlib")
    import zlib

    from kiosk.crypto.encoding import b64u

    with pytest.raises(MalformedCredential):  # a zip bomb stops at the limit
        statusm.decode(b64u(zlib.compress(b"\0" * (statusm.MAX_LIST_BYTES + 10))))


def test_the_county_bridge_takes_the_consent_receipt_as_a_known_type(
    county: County, alice: str, core: Core, tmp_path: Path
) -> None:
    holder = county.holder(alice)
    entry = county.import_(county.exam(holder, "望京医院", idx=1), holder)
    flow = _flow(county, alice)
    flow.read_request(county.request()[0])
    flow.choose(entry.id)
    flow.confirm(PIN)
    ed = get_suite("ed25519")
    county_signer = ed.signer(ed.generate())
    registry = KioskRegistry(tmp_path / "county" / "registry.sqlite3")
    registry.register(
        core.device.county_id, core.device.kiosk_id, PublicKey(core.device.suite, core.device.public_key), 1
    )
    ledger = SqliteLedger(tmp_path / "county" / "ledger.sqlite3", core.device.county_id, county_signer)
    try:
        intake = Intake(core.device.county_id, ledger, registry, county_signer)
        topic = KioskTopics(core.device.county_id, core.device.kiosk_id).up_tx
        items = outbox.pending(core.db.conn, 10)
        assert [i.type for i in items] == ["identity.enroll", "consent.receipt"]
        for item in items:
            out, take = intake.accept(topic, item.envelope)
            assert out == [] and take is not None, out
            intake.submit([take])
        assert intake.counters.taken == 2 and intake.counters.rejected == 0
    finally:
        ledger.close()
        registry.close()


def test_credentials_delivered_through_the_inbox_are_imported_once(county: County, alice: str, core: Core) -> None:
    holder = county.holder(alice)
    good = county.exam(holder, "望京医院", idx=1)
    expired = county.exam(holder, "望京医院", idx=2, exp_days=-10)
    with core.db.transaction() as conn:
        for item_id, payload in (
            ("a" * 16, {"holder": alice, "sd_jwt": good}),
            ("b" * 16, {"holder": alice, "sd_jwt": expired}),
            ("c" * 16, {"holder": "did:lxt:410225:someoneelse12345", "sd_jwt": good}),
        ):
            conn.execute(
                "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, 'credential', ?, 0)",
                (item_id, canonical.dumps(payload).decode()),
            )
    out = import_inbox(core.db, county.wallet, holder, county.keys(), county.lists(), now_ms=county.now_s() * 1000)
    assert [(o.item_id[0], o.entry is not None, o.refusal) for o in out] == [
        ("a", True, None),
        ("b", False, "credential.expired"),
    ]
    assert import_inbox(core.db, county.wallet, holder, county.keys(), county.lists(), now_ms=0) == []
    assert [e.source.value for e in county.wallet.entries(alice)] == ["inbox"]
