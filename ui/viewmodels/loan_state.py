"""The loan screens' state as frozen dataclasses, the words' helpers, and `LoanDesk`, the core's loan pieces
(ui/viewmodels/loan.py drives them). Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

from kiosk.core import Core
from kiosk.credentials.wallet import Wallet
from kiosk.errors import UserFacingError
from kiosk.flows.loan import BasicInfo, LoanFlow, LoanServices, ProductDetails
from kiosk.flows.signin import VillagerSession
from kiosk.loans import status as statusm
from kiosk.loans.drafts import LoanStep
from kiosk.loans.submit import LoanReceipt, withdraw
from kiosk.ports import DocumentChecker, DocumentHint

PER_PAGE = 4  # UI.md: at most four choices on a screen
CHINA = timezone(timedelta(hours=8))
Problem = UserFacingError | str  # the core's error, or one of ui/text_loan.py's words


class LoanPhase(StrEnum):
    STARTING = "starting"  # looking for a saved draft or the catalog
    PRODUCTS = "products"
    DETAILS = "details"
    FORM = "form"
    MATERIALS = "materials"
    REVIEW = "review"
    PIN = "pin"
    DONE = "done"
    RESUME = "resume"  # a saved draft: go on with it, or start again
    NOTICE = "notice"  # a calm message (no catalog, a draft past its time limit, no real-name credential)
    APPLICATIONS = "applications"
    APPLICATION = "application"
    WITHDRAW = "withdraw"  # "要撤回这笔申请吗？" confirmed with the PIN
    CLOSED = "closed"  # the villager went on elsewhere


class Entry(StrEnum):
    APPLY = "apply"  # the 贷款 tile
    PROGRESS = "progress"  # the 进度查询 tile
    SIGNIN = "signin"  # only a sign-in: a saved draft is offered, nothing else


@dataclass(frozen=True, slots=True)
class ProductLine:
    id: str
    bank: str
    name: str
    amount_min_fen: int
    amount_max_fen: int
    purpose: str


@dataclass(frozen=True, slots=True)
class FormState:
    info: BasicInfo
    amount_digits: str  # whole 元 as typed on the keypad
    purpose: str
    term_months: int
    purposes: tuple[str, ...]  # the product's own purposes, at most four
    terms: tuple[int, ...]
    amount_min_fen: int
    amount_max_fen: int


@dataclass(frozen=True, slots=True)
class MaterialStep:
    index: int  # which of the product's materials
    count: int
    id: str
    name: str
    verdict: DocumentHint | None  # None: not photographed yet (or retaking)
    kept: bool  # a page passed the check and is in the draft


@dataclass(frozen=True, slots=True)
class ReviewState:
    bank: str
    product: str
    amount_fen: int
    term_months: int
    purpose: str
    shown: tuple[tuple[str, tuple[str, ...]], ...]  # (vct, claim names) the bank will see
    materials: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LoanState:
    phase: LoanPhase = LoanPhase.STARTING
    busy: bool = False
    error: Problem | None = None
    page: int = 0
    products: tuple[ProductLine, ...] = ()
    details: ProductDetails | None = None
    form: FormState | None = None
    material: MaterialStep | None = None
    review: ReviewState | None = None
    receipt: LoanReceipt | None = None
    resume_step: LoanStep | None = None
    resume_product: str = ""
    notice: Problem | None = None
    close_after_notice: bool = False  # the notice says why nothing could start: 知道了 leaves
    applications: tuple[statusm.Application, ...] = ()
    selected: statusm.Application | None = None
    withdrawn_tx: str = ""

    @property
    def pages(self) -> int:
        items = len(self.applications if self.phase is LoanPhase.APPLICATIONS else self.products)
        return max(1, -(-items // PER_PAGE))

    def on_page(self, items: tuple[ProductLine, ...] | tuple[statusm.Application, ...]) -> tuple[object, ...]:
        return tuple(items[self.page * PER_PAGE : (self.page + 1) * PER_PAGE])


def cn_date(ms: int) -> tuple[int, int, int]:
    """(year, month, day) in China time, for "2026年11月23日"."""
    d = datetime.fromtimestamp(ms / 1000, UTC).astimezone(CHINA)
    return d.year, d.month, d.day


def reading_s(words: str) -> float:
    """About how long the speaker takes to read `words` aloud (Mandarin, ~4 characters a second)."""
    return 2.0 + len(words) / 4.0


def purposes_of(purpose: str) -> tuple[str, ...]:
    """The product's purpose line ("种植、养殖、农资") as up to four choices."""
    parts = [p.strip() for p in purpose.replace("，", "、").replace(",", "、").split("、")]
    return tuple(p for p in parts if p)[:PER_PAGE] or (purpose,)


class LoanDesk:
    """The core's loan pieces for the screens (each call blocks: run it on the store lane)."""

    def __init__(self, core: Core, documents: DocumentChecker) -> None:
        wallet = Wallet(core.db, core.device.secret)
        self.services = LoanServices(
            core.db,
            core.time,
            core.device,
            core.device_signer,
            core.keystore,
            wallet,
            documents,
            core.settings.loans,
        )

    def flow(self, session: VillagerSession) -> LoanFlow:
        return LoanFlow(self.services, session)

    def applications(self, did: str) -> tuple[statusm.Application, ...]:
        return tuple(statusm.applications(self.services.db.conn, did))

    def withdraw(self, did: str, number: str, pin: str) -> str:
        return withdraw(self.services, did, number, pin)
