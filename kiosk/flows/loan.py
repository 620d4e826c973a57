"""The loan application (issue 6) as a Qt-free state machine: product → details → form → attach → PIN → receipt.

The UI calls one method per step (off the GUI thread) and renders `step`. The typed draft is saved sealed after
every step, so a session cut short (idle timeout, power) resumes when the villager signs in again within
`loans.draft_resume_s`; later it is wiped and they are told. Basic information comes from the villager's
real-name credential and is never typed. The bank is shown only the claims the product asks for, sealed to its
key; the villager sees that list in plain words and confirms it with the PIN, which also signs `loan.apply` and
one `consent.receipt` per credential shown, all queued in one database transaction.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.clock import TimeService
from kiosk.config import LoansSettings
from kiosk.credentials import sdjwt
from kiosk.credentials.kinds import Vct, kind_of, preview
from kiosk.credentials.wallet import Wallet, WalletEntry
from kiosk.crypto.suites import Signer
from kiosk.errors import DomainError, UserFacingError
from kiosk.flows.signin import VillagerSession
from kiosk.identity.device import DeviceIdentity
from kiosk.identity.keystore import KeyStore
from kiosk.loans import eligibility
from kiosk.loans.catalog import Catalog, Product, load_catalog
from kiosk.loans.drafts import DraftStore, LoanDraft, LoanStep, Page
from kiosk.loans.money import CostSample, sample_cost
from kiosk.loans.package import MATERIALS_BUDGET, Package, bank_public_key, page_digest, seal_package
from kiosk.loans.submit import LoanReceipt, Submission, queue_application
from kiosk.ports import DocumentCheck, DocumentChecker, Frame
from kiosk.store.db import Database

logger = logging.getLogger(__name__)

SAMPLE_AMOUNT_FEN = 10_000_000  # 10万元, shown as the sample unless the product's range excludes it


class LoanFlowError(DomainError):
    """A step was called out of order: a bug in the caller."""


@dataclass(frozen=True, slots=True)
class LoanServices:
    db: Database
    time: TimeService
    device: DeviceIdentity
    device_signer: Signer
    keystore: KeyStore
    wallet: Wallet
    documents: DocumentChecker
    settings: LoansSettings


@dataclass(frozen=True, slots=True)
class BasicInfo:
    """Pre-filled from the real-name credential: shown, never typed."""

    name: str
    sex: str
    birth_date: str
    region: str


@dataclass(frozen=True, slots=True)
class ProductDetails:
    product: Product
    bank_name: str
    amount_range: str
    sample: CostSample
    rules: tuple[eligibility.Verdict, ...]  # each rule in plain words, and whether the villager's credentials meet it


@dataclass(frozen=True, slots=True)
class ShownCredential:
    vct: str
    name_zh: str
    claims_zh: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Preview:
    """What the bank will see, in plain words: "兰考农商银行将看到：实名身份：姓名、所在地区"."""

    bank_name: str
    credentials: tuple[ShownCredential, ...]
    materials: tuple[str, ...]

    def words(self) -> str:
        parts = [f"{c.name_zh}：{'、'.join(c.claims_zh)}" for c in self.credentials]
        if self.materials:
            parts.append("材料照片：" + "、".join(self.materials))
        return f"{self.bank_name}将看到：" + "；".join(parts)


class LoanFlow:
    def __init__(self, services: LoanServices, session: VillagerSession) -> None:
        self._s = services
        self._did = session.did
        self._drafts = DraftStore(services.device.secret, services.settings.draft_resume_s)
        self._catalog: Catalog | None = None
        self.draft = LoanDraft(started_ms=self._now_ms())
        self.receipt: LoanReceipt | None = None

    @property
    def step(self) -> LoanStep:
        return self.draft.step

    # --- plumbing -----------------------------------------------------------------------------------------

    def _now_ms(self) -> int:
        return int(self._s.time.now().at.timestamp() * 1000)

    def _expect(self, *steps: LoanStep) -> None:
        if self.draft.step not in steps:
            raise LoanFlowError(f"the loan flow is at {self.draft.step.value}, not {'/'.join(s.value for s in steps)}")

    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog(self._s.db.conn)
        return self._catalog

    def _go(self, step: LoanStep) -> None:
        self.draft.step = step
        with self._s.db.transaction() as conn:
            self._drafts.save(conn, self._did, self.draft, self._now_ms())

    def product(self) -> Product:
        return self.catalog().product(self.draft.product)

    # --- an interrupted draft ------------------------------------------------------------------------------

    def resume(self) -> bool:
        """Pick up this villager's saved draft, if any (True); `loan.draft.expired` if it ran out of time."""
        self._expect(LoanStep.PRODUCT)
        with self._s.db.transaction() as conn:
            draft, gone = self._drafts.load(conn, self._did, self._now_ms())
        if gone is not None:
            raise gone
        if draft is None:
            return False
        if draft.catalog_version != self.catalog().version:
            self.draft.started_ms = draft.started_ms  # the offer changed underneath: start from the product list
            self._go(LoanStep.PRODUCT)
            raise UserFacingError("loan.draft.catalog_changed")
        self.draft = draft
        self.catalog().product(draft.product)  # withdrawn since: refused in plain words
        return True

    def discard(self) -> None:
        """The villager gave up: the saved draft is wiped."""
        with self._s.db.transaction() as conn:
            self._drafts.wipe(conn, self._did)
        self.draft.wipe()
        self.draft.step = LoanStep.CANCELLED

    def interrupt(self) -> None:
        """The session ends (idle timeout): forget in memory, keep the sealed draft for resuming."""
        self.draft.wipe()
        self.draft.step = LoanStep.CANCELLED

    # --- 1. choose ------------------------------------------------------------------------------------------

    def products(self) -> list[Product]:
        return self.catalog().offered

    def choose(self, product_id: str) -> ProductDetails:
        self._expect(LoanStep.PRODUCT, LoanStep.DETAILS)
        product = self.catalog().product(product_id)
        self.draft.product, self.draft.catalog_version = product.id, self.catalog().version
        self._go(LoanStep.DETAILS)
        return self.details()

    # --- 2. details -----------------------------------------------------------------------------------------

    def details(self) -> ProductDetails:
        p = self.product()
        sample_amount = min(max(SAMPLE_AMOUNT_FEN, p.amount_min_fen), p.amount_max_fen)
        sample = sample_cost(sample_amount, max(p.term_months), p.rate_bp)
        rules = tuple(eligibility.check_all(p.eligibility, self._held_claims(p)))
        return ProductDetails(p, self.catalog().bank(p.bank).name, p.amount_range_text(), sample, rules)

    def start_form(self) -> BasicInfo:
        self._expect(LoanStep.DETAILS, LoanStep.FORM)
        info = self.basic_info()
        self._go(LoanStep.FORM)
        return info

    # --- 3. form --------------------------------------------------------------------------------------------

    def basic_info(self) -> BasicInfo:
        entries = self._s.wallet.entries(self._did, Vct.REAL_NAME.value)
        if not entries:
            raise UserFacingError("loan.missing.real_name")
        c = self._s.wallet.claims(self._did, entries[-1].id)
        return BasicInfo(str(c["name"]), str(c["sex"]), str(c["birth_date"]), str(c["region"]))

    def fill(self, purpose: str, amount_fen: int, term_months: int) -> None:
        """Check the form against the product, and eligibility against the villager's credentials."""
        self._expect(LoanStep.FORM, LoanStep.ATTACH)
        p = self.product()
        purpose = purpose.strip()
        if not 1 <= len(purpose) <= 60:
            raise UserFacingError("loan.purpose.empty")
        fen, months = p.check_amount(amount_fen), p.check_term(term_months)
        failing = eligibility.unmet(p.eligibility, self._held_claims(p))
        if failing:
            first = failing[0]
            raise UserFacingError(first.message_key, **first.params)
        self.draft.purpose, self.draft.amount_fen, self.draft.term_months = purpose, fen, months
        for need in p.credentials:  # one qualifying credential of a type: chosen for the villager
            found = self.candidates(need.vct)
            if len(found) == 1:
                self.draft.credentials[need.vct] = found[0].id
        self._go(LoanStep.ATTACH)

    # --- 4. attach ------------------------------------------------------------------------------------------

    def _held(self, vct: str) -> list[WalletEntry]:
        now_s = self._now_ms() // 1000
        return [e for e in self._s.wallet.entries(self._did, vct) if e.expires_s is None or e.expires_s > now_s]

    def candidates(self, vct: str) -> list[WalletEntry]:
        """The villager's unexpired credentials of `vct` holding every claim the product asks of it."""
        wanted = set(self.product().required_claims.get(vct, []))
        return [e for e in self._held(vct) if wanted <= set(self._s.wallet.claims(self._did, e.id))]

    def _held_claims(self, p: Product) -> dict[str, Mapping[str, Any]]:
        out: dict[str, Mapping[str, Any]] = {}
        for need in p.credentials:
            chosen = self.draft.credentials.get(need.vct)
            entries = [e for e in self._held(need.vct) if chosen in (None, e.id)]
            if entries:
                out[need.vct] = self._s.wallet.claims(self._did, entries[-1].id)
        return out

    def choose_credential(self, vct: str, cid: str) -> None:
        self._expect(LoanStep.ATTACH)
        if cid not in {e.id for e in self.candidates(vct)}:
            raise UserFacingError("loan.credential.not_qualifying", name=kind_of(vct).name_zh)
        self.draft.credentials[vct] = cid
        self._go(LoanStep.ATTACH)

    def photograph(self, material_id: str, frame: Frame) -> DocumentCheck:
        """Check a frame of a paper material; a page that passes is kept, else the verdict says what to fix."""
        self._expect(LoanStep.ATTACH)
        if material_id not in {m.id for m in self.product().materials}:
            raise LoanFlowError(f"the product asks for no material {material_id[:40]!r}")
        verdict = self._s.documents.check(frame)
        if verdict.ok:
            others = sum(len(p.jpeg) for k, p in self.draft.pages.items() if k != material_id)
            if others + len(verdict.jpeg) > MATERIALS_BUDGET:
                raise UserFacingError("loan.materials.too_large")
            self.draft.pages[material_id] = Page(verdict.jpeg, verdict.sharpness)
            self._go(LoanStep.ATTACH)
        return verdict

    def missing(self) -> list[str]:
        """What is still to attach, in plain words (credential type names, then material names)."""
        p = self.product()
        out = [kind_of(c.vct).name_zh for c in p.credentials if c.vct not in self.draft.credentials]
        return out + [m.name for m in p.materials if m.id not in self.draft.pages]

    def review(self) -> Preview:
        self._expect(LoanStep.ATTACH, LoanStep.CONFIRM)
        todo = self.missing()
        if todo:
            raise UserFacingError("loan.attach.missing", items="、".join(todo))
        p = self.product()
        shown = tuple(
            ShownCredential(c.vct, kind_of(c.vct).name_zh, tuple(preview(c.vct, c.claims))) for c in p.credentials
        )
        names = tuple(m.name for m in p.materials)
        self._go(LoanStep.CONFIRM)
        return Preview(self.catalog().bank(p.bank).name, shown, names)

    # --- 5. PIN and receipt ---------------------------------------------------------------------------------

    def confirm(self, pin: str) -> LoanReceipt:
        """Open the key with the PIN, present, seal, and queue loan.apply with its consent receipts."""
        self._expect(LoanStep.CONFIRM)
        p, catalog = self.product(), self.catalog()
        failing = eligibility.unmet(p.eligibility, self._held_claims(p))
        if failing:
            raise UserFacingError(failing[0].message_key, **failing[0].params)
        signer = self._s.keystore.unlock(self._did, pin, self._s.time.now)
        try:
            sub = self._submission(p, catalog, signer)
            receipt = queue_application(self._s, sub, signer, self._drafts)
        finally:
            signer.wipe()
        self.receipt = receipt
        self.draft.wipe()
        self.draft.step = LoanStep.DONE
        return receipt

    def _submission(self, p: Product, catalog: Catalog, signer: Signer) -> Submission:
        now = self._s.time.now().at.astimezone(UTC)
        number = application_number(now)
        nonce = secrets.token_urlsafe(24)
        bank = catalog.bank(p.bank)
        presentations, shown = [], []
        for need in p.credentials:
            cid = self.draft.credentials[need.vct]
            token = self._s.wallet.open(self._did, cid)
            presentations.append(
                sdjwt.present(token, need.claims, nonce=nonce, aud=bank.id, signer=signer, now_s=int(now.timestamp()))
            )
            shown.append((need.vct, cid, list(need.claims)))
        pages = {k: v.jpeg for k, v in self.draft.pages.items()}
        sealed = seal_package(Package(tuple(presentations), pages), bank_public_key(bank.key), number)
        return Submission(
            number=number,
            did=self._did,
            product=p,
            bank=bank,
            catalog_version=catalog.version,
            purpose=self.draft.purpose,
            amount_fen=self.draft.amount_fen,
            term_months=self.draft.term_months,
            shown=tuple(shown),
            presentations=tuple(presentations),
            materials=tuple((k, page_digest(v.jpeg), v.sharpness) for k, v in sorted(self.draft.pages.items())),
            nonce=nonce,
            sealed=sealed,
        )


def application_number(now: datetime) -> str:
    """D + the UTC date + 8 random hex digits: short enough to read out, unique enough for a county."""
    return f"D{now:%Y%m%d}{secrets.token_hex(4).upper()}"
