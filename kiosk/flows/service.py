"""A government service request (零跑腿, issue 6) as a Qt-free state machine: service → form → materials → PIN.

The UI calls one method per step (off the GUI thread) and renders `step`. The form is the service's schema from
the signed services catalog: fields a credential claim pre-fills are shown from the villager's wallet and never
typed; the rest are entered and checked. The office is shown exactly the claims that pre-fill its form (SD-JWT
presentations, key-bound to the request's nonce with the office as audience), the typed answers and the page
photos, all sealed to its key; the villager reads that list in plain words and confirms it with the PIN, which
also signs `service.request` and one `consent.receipt` per credential shown, queued in one database transaction.
The typed draft is saved sealed after every step, so an interrupted session resumes within
`services.draft_resume_s`. The yearly pension check is a catalog entry too, but its only "form" is the live face
check of kiosk/flows/pension.py (`pension.proof_of_life`): `choose` says so and this flow goes no further.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.applications.drafts import Page
from kiosk.applications.package import MATERIALS_BUDGET, page_digest
from kiosk.clock import TimeService
from kiosk.config import ServicesSettings
from kiosk.credentials import sdjwt
from kiosk.credentials.kinds import kind_of, preview
from kiosk.credentials.wallet import Wallet, WalletEntry
from kiosk.crypto.suites import Signer
from kiosk.errors import DomainError, UserFacingError
from kiosk.flows.signin import VillagerSession
from kiosk.identity.device import DeviceIdentity
from kiosk.identity.keystore import KeyStore
from kiosk.ports import DocumentCheck, DocumentChecker, Frame
from kiosk.services import status as st
from kiosk.services.catalog import Answer, FormField, Service, ServiceKind, ServicesCatalog, load_services
from kiosk.services.drafts import ServiceDraft, ServiceDraftStore, ServiceStep
from kiosk.services.package import RequestPackage, office_public_key, seal_request
from kiosk.services.submit import ServiceReceipt, ServiceSubmission, queue_request
from kiosk.store.db import Database

logger = logging.getLogger(__name__)


class ServiceFlowError(DomainError):
    """A step was called out of order, or with a field the form does not let be typed: a bug in the caller."""


@dataclass(frozen=True, slots=True)
class ServiceServices:
    db: Database
    time: TimeService
    device: DeviceIdentity
    device_signer: Signer
    keystore: KeyStore
    wallet: Wallet
    documents: DocumentChecker
    settings: ServicesSettings


@dataclass(frozen=True, slots=True)
class ServiceDetails:
    service: Service
    office_name: str
    face_check: bool  # the pension check: hand over to kiosk/flows/pension.py, not to this flow's form
    credentials: tuple[str, ...]  # the credential types that pre-fill the form, in plain words
    materials: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldView:
    """One field of the form as the screen shows it."""

    field: FormField
    value: Answer | None  # the pre-filled value, or what was entered so far
    prefilled: bool  # from a credential: shown, not editable
    source: str  # the credential type's name for a pre-filled field ("实名身份"), else ""

    @property
    def words(self) -> str:
        return "" if self.value is None else self.field.words(self.value)


@dataclass(frozen=True, slots=True)
class ServicePreview:
    """What the office will see, in plain words: "兰考县残联将看到：实名身份：姓名、所在地区；填写的内容：…"."""

    office_name: str
    credentials: tuple[tuple[str, tuple[str, ...]], ...]  # (credential type name, claim names)
    answers: tuple[tuple[str, str], ...]  # (field label, answer in words)
    materials: tuple[str, ...]

    def words(self) -> str:
        parts = [f"{name}：{'、'.join(claims)}" for name, claims in self.credentials]
        if self.answers:
            parts.append("填写的内容：" + "、".join(f"{label}（{value}）" for label, value in self.answers))
        if self.materials:
            parts.append("材料照片：" + "、".join(self.materials))
        return f"{self.office_name}将看到：" + "；".join(parts)


def _answer(value: object) -> Answer:
    return value if isinstance(value, str | int | bool) else str(value)


class ServiceFlow:
    def __init__(self, services: ServiceServices, session: VillagerSession) -> None:
        self._s = services
        self._did = session.did
        self._drafts = ServiceDraftStore(services.device.secret, services.settings.draft_resume_s)
        self._catalog: ServicesCatalog | None = None
        self.draft = ServiceDraft(started_ms=self._now_ms())
        self.receipt: ServiceReceipt | None = None

    @property
    def step(self) -> ServiceStep:
        return self.draft.step

    # --- plumbing -----------------------------------------------------------------------------------------

    def _now_ms(self) -> int:
        return int(self._s.time.now().at.timestamp() * 1000)

    def _expect(self, *steps: ServiceStep) -> None:
        if self.draft.step not in steps:
            raise ServiceFlowError(
                f"the service flow is at {self.draft.step.value}, not {'/'.join(s.value for s in steps)}"
            )

    def catalog(self) -> ServicesCatalog:
        if self._catalog is None:
            self._catalog = load_services(self._s.db.conn)
        return self._catalog

    def _go(self, step: ServiceStep) -> None:
        self.draft.step = step
        with self._s.db.transaction() as conn:
            self._drafts.save(conn, self._did, self.draft, self._now_ms())

    def service(self) -> Service:
        return self.catalog().service(self.draft.service)

    def requests(self) -> list[st.ServiceRequest]:
        """The villager's requests, newest first, with the office's answers so far."""
        return st.requests(self._s.db.conn, self._did)

    # --- an interrupted draft ------------------------------------------------------------------------------

    def resume(self) -> bool:
        """Pick up this villager's saved draft, if any (True); `service.draft.expired` if it ran out of time."""
        self._expect(ServiceStep.SERVICE)
        with self._s.db.transaction() as conn:
            draft, gone = self._drafts.load(conn, self._did, self._now_ms())
        if gone is not None:
            raise gone
        if draft is None:
            return False
        if draft.catalog_version != self.catalog().version:
            self.draft.started_ms = draft.started_ms  # the forms changed underneath: start from the list
            self._go(ServiceStep.SERVICE)
            raise UserFacingError("service.draft.catalog_changed")
        self.draft = draft
        self.catalog().service(draft.service)  # withdrawn since: refused in plain words
        return True

    def discard(self) -> None:
        """The villager gave up: the saved draft is wiped."""
        with self._s.db.transaction() as conn:
            self._drafts.wipe(conn, self._did)
        self.draft.wipe()
        self.draft.step = ServiceStep.CANCELLED

    def interrupt(self) -> None:
        """The session ends (idle timeout): forget in memory, keep the sealed draft for resuming."""
        self.draft.wipe()
        self.draft.step = ServiceStep.CANCELLED

    # --- 1. choose ------------------------------------------------------------------------------------------

    def offered(self) -> list[Service]:
        return self.catalog().offered

    def choose(self, service_id: str) -> ServiceDetails:
        self._expect(ServiceStep.SERVICE, ServiceStep.FORM)
        s = self.catalog().service(service_id)
        details = ServiceDetails(
            s,
            self.catalog().office(s.office).name.zh,
            s.kind is ServiceKind.FACE_CHECK,
            tuple(kind_of(vct).name_zh for vct in s.required_claims),
            tuple(m.name for m in s.materials),
        )
        if details.face_check:
            return details  # nothing to keep: the pension check is its own flow
        self.draft.service, self.draft.catalog_version = s.id, self.catalog().version
        self.draft.answers.clear()
        self._go(ServiceStep.SERVICE)
        return details

    # --- 2. form --------------------------------------------------------------------------------------------

    def _held(self, vct: str, claims: list[str]) -> list[WalletEntry]:
        now_s = self._now_ms() // 1000
        return [
            e
            for e in self._s.wallet.entries(self._did, vct)
            if (e.expires_s is None or e.expires_s > now_s)
            and set(claims) <= set(self._s.wallet.claims(self._did, e.id))
        ]

    def candidates(self, vct: str) -> list[WalletEntry]:
        """The villager's unexpired credentials of `vct` holding every claim the form takes from it."""
        return self._held(vct, self.service().required_claims.get(vct, []))

    def choose_credential(self, vct: str, cid: str) -> None:
        """Fill the form from another of the villager's credentials of this type (the newest is the default)."""
        self._expect(ServiceStep.FORM)
        if cid not in {e.id for e in self.candidates(vct)}:
            raise UserFacingError("service.credential.not_qualifying", name=kind_of(vct).name_zh)
        self.draft.credentials[vct] = cid
        self._go(ServiceStep.FORM)

    def start_form(self) -> tuple[FieldView, ...]:
        """The form, pre-filled from the wallet; `service.missing.credential` if a credential it needs is not held."""
        self._expect(ServiceStep.SERVICE, ServiceStep.FORM, ServiceStep.MATERIALS)
        s = self.service()
        if s.kind is ServiceKind.FACE_CHECK:
            raise ServiceFlowError(f"service {s.id} is the face check of kiosk/flows/pension.py, not a form")
        for vct in s.required_claims:
            found = self.candidates(vct)
            if not found:
                raise UserFacingError("service.missing.credential", name=kind_of(vct).name_zh)
            if self.draft.credentials.get(vct) not in {e.id for e in found}:
                self.draft.credentials[vct] = found[-1].id
        self._go(ServiceStep.FORM)
        return self.form()

    def form(self) -> tuple[FieldView, ...]:
        s = self.service()
        claims: dict[str, Mapping[str, object]] = {
            vct: self._s.wallet.claims(self._did, cid) for vct, cid in self.draft.credentials.items()
        }
        out = []
        for f in s.fields:
            if f.prefill is None:
                out.append(FieldView(f, self.draft.answers.get(f.id), False, ""))
            else:
                value = claims.get(f.prefill.vct, {}).get(f.prefill.claim)
                shown = None if value is None else _answer(value)
                out.append(FieldView(f, shown, True, kind_of(f.prefill.vct).name_zh))
        return tuple(out)

    def fill(self, answers: Mapping[str, object]) -> None:
        """Check the typed answers against the form: a required one missing or a bad value says which field."""
        self._expect(ServiceStep.FORM, ServiceStep.MATERIALS)
        s = self.service()
        prefilled = sorted(k for k in answers if k in {f.id for f in s.fields if f.prefill is not None})
        if prefilled:  # never typed twice: the credential's value is the answer
            raise ServiceFlowError(f"field {prefilled[0][:40]!r} is pre-filled from a credential, not typed")
        self.draft.answers = s.check_answers(answers)
        self._go(ServiceStep.MATERIALS)

    # --- 3. materials ---------------------------------------------------------------------------------------

    def photograph(self, material_id: str, frame: Frame) -> DocumentCheck:
        """Check a frame of a paper material; a page that passes is kept, else the verdict says what to fix."""
        self._expect(ServiceStep.MATERIALS)
        if material_id not in {m.id for m in self.service().materials}:
            raise ServiceFlowError(f"the service asks for no material {material_id[:40]!r}")
        verdict = self._s.documents.check(frame)
        if verdict.ok:
            others = sum(len(p.jpeg) for k, p in self.draft.pages.items() if k != material_id)
            if others + len(verdict.jpeg) > MATERIALS_BUDGET:
                raise UserFacingError("service.materials.too_large")
            self.draft.pages[material_id] = Page(verdict.jpeg, verdict.sharpness)
            self._go(ServiceStep.MATERIALS)
        return verdict

    def missing(self) -> list[str]:
        """The materials still to photograph, in plain words."""
        return [m.name for m in self.service().materials if m.id not in self.draft.pages]

    def review(self) -> ServicePreview:
        self._expect(ServiceStep.MATERIALS, ServiceStep.CONFIRM)
        todo = self.missing()
        if todo:
            raise UserFacingError("service.materials.missing", items="、".join(todo))
        s = self.service()
        shown = tuple((kind_of(vct).name_zh, tuple(preview(vct, claims))) for vct, claims in s.required_claims.items())
        answers = tuple((f.label.zh, f.words(self.draft.answers[f.id])) for f in s.typed if f.id in self.draft.answers)
        self._go(ServiceStep.CONFIRM)
        return ServicePreview(
            self.catalog().office(s.office).name.zh, shown, answers, tuple(m.name for m in s.materials)
        )

    # --- 4. PIN and receipt ---------------------------------------------------------------------------------

    def confirm(self, pin: str) -> ServiceReceipt:
        """Open the key with the PIN, present, seal, and queue service.request with its consent receipts."""
        self._expect(ServiceStep.CONFIRM)
        s = self.service()
        signer = self._s.keystore.unlock(self._did, pin, self._s.time.now)
        try:
            receipt = queue_request(self._s, self._submission(s, signer), signer, self._drafts)
        finally:
            signer.wipe()
        self.receipt = receipt
        self.draft.wipe()
        self.draft.step = ServiceStep.DONE
        return receipt

    def _submission(self, s: Service, signer: Signer) -> ServiceSubmission:
        catalog = self.catalog()
        now = self._s.time.now().at.astimezone(UTC)
        number = request_number(now)
        nonce = secrets.token_urlsafe(24)
        office = catalog.office(s.office)
        presentations, shown = [], []
        for vct, claims in s.required_claims.items():
            cid = self.draft.credentials[vct]
            token = self._s.wallet.open(self._did, cid)
            now_s = int(now.timestamp())
            presentations.append(sdjwt.present(token, claims, nonce=nonce, aud=office.id, signer=signer, now_s=now_s))
            shown.append((vct, cid, list(claims)))
        pages = {k: v.jpeg for k, v in self.draft.pages.items()}
        package = RequestPackage(dict(self.draft.answers), tuple(presentations), pages)
        return ServiceSubmission(
            number=number,
            did=self._did,
            service=s,
            office=office,
            catalog_version=catalog.version,
            fields=tuple(f.id for f in s.typed if f.id in self.draft.answers),
            shown=tuple(shown),
            presentations=tuple(presentations),
            materials=tuple((k, page_digest(v.jpeg), v.sharpness) for k, v in sorted(self.draft.pages.items())),
            nonce=nonce,
            sealed=seal_request(package, office_public_key(office.key), number),
        )


def request_number(now: datetime) -> str:
    """S + the UTC date + 8 random hex digits: short enough to read out, unique enough for a county."""
    return f"S{now:%Y%m%d}{secrets.token_hex(4).upper()}"
