"""The loan application on fakes: the five steps, the sealed draft that resumes, what the bank can open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from drivers.fake.clock import FakeClock
from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from kiosk.core import Core
from kiosk.credentials import jose, sdjwt
from kiosk.credentials.wallet import Wallet
from kiosk.crypto import canonical
from kiosk.errors import UserFacingError
from kiosk.flows.loan import LoanFlow, LoanFlowError, LoanServices
from kiosk.flows.signin import VillagerSession
from kiosk.loans import status as st
from kiosk.loans.drafts import LoanStep
from kiosk.loans.package import open_package
from kiosk.loans.submit import withdraw
from kiosk.store import outbox
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import LoanApplyBody, validate_body
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone
from tests.unit.document_pages import page_photo, to_frame
from tests.unit.loan_world import ED, catalog_payload, give_credential, put_catalog

PIN = "382917"
FRAME = to_frame(page_photo())


class World:
    def __init__(self, core: Core, clock: FakeClock) -> None:
        self.core, self.clock = core, clock
        self.bank_key = X25519PrivateKey.generate()
        self.issuer = ED.signer(ED.generate())
        self.did = enrol_someone(core, PIN)
        self.wallet = Wallet(core.db, core.device.secret)
        give_credential(core, self.wallet, self.did, self.issuer)
        put_catalog(core, catalog_payload(self.bank_key))
        self.docs = FakeDocumentChecker([GOOD_PAGE])
        self.services = LoanServices(
            core.db,
            core.time,
            core.device,
            core.device_signer,
            core.keystore,
            self.wallet,
            self.docs,
            core.settings.loans,
        )

    def flow(self) -> LoanFlow:
        return LoanFlow(self.services, VillagerSession(self.did, "张秀兰", None))

    def to_attach(self, flow: LoanFlow) -> None:
        flow.choose("huinong-01")
        flow.start_form()
        flow.fill("种大蒜", 5_000_000, 12)


@pytest.fixture
def world(open_kiosk: Callable[[], Core], clock: FakeClock) -> World:
    return World(open_kiosk(), clock)


def test_the_five_steps_queue_loan_apply_with_consent_and_only_the_required_claims(world: World) -> None:
    flow = world.flow()
    assert [p.id for p in flow.products()] == ["huinong-01"]
    details = flow.choose("huinong-01")
    assert details.bank_name == "兰考农商银行" and details.amount_range == "3万元–200万元"
    assert details.sample.amount_fen == 10_000_000 and all(r.met for r in details.rules)
    info = flow.start_form()
    assert (info.name, info.region) == ("张秀兰", "河南省兰考县东坝头乡张庄村")  # pre-filled, never typed
    flow.fill("种大蒜", 5_000_000, 12)
    assert flow.step is LoanStep.ATTACH and flow.missing() == ["土地承包合同"]
    assert flow.photograph("land_photo", FRAME).ok
    preview = flow.review()
    assert preview.words() == "兰考农商银行将看到：实名身份：姓名、所在地区、是否年满18岁；材料照片：土地承包合同"
    receipt = flow.confirm(PIN)
    assert flow.step.value == LoanStep.DONE.value  # by value: mypy narrowed the step at the ATTACH check above
    assert receipt.number.startswith("D") and len(receipt.consent_tx_ids) == 1

    item = outbox.get(world.core.db.conn, receipt.tx_id)
    assert item is not None and item.type == "loan.apply"
    env = envm.parse(item.envelope)
    verify(env, world.core.registry.resolver)
    body = validate_body("loan.apply", env.body)
    assert isinstance(body, LoanApplyBody) and body.amount_fen == 5_000_000
    assert "张秀兰" not in item.envelope.decode()  # claim values travel only sealed to the bank
    package = open_package(body.sealed.model_dump(), world.bank_key, body.application)
    jwk = jose.public_jwk(world.issuer.suite.name, world.issuer.public_key)
    shown = sdjwt.verify(package.presentations[0], lambda *_: jwk, now_s=int(world.core.time.now().at.timestamp()))
    assert set(shown.claims) == {"name", "age_over_18", "region"}  # not birth date, sex, ID digest …
    assert package.materials == {"land_photo": GOOD_PAGE.jpeg}
    consent = outbox.get(world.core.db.conn, receipt.consent_tx_ids[0])
    assert consent is not None and canonical.loads(consent.envelope)["body"]["delivery"] == "county"
    assert world.core.db.read("SELECT COUNT(*) FROM loan_draft")[0][0] == 0

    apps = st.applications(world.core.db.conn, world.did)
    assert [(a.number, a.status) for a in apps] == [(receipt.number, st.LoanStatus.SUBMITTED)]


def _status(world: World, number: str, status: str, at: int, **extra: Any) -> None:
    payload = {"application": number, "did": world.did, "status": status, "at_ms": at, **extra}
    with world.core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, 'loan_status', ?, ?)",
            (f"{at:032x}", canonical.dumps(payload).decode(), at),
        )


def test_status_history_from_the_inbox_and_withdraw(world: World) -> None:
    flow = world.flow()
    world.to_attach(flow)
    flow.photograph("land_photo", FRAME)
    flow.review()
    number = flow.confirm(PIN).number
    _status(world, number, "received", 1)
    _status(world, number, "more_materials", 2, materials=["营业执照"])
    _status(world, "D20260101FFFFFFFF", "approved", 3, amount_fen=1)  # another application: not in this history
    app = st.applications(world.core.db.conn, world.did)[0]
    assert [e.words() for e in app.history] == ["银行已收到", "需要补充材料：营业执照"]
    assert app.status is st.LoanStatus.MORE_MATERIALS and app.can_withdraw
    tx = withdraw(world.services, world.did, number, PIN)
    assert outbox.get(world.core.db.conn, tx) is not None
    assert st.applications(world.core.db.conn, world.did)[0].withdrawn
    with pytest.raises(UserFacingError) as info:
        withdraw(world.services, world.did, number, PIN)
    assert info.value.message_key == "loan.application.withdrawn"
    _status(world, number, "approved", 4, amount_fen=5_000_000)
    assert st.applications(world.core.db.conn, world.did)[0].history[-1].words() == "已批准：5万元"


def test_an_interrupted_draft_resumes_with_its_pages(world: World) -> None:
    flow = world.flow()
    world.to_attach(flow)
    flow.photograph("land_photo", FRAME)
    flow.interrupt()
    world.clock.advance(600)
    again = world.flow()
    assert again.resume() and again.step is LoanStep.ATTACH
    assert (again.draft.amount_fen, again.draft.purpose, again.missing()) == (5_000_000, "种大蒜", [])
    assert again.review().bank_name == "兰考农商银行"


def test_a_resumed_draft_after_its_time_limit_is_wiped_with_a_clear_message(world: World) -> None:
    flow = world.flow()
    world.to_attach(flow)
    flow.interrupt()
    world.clock.advance(world.core.settings.loans.draft_resume_s + 1)
    with pytest.raises(UserFacingError) as info:
        world.flow().resume()
    assert info.value.message_key == "loan.draft.expired" and info.value.params == {"minutes": 30}
    assert world.core.db.read("SELECT COUNT(*) FROM loan_draft")[0][0] == 0
    assert world.flow().resume() is False


def test_an_application_for_a_withdrawn_product_is_refused(world: World) -> None:
    flow = world.flow()
    world.to_attach(flow)
    flow.interrupt()
    put_catalog(world.core, catalog_payload(world.bank_key, withdrawn=True), version=1)
    with pytest.raises(UserFacingError) as info:
        world.flow().resume()
    assert info.value.message_key == "loan.product.withdrawn"
    fresh = world.flow()
    assert fresh.products() == []
    with pytest.raises(UserFacingError) as info:
        fresh.choose("huinong-01")
    assert info.value.message_key == "loan.product.withdrawn"


def test_bad_form_input_and_eligibility_are_explained(world: World) -> None:
    flow = world.flow()
    flow.choose("huinong-01")
    flow.start_form()
    for args, key in (
        (("种大蒜", 2_000_000, 12), "loan.amount.out_of_range"),
        (("种大蒜", 5_000_000.5, 12), "loan.amount.not_fen"),
        (("种大蒜", 5_000_000, 18), "loan.term.not_offered"),
        (("  ", 5_000_000, 12), "loan.purpose.empty"),
    ):
        with pytest.raises(UserFacingError) as info:
            flow.fill(*args)
        assert info.value.message_key == key
    put_catalog(
        world.core,
        catalog_payload(world.bank_key, eligibility=[{"rule": "region", "prefix": "河南省杞县"}]),
        version=1,
    )
    other = world.flow()
    other.choose("huinong-01")
    other.start_form()
    with pytest.raises(UserFacingError) as info:
        other.fill("种大蒜", 5_000_000, 12)
    assert (info.value.message_key, info.value.params) == ("loan.unmet.region", {"region": "河南省杞县"})


def test_a_blurred_page_is_not_kept_and_nothing_is_missing_only_when_all_is_there(world: World) -> None:
    world.docs._script.extend([BLURRED_PAGE])
    world.docs._script.popleft()
    flow = world.flow()
    world.to_attach(flow)
    assert flow.photograph("land_photo", FRAME).hint.value == "blurred"
    with pytest.raises(UserFacingError) as info:
        flow.review()
    assert info.value.message_key == "loan.attach.missing" and info.value.params == {"items": "土地承包合同"}
    with pytest.raises(LoanFlowError):
        flow.confirm(PIN)


def test_a_wrong_pin_at_confirm_queues_nothing(world: World) -> None:
    flow = world.flow()
    world.to_attach(flow)
    flow.photograph("land_photo", FRAME)
    flow.review()
    with pytest.raises(UserFacingError) as info:
        flow.confirm("246813")
    assert info.value.message_key == "pin.wrong"
    assert world.core.db.read("SELECT COUNT(*) FROM outbox WHERE type LIKE 'loan.%'")[0][0] == 0
    assert flow.step is LoanStep.CONFIRM
