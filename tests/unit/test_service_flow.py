"""A government service request on fakes: the pre-filled form, the typed rest, materials, PIN, the sealed package,
the resumable draft, the office's answers as a history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from drivers.fake.clock import FakeClock
from drivers.fake.document import BLURRED_PAGE, GOOD_PAGE, FakeDocumentChecker
from kiosk.core import Core
from kiosk.credentials import jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Wallet
from kiosk.crypto import canonical
from kiosk.errors import UserFacingError
from kiosk.flows.service import ServiceFlow, ServiceFlowError, ServiceServices
from kiosk.flows.signin import VillagerSession
from kiosk.services import status as st
from kiosk.services.drafts import ServiceStep
from kiosk.services.package import open_request
from kiosk.store import outbox
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import ServiceRequestBody, validate_body
from kiosk.tx.verify import verify
from tests.helpers import enrol_someone
from tests.unit.document_pages import page_photo, to_frame
from tests.unit.loan_world import ED, REAL_NAME, give_credential
from tests.unit.services_world import (
    ALLOWANCE,
    ALLOWANCE_ANSWERS,
    DPF,
    PENSION,
    TAX_CERT,
    office_keys,
    put_services,
    service,
    services_payload,
)

PIN = "382917"
FRAME = to_frame(page_photo())


class World:
    def __init__(self, core: Core, clock: FakeClock) -> None:
        self.core, self.clock = core, clock
        self.keys = office_keys()
        self.issuer = ED.signer(ED.generate())
        self.did = enrol_someone(core, PIN)
        self.wallet = Wallet(core.db, core.device.secret)
        give_credential(core, self.wallet, self.did, self.issuer)
        self.payload = services_payload(self.keys)
        put_services(core, self.payload)
        self.docs = FakeDocumentChecker([GOOD_PAGE])
        self.services = ServiceServices(
            core.db,
            core.time,
            core.device,
            core.device_signer,
            core.keystore,
            self.wallet,
            self.docs,
            core.settings.services,
        )

    def flow(self, documents: FakeDocumentChecker | None = None) -> ServiceFlow:
        services = self.services if documents is None else replace(self.services, documents=documents)
        return ServiceFlow(services, VillagerSession(self.did, "张秀兰", None))

    def to_materials(self, flow: ServiceFlow) -> None:
        flow.choose(ALLOWANCE)
        flow.start_form()
        flow.fill(ALLOWANCE_ANSWERS)


@pytest.fixture
def world(open_kiosk: Callable[[], Core], clock: FakeClock) -> World:
    return World(open_kiosk(), clock)


def test_the_form_is_pre_filled_from_the_wallet_and_never_typed(world: World) -> None:
    flow = world.flow()
    assert [s.id for s in flow.offered()] == [ALLOWANCE, TAX_CERT, PENSION]
    details = flow.choose(ALLOWANCE)
    assert details.office_name == "兰考县残疾人联合会" and details.credentials == ("实名身份",)
    assert details.materials == ("残疾人证", "户口簿本人页") and not details.face_check
    form = {v.field.id: v for v in flow.start_form()}
    assert flow.step is ServiceStep.FORM
    for fid in ("name", "sex", "birth_date", "region"):
        assert form[fid].prefilled and form[fid].value == REAL_NAME[fid] and form[fid].source == "实名身份"
    assert form["region"].words == "河南省兰考县东坝头乡张庄村"
    assert not form["grade"].prefilled and form["grade"].value is None
    with pytest.raises(ServiceFlowError, match="pre-filled"):
        flow.fill({**ALLOWANCE_ANSWERS, "name": "李四"})  # typed twice: refused


def test_a_required_field_missing_is_named(world: World) -> None:
    flow = world.flow()
    flow.choose(ALLOWANCE)
    flow.start_form()
    answers = {k: v for k, v in ALLOWANCE_ANSWERS.items() if k != "grade"}
    with pytest.raises(UserFacingError) as info:
        flow.fill(answers)
    assert info.value.message_key == "service.field.required" and info.value.params == {"label": "残疾等级"}
    assert flow.draft.step == "form"
    flow.fill({**answers, "grade": "grade-1", "phone": "  "})  # an optional field left blank is fine
    assert flow.draft.step == "materials" and "phone" not in flow.draft.answers


def test_a_villager_without_the_credential_is_told_which_one(world: World) -> None:
    with world.core.db.transaction() as conn:
        conn.execute("DELETE FROM credential")
    flow = world.flow()
    flow.choose(TAX_CERT)
    with pytest.raises(UserFacingError) as info:
        flow.start_form()
    assert info.value.message_key == "service.missing.credential" and info.value.params == {"name": "实名身份"}


def test_the_whole_request_is_queued_sealed_to_the_office_with_consent(world: World) -> None:
    flow = world.flow(FakeDocumentChecker([BLURRED_PAGE, GOOD_PAGE]))
    world.to_materials(flow)
    assert flow.missing() == ["残疾人证", "户口簿本人页"]
    assert not flow.photograph("disability_card", FRAME).ok  # blurred: not kept, the hint says so
    with pytest.raises(UserFacingError, match=r"materials\.missing"):
        flow.review()
    flow.photograph("disability_card", FRAME)
    flow.photograph("household_register", FRAME)
    preview = flow.review()
    assert preview.words() == (
        "兰考县残疾人联合会将看到：实名身份：姓名、性别、出生日期、所在地区；填写的内容：残疾人证号（41022519580312002X43）、"
        "残疾类别（肢体）、残疾等级（二级）、申请哪项补贴（两项都申请）、是否低保家庭（是）；材料照片：残疾人证、户口簿本人页"
    )
    receipt = flow.confirm(PIN)
    assert flow.step is ServiceStep.DONE and receipt.number.startswith("S20261123") and len(receipt.consent_tx_ids) == 1
    assert receipt.service_name == "残疾人两项补贴" and receipt.office_name == "兰考县残疾人联合会"

    item = outbox.get(world.core.db.conn, receipt.tx_id)
    assert item is not None
    env = envm.parse(item.envelope)
    verify(env, world.core.registry.resolver)
    body = validate_body("service.request", env.body)
    assert isinstance(body, ServiceRequestBody) and body.office == DPF and body.did == world.did
    assert body.fields == list(ALLOWANCE_ANSWERS)  # names in the clear, never the answers
    clear = canonical.dumps(env.body).decode()
    assert "41022519580312002X43" not in clear and "张秀兰" not in clear and "东坝头" not in clear
    assert [d.claims for d in body.disclosures] == [["name", "sex", "birth_date", "region"]]
    package = open_request(body.sealed.model_dump(), world.keys[DPF], body.request)
    assert dict(package.answers) == ALLOWANCE_ANSWERS and set(package.materials) == {
        "disability_card",
        "household_register",
    }
    jwk = jose.public_jwk(world.issuer.suite.name, world.issuer.public_key)
    shown = sdjwt.verify(package.presentations[0], lambda _i, _k, _v: jwk, now_s=env.ts // 1000)
    assert shown.vct == Vct.REAL_NAME.value and sorted(shown.claims) == ["birth_date", "name", "region", "sex"]
    consent = outbox.get(world.core.db.conn, receipt.consent_tx_ids[0])
    assert consent is not None and envm.parse(consent.envelope).body["verifier"] == DPF
    assert not world.core.db.read("SELECT 1 FROM service_draft")  # the draft is gone once queued

    (req,) = flow.requests()
    assert req.number == receipt.number and req.status is st.ServiceStatus.SUBMITTED
    _deliver(world, {"request": receipt.number, "did": world.did, "status": "received", "at_ms": 10})
    _deliver(world, {"request": receipt.number, "did": world.did, "status": "approved", "at_ms": 20})
    _deliver(world, {"request": receipt.number, "did": "did:lxt:410225:" + "1" * 16, "status": "rejected", "at_ms": 30})
    (req,) = flow.requests()
    assert req.status is st.ServiceStatus.APPROVED and req.finished
    assert [e.words() for e in req.history] == ["办理部门已收到", "已批准"]


def _deliver(world: World, payload: dict[str, Any]) -> None:
    with world.core.db.transaction() as conn:
        n = conn.execute("SELECT count(*) FROM inbox").fetchone()[0]
        conn.execute(
            "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, 'service_status', ?, 0)",
            (f"i{n}", canonical.dumps(payload).decode()),
        )


def test_an_interrupted_request_resumes_with_its_answers_and_pages(world: World) -> None:
    flow = world.flow()
    world.to_materials(flow)
    flow.photograph("disability_card", FRAME)
    flow.interrupt()
    assert flow.step is ServiceStep.CANCELLED and not flow.draft.answers
    world.clock.advance(600)
    again = world.flow()
    assert again.resume()
    assert again.step is ServiceStep.MATERIALS and again.draft.answers == ALLOWANCE_ANSWERS
    assert again.missing() == ["户口簿本人页"]
    assert {v.field.id: v.value for v in again.form()}["name"] == "张秀兰"
    again.photograph("household_register", FRAME)
    again.review()
    assert again.confirm(PIN).number


def test_a_draft_past_its_time_limit_is_wiped_and_the_villager_told(world: World) -> None:
    flow = world.flow()
    world.to_materials(flow)
    flow.interrupt()
    world.clock.advance(world.core.settings.services.draft_resume_s + 1)
    again = world.flow()
    with pytest.raises(UserFacingError) as info:
        again.resume()
    assert info.value.message_key == "service.draft.expired" and info.value.params == {"minutes": 30}
    assert not again.resume()  # wiped: nothing left to resume


def test_a_changed_catalog_sends_a_resumed_draft_back_to_the_list(world: World) -> None:
    flow = world.flow()
    world.to_materials(flow)
    flow.interrupt()
    put_services(world.core, world.payload, version=2)
    again = world.flow()
    with pytest.raises(UserFacingError, match="catalog_changed"):
        again.resume()
    assert again.step is ServiceStep.SERVICE


def test_the_pension_check_is_handed_to_its_own_flow(world: World) -> None:
    flow = world.flow()
    details = flow.choose(PENSION)
    assert details.face_check and details.office_name == "兰考县人力资源和社会保障局"
    assert details.service.tx == "pension.proof_of_life" and flow.step is ServiceStep.SERVICE


def test_steps_out_of_order_and_unknown_materials_are_caller_bugs(world: World) -> None:
    flow = world.flow()
    with pytest.raises(ServiceFlowError):
        flow.review()
    world.to_materials(flow)
    with pytest.raises(ServiceFlowError, match="no material"):
        flow.photograph("passport", FRAME)
    with pytest.raises(ServiceFlowError):
        flow.confirm(PIN)


def test_a_form_without_materials_goes_straight_to_the_preview(world: World) -> None:
    flow = world.flow()
    flow.choose(TAX_CERT)
    flow.start_form()
    flow.fill({"tax_year": 2025, "tax_kind": "social", "purpose": "loan"})
    assert flow.missing() == []
    words = flow.review().words()
    assert words.startswith(
        "国家税务总局兰考县税务局将看到：实名身份：姓名、身份证号摘要；填写的内容：哪一年的（2025）"
    )
    assert service(world.payload, TAX_CERT)["outcome"] == "issued"
    assert flow.confirm(PIN).office_name == "国家税务总局兰考县税务局"
