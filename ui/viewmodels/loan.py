"""The loan screens' state (issue 6): products → details → form → materials → review → PIN → receipt, and
我的申请 with its history and withdrawal. Qt-free; every call into `LoanFlow` or the database runs through the
`store` runner, the camera's frame through `hw`.

The flow keeps its draft sealed after every step, so the session may end at any time (home, the idle timeout):
`cancel()` only forgets it in memory, and the next sign-in offers to go on (`start` looks for the draft first).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from kiosk.errors import DeviceError, UserFacingError
from kiosk.flows.loan import ProductDetails
from kiosk.flows.signin import VillagerSession
from kiosk.loans import status as statusm
from kiosk.loans.drafts import LoanStep
from kiosk.loans.money import parse_yuan
from kiosk.ports import DocumentHint, Frame
from ui import text_loan as t
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.loan_state import (
    PER_PAGE,
    Entry,
    FormState,
    LoanDesk,
    LoanPhase,
    LoanState,
    MaterialStep,
    Problem,
    ProductLine,
    ReviewState,
    cn_date,
    purposes_of,
    reading_s,
)
from ui.viewmodels.pin import PinEntry

__all__ = [
    "PER_PAGE",
    "Entry",
    "LoanDesk",
    "LoanPhase",
    "LoanState",
    "LoanViewModel",
    "Problem",
    "ProductLine",
    "cn_date",
    "reading_s",
]

logger = logging.getLogger(__name__)
MAX_AMOUNT_DIGITS = 10  # 元: up to 99亿, well above any product's range
T = TypeVar("T")


class LoanViewModel(Observable):
    def __init__(
        self,
        desk: LoanDesk,
        session: VillagerSession,
        grab: Callable[[], Frame],
        hw: Run,
        store: Run,
        shuffle: bool = False,
    ) -> None:
        super().__init__()
        self._desk = desk
        self._did = session.did
        self._session = session
        self._flow = desk.flow(session)
        self._grab = grab
        self._hw, self._store = hw, store
        self.pin = PinEntry(shuffle)
        self.entry = Entry.SIGNIN
        self.state = LoanState()
        self._ended = False

    # --- plumbing -------------------------------------------------------------------------------------------

    def _set(self, **changes: object) -> None:
        if self._ended:
            return
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._changed()

    def _work(self, work: Callable[[], T], ok: Callable[[T], None], lane: Run | None = None) -> None:
        if self._ended or self.state.busy:
            return  # a submit is disabled after the first tap until the work answers (UI.md "Touch")
        self._set(busy=True, error=None)

        def done(result: T) -> None:
            if not self._ended:
                self.state = replace(self.state, busy=False)
                ok(result)

        (lane or self._store)(work, done, self._failed)

    def _failed(self, exc: Exception) -> None:
        if self._ended:
            return
        problem: Problem
        if isinstance(exc, UserFacingError):
            problem = exc
        elif isinstance(exc, DeviceError):
            problem = t.CAMERA_WAIT
        else:
            logger.warning("loan work failed: %s", type(exc).__name__)  # said calmly; the type for technicians
            problem = t.FAILED
        if self.state.phase is LoanPhase.STARTING:  # nothing to show yet (no catalog …): a calm screen says it
            self._set(busy=False, phase=LoanPhase.NOTICE, notice=problem, close_after_notice=True)
        else:
            self._set(busy=False, error=problem)

    @property
    def holds_work(self) -> bool:
        """Never: the draft is saved after every step and offered again at the next sign-in."""
        return False

    def cancel(self) -> None:
        """The session ended: forget the draft in memory (its sealed copy stays for resuming); wipe the PIN."""
        if self._ended:
            return
        self._ended = True
        self.pin.clear()
        self._store(self._flow.interrupt, lambda _r: None, lambda _e: None)

    # --- entering ----------------------------------------------------------------------------------------

    def start(self, entry: Entry) -> None:
        """A saved draft first (offered, or a calm word that it ran out); then what the tile asked for."""
        self.entry = entry
        self._set(phase=LoanPhase.STARTING)
        self._work(self._look_for_draft, self._draft_looked)

    def _look_for_draft(self) -> tuple[bool, UserFacingError | None]:
        try:
            return self._flow.resume(), None
        except UserFacingError as exc:  # expired, unreadable, or the offer changed: said once, then on we go
            return False, exc

    def _draft_looked(self, found: tuple[bool, UserFacingError | None]) -> None:
        resumed, notice = found
        if resumed:
            self._set(phase=LoanPhase.RESUME, resume_step=self._flow.step, resume_product=self._product_name_or_blank())
        elif notice is not None:
            self._set(phase=LoanPhase.NOTICE, notice=notice)
        else:
            self._after_draft()

    def _product_name_or_blank(self) -> str:
        try:
            return self._flow.product().name
        except UserFacingError:
            return ""

    def _after_draft(self) -> None:
        self.state = replace(self.state, phase=LoanPhase.STARTING)  # a failure to load says so on its own screen
        if self.entry is Entry.APPLY:
            self.show_products()
        elif self.entry is Entry.PROGRESS:
            self.show_applications()
        else:
            self._set(phase=LoanPhase.CLOSED)

    def dismiss_notice(self) -> None:
        if self.state.close_after_notice:
            self._set(notice=None, phase=LoanPhase.CLOSED)
            return
        self._set(notice=None)
        self._after_draft()

    # --- 1. products -----------------------------------------------------------------------------------------

    def show_products(self) -> None:
        self._work(self._products, lambda lines: self._set(phase=LoanPhase.PRODUCTS, products=lines, page=0))

    def _products(self) -> tuple[ProductLine, ...]:
        catalog = self._flow.catalog()
        return tuple(
            ProductLine(p.id, catalog.bank(p.bank).name, p.name, p.amount_min_fen, p.amount_max_fen, p.purpose)
            for p in self._flow.products()
        )

    def turn(self, delta: int) -> None:
        page = min(max(self.state.page + delta, 0), self.state.pages - 1)
        self._set(page=page, error=None)

    def choose(self, product_id: str) -> None:
        self._work(lambda: self._flow.choose(product_id), self._show_details)

    def _show_details(self, details: ProductDetails) -> None:
        self._set(phase=LoanPhase.DETAILS, details=details)

    # --- 2. details → 3. form -------------------------------------------------------------------------------

    def to_form(self) -> None:
        self._work(self._start_form, lambda form: self._set(phase=LoanPhase.FORM, form=form))

    def _start_form(self) -> FormState:
        info = self._flow.start_form()
        p, d = self._flow.product(), self._flow.draft
        old = self.state.form
        digits = old.amount_digits if old is not None else (str(d.amount_fen // 100) if d.amount_fen else "")
        purpose = old.purpose if old is not None else d.purpose
        term = old.term_months if old is not None else d.term_months
        terms = tuple(p.term_months)
        return FormState(
            info,
            digits,
            purpose,
            term if term in terms else 0,
            purposes_of(p.purpose),
            terms,
            p.amount_min_fen,
            p.amount_max_fen,
        )

    def _form(self, **changes: object) -> None:
        if self.state.form is not None:
            self._set(form=replace(self.state.form, **changes), error=None)  # type: ignore[arg-type]

    def key(self, digit: str) -> None:
        form = self.state.form
        if form is None or len(digit) != 1 or not digit.isdigit():
            return
        if len(form.amount_digits) >= MAX_AMOUNT_DIGITS or (digit == "0" and not form.amount_digits):
            return  # no leading zero: "0" is never an amount to lend
        self._form(amount_digits=form.amount_digits + digit)

    def delete(self) -> None:
        if self.state.form is not None:
            self._form(amount_digits=self.state.form.amount_digits[:-1])

    def clear_amount(self) -> None:
        self._form(amount_digits="")

    def set_purpose(self, purpose: str) -> None:
        self._form(purpose=purpose)

    def set_term(self, months: int) -> None:
        self._form(term_months=months)

    def submit_form(self) -> None:
        form = self.state.form
        if form is None:
            return
        if not form.amount_digits:
            self._set(error=t.AMOUNT_MISSING)
            return
        if not form.term_months:
            self._set(error=t.TERM_MISSING)
            return
        self._work(lambda: self._fill(form), self._filled)

    def _fill(self, form: FormState) -> MaterialStep | ReviewState:
        self._flow.fill(form.purpose, parse_yuan(form.amount_digits), form.term_months)
        for need in self._flow.product().credentials:
            if need.vct not in self._flow.draft.credentials:
                found = self._flow.candidates(need.vct)
                if found:  # several qualifying: the newest (the preview shows exactly what the bank sees)
                    self._flow.choose_credential(need.vct, found[-1].id)
        return self._next_material(0)

    def _next_material(self, start: int) -> MaterialStep | ReviewState:
        materials = self._flow.product().materials
        for i in range(start, len(materials)):
            if materials[i].id not in self._flow.draft.pages:
                return MaterialStep(i, len(materials), materials[i].id, materials[i].name, None, False)
        return self._review()

    def _filled(self, nxt: MaterialStep | ReviewState) -> None:
        if isinstance(nxt, MaterialStep):
            self._set(phase=LoanPhase.MATERIALS, material=nxt)
        else:
            self._set(phase=LoanPhase.REVIEW, review=nxt)

    # --- 4. materials ----------------------------------------------------------------------------------------

    def capture(self) -> None:
        """One frame from the camera (device lane), checked and kept by the flow (store lane)."""
        step = self.state.material
        if step is None:
            return
        self._work(self._grab, lambda frame: self._check(step, frame), self._hw)

    def _check(self, step: MaterialStep, frame: Frame) -> None:
        def checked(hint: DocumentHint) -> None:
            self._set(material=replace(step, verdict=hint, kept=hint is DocumentHint.OK))

        self._work(lambda: self._flow.photograph(step.id, frame).hint, checked)

    def retake(self) -> None:
        step = self.state.material
        if step is not None:
            self._set(material=replace(step, verdict=None, kept=False), error=None)

    def next_material(self) -> None:
        step = self.state.material
        if step is None or not step.kept:
            return
        self._work(lambda: self._next_material(step.index + 1), self._filled)

    # --- 5. review, PIN, receipt --------------------------------------------------------------------------

    def _review(self) -> ReviewState:
        preview = self._flow.review()
        p, d = self._flow.product(), self._flow.draft
        shown = tuple((c.vct, tuple(c.claims)) for c in p.credentials)
        return ReviewState(preview.bank_name, p.name, d.amount_fen, d.term_months, d.purpose, shown, preview.materials)

    def to_pin(self) -> None:
        self.pin.clear()
        self._set(phase=LoanPhase.PIN, error=None)

    def submit_pin(self) -> None:
        if not self.pin.state.complete:
            return
        pin = self.pin.take()
        self._work(lambda: self._flow.confirm(pin), lambda r: self._set(phase=LoanPhase.DONE, receipt=r))

    # --- going back ---------------------------------------------------------------------------------------

    @property
    def can_back(self) -> bool:
        """Back where the flow can go back: it moves forward only, so not from the review (it is confirmed)."""
        phase, step = self.state.phase, self._flow.step
        if phase is LoanPhase.DETAILS:
            return step in (LoanStep.PRODUCT, LoanStep.DETAILS)
        return phase in (
            LoanPhase.FORM,
            LoanPhase.MATERIALS,
            LoanPhase.PIN,
            LoanPhase.APPLICATION,
            LoanPhase.WITHDRAW,
        ) and not (phase is LoanPhase.MATERIALS and step is LoanStep.CONFIRM)

    def back(self) -> None:
        if not self.can_back or self.state.busy:
            return
        phase = self.state.phase
        self.pin.clear()
        if phase is LoanPhase.DETAILS:
            self._set(phase=LoanPhase.PRODUCTS, error=None)
        elif phase is LoanPhase.FORM:
            self._set(phase=LoanPhase.DETAILS, error=None)
        elif phase is LoanPhase.MATERIALS:
            self.to_form()
        elif phase is LoanPhase.PIN:
            self._set(phase=LoanPhase.REVIEW, error=None)
        elif phase is LoanPhase.APPLICATION:
            self._set(phase=LoanPhase.APPLICATIONS, error=None)
        else:
            self._set(phase=LoanPhase.APPLICATION, error=None)

    # --- a saved draft ----------------------------------------------------------------------------------

    def go_on(self) -> None:
        """Continue the resumed draft at its step."""
        step = self._flow.step
        if step is LoanStep.DETAILS:
            self._work(self._flow.details, self._show_details)
        elif step is LoanStep.FORM:
            self.to_form()
        elif step is LoanStep.ATTACH:
            self._work(self._resume_attach, self._resumed_attach)
        elif step is LoanStep.CONFIRM:
            self._work(self._review, lambda r: self._set(phase=LoanPhase.REVIEW, review=r))
        else:
            self.show_products()

    def _resume_attach(self) -> tuple[FormState, MaterialStep | ReviewState]:
        return self._start_form_keeping_attach(), self._next_material(0)

    def _start_form_keeping_attach(self) -> FormState:
        d, p = self._flow.draft, self._flow.product()
        terms = tuple(p.term_months)
        return FormState(
            self._flow.basic_info(),
            str(d.amount_fen // 100),
            d.purpose,
            d.term_months,
            purposes_of(p.purpose),
            terms,
            p.amount_min_fen,
            p.amount_max_fen,
        )

    def _resumed_attach(self, found: tuple[FormState, MaterialStep | ReviewState]) -> None:
        self.state = replace(self.state, form=found[0])
        self._filled(found[1])

    def start_again(self) -> None:
        """Not this draft: it is wiped, and the product list (or what the tile asked for) follows."""
        self._work(self._flow.discard, lambda _r: self._restart())

    def _restart(self) -> None:
        self._flow = self._desk.flow(self._session)
        self._after_draft()

    # --- 我的申请 ---------------------------------------------------------------------------------------

    def show_applications(self) -> None:
        self._work(
            lambda: self._desk.applications(self._did),
            lambda apps: self._set(phase=LoanPhase.APPLICATIONS, applications=apps, page=0, selected=None),
        )

    def open_application(self, number: str) -> None:
        found = [a for a in self.state.applications if a.number == number]
        if found:
            self._set(phase=LoanPhase.APPLICATION, selected=found[0], error=None)

    def ask_withdraw(self) -> None:
        app = self.state.selected
        if app is not None and app.can_withdraw:
            self.pin.clear()
            self._set(phase=LoanPhase.WITHDRAW, error=None)

    def confirm_withdraw(self) -> None:
        app = self.state.selected
        if app is None or not self.pin.state.complete:
            return
        pin = self.pin.take()
        self._work(lambda: self._withdrawn(app.number, pin), self._after_withdraw)

    def _withdrawn(self, number: str, pin: str) -> tuple[str, tuple[statusm.Application, ...]]:
        tx = self._desk.withdraw(self._did, number, pin)
        return tx, self._desk.applications(self._did)

    def _after_withdraw(self, result: tuple[str, tuple[statusm.Application, ...]]) -> None:
        tx, apps = result
        number = self.state.selected.number if self.state.selected is not None else ""
        selected = next((a for a in apps if a.number == number), None)
        self._set(phase=LoanPhase.APPLICATION, applications=apps, selected=selected, withdrawn_tx=tx)
