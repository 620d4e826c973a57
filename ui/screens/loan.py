"""The loan screens (issue 6): products → details → form → materials → review → PIN → receipt, a saved draft
offered again, calm notices, and 我的申请 with each application's history and its withdrawal."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QSize

from kiosk.credentials.kinds import kind_of, preview
from kiosk.errors import UserFacingError
from ui import icons, text
from ui import text_loan as t
from ui.screen import Screen
from ui.screens.loan_parts import (
    AmountKeypad,
    ChoiceRow,
    KeepAwake,
    PagePreview,
    ProductCard,
    VerdictLine,
    about,
    lang,
    money,
    months,
    restyle,
)
from ui.screens.pin_parts import PinPad
from ui.text import message, tr
from ui.viewmodels.loan import PER_PAGE, LoanPhase, LoanViewModel, Problem
from ui.widgets import ErrorLine, IconView, QrView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    LoanPhase.PRODUCTS: "loan_products",
    LoanPhase.DETAILS: "loan_details",
    LoanPhase.FORM: "loan_form",
    LoanPhase.MATERIALS: "loan_materials",
    LoanPhase.REVIEW: "loan_review",
    LoanPhase.PIN: "loan_pin",
    LoanPhase.DONE: "loan_done",
    LoanPhase.RESUME: "loan_resume",
    LoanPhase.NOTICE: "loan_notice",
    LoanPhase.APPLICATIONS: "loan_mine",
    LoanPhase.APPLICATION: "loan_application",
    LoanPhase.WITHDRAW: "loan_withdraw",
}


def words_of(problem: Problem) -> str:
    return message(problem) if isinstance(problem, UserFacingError) else tr(problem)


def route_loan(window: KioskWindow, vm: LoanViewModel) -> None:
    """Show the phase's screen (it speaks its prompt); on the same screen re-render and speak a new error."""
    if window.loans.vm is not vm:
        return
    current = window.current
    if vm.state.phase is LoanPhase.CLOSED:
        if isinstance(current, LoanScreen):
            window.go(window.loans.return_to)
        return
    target = SCREEN_OF.get(vm.state.phase)
    if target is None:
        return  # still looking (a database read): the screen shown stays
    if current is None or current.name != target:
        window.go(target)
        return
    if isinstance(current, LoanScreen):
        error, said, before = vm.state.error, current.said_error, current.prompt()
        current.refresh_view()
        after = current.prompt()
        changed = after if after != before else ""  # what changed on the screen (a page's verdict)
        words = words_of(error) if error is not None and error is not said else changed
        if words:
            window.services.speaker.interrupt()
            window.speak(words)


class LoanScreen(Screen):
    step: ClassVar[int | None] = None  # the progress of the five steps

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.said_error: Problem | None = None

    @property
    def vm(self) -> LoanViewModel | None:
        return self.window_.loans.vm

    def enter(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        self.set_progress(self.step, 5)
        self.back.setVisible(vm.can_back)
        err = vm.state.error
        self.said_error = err
        self.error.set_error(words_of(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: LoanViewModel) -> None:
        """Each screen renders its part of the state."""

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back()

    def prompt(self) -> str:
        body = self.body.text() if self.body.isVisible() and not self.body.property("data") else ""
        return f"{self.title.text()}。{body}" if body else self.title.text()


class _Paged(LoanScreen):
    """Up to four cards a page, with 上一页 / 下一页 beside them."""

    def _pager(self, window: KioskWindow) -> None:
        self.side_box.show()
        self.prev = TapButton(tr(t.PREV_PAGE), lambda: self.vm.turn(-1) if self.vm else None)
        self.page = label("", "body")
        self.next = TapButton(tr(t.NEXT_PAGE), lambda: self.vm.turn(1) if self.vm else None)
        for w in (self.prev, self.page, self.next):
            self.side.addWidget(w)

    def _pages(self, vm: LoanViewModel, count: int) -> None:
        pages = vm.state.pages
        for w in (self.prev, self.page, self.next):
            w.setVisible(pages > 1)
        self.page.setText(tr(t.PAGE_OF).format(n=vm.state.page + 1, total=pages))
        self.prev.setEnabled(vm.state.page > 0)
        self.next.setEnabled(vm.state.page < pages - 1)
        self.side_box.setVisible(pages > 1)
        del count


class LoanProductsScreen(_Paged):
    name = "loan_products"
    step = 1

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.cards = [ProductCard(window, self._choose) for _ in range(PER_PAGE)]
        for card in self.cards:
            self.content.addWidget(card)
        self.content.addWidget(self.error)
        self._pager(window)

    def _choose(self, product_id: str) -> None:
        if self.vm is not None:
            self.vm.choose(product_id)

    def render_state(self, vm: LoanViewModel) -> None:
        products = vm.state.products
        self.set_text(tr(t.PRODUCTS_TITLE), tr(t.PRODUCTS_BODY if products else t.PRODUCTS_NONE))
        shown = vm.state.on_page(products)
        for i, card in enumerate(self.cards):
            card.setVisible(i < len(shown))
            if i < len(shown):
                card.show_product(shown[i])  # type: ignore[arg-type]
            card.setEnabled(not vm.state.busy)
        self._pages(vm, len(products))
        self.set_primary(None)


class LoanDetailsScreen(LoanScreen):
    name = "loan_details"
    step = 2

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.who = label("", "body")
        self.terms = label("", "body")
        self.sample = label("", "body")
        self.needs = label("", "small")
        for w in (self.who, self.terms, self.sample, self.needs):
            self.content.addWidget(w)
        self.rule_lines = [label("", "small") for _ in range(4)]
        for line in self.rule_lines:
            self.content.addWidget(line)
        self.read = TapButton(tr(t.READ_ALOUD), self._read)
        self.read.setIcon(icons.icon(icons.speaker))
        self.read.setIconSize(QSize(window.metrics.px(40), window.metrics.px(40)))
        self.add_button(self.read)
        self.content.addWidget(self.error)
        self.awake = KeepAwake(window, self)

    def words(self) -> str:
        lines = [self.who, self.terms, self.sample, self.needs, *self.rule_lines]
        return "。".join(w.text() for w in lines if w.text() and not w.isHidden())

    def _read(self) -> None:
        words = self.words()
        self.window_.services.speaker.interrupt()
        self.window_.speak(words)
        self.awake.start(words)

    def leave(self) -> None:
        self.awake.stop()

    def render_state(self, vm: LoanViewModel) -> None:
        d = vm.state.details
        if d is None:
            return
        w, p, s = self.window_, d.product, d.sample
        self.set_text(tr(t.DETAILS_TITLE))
        self.who.setText(tr(t.DETAIL_WHO).format(bank=d.bank_name, name=p.name, purpose=p.purpose))
        terms = tr(t.LIST_SEP).join(months(n) for n in p.term_months)
        rate = f"{p.rate_bp // 100}.{p.rate_bp % 100:02d}".rstrip("0").rstrip(".")
        low, high = money(w, p.amount_min_fen), money(w, p.amount_max_fen)
        self.terms.setText(tr(t.DETAIL_TERMS).format(low=low, high=high, terms=terms, rate=rate))
        self.sample.setText(
            tr(t.DETAIL_SAMPLE).format(
                amount=money(w, s.amount_fen),
                months=s.term_months,
                monthly=about(w, s.monthly_fen),
                total=about(w, s.total_fen),
                interest=about(w, s.interest_fen),
            )
        )
        needs = [kind_of(c.vct).name_zh if lang(w) == "zh" else kind_of(c.vct).name_en for c in p.credentials]
        needs += [m.name for m in p.materials]
        self.needs.setText(tr(t.DETAIL_NEEDS).format(items=tr(t.LIST_SEP).join(needs)))
        for i, line in enumerate(self.rule_lines):
            line.setVisible(i < len(d.rules))
            if i < len(d.rules):
                rule = d.rules[i]
                mark = "✓ " if rule.met else "✗ "
                line.setText(mark + message(UserFacingError(rule.message_key, **rule.params)))
                restyle(line, "success" if rule.met else "error")
        self.set_primary(tr(t.APPLY), vm.to_form, enabled=not vm.state.busy)

    def prompt(self) -> str:
        return self.title.text()  # the whole of it on 读给我听


class LoanFormScreen(LoanScreen):
    name = "loan_form"
    step = 3

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.info_caption = label(tr(t.FORM_INFO), "small")
        self.info = label("", "small", data=True)  # from the real-name credential: shown, never typed
        self.amount = label("", "body")
        self.range = label("", "small")
        self.purposes = ChoiceRow(tr(t.PURPOSE_CAPTION), m)
        self.terms = ChoiceRow(tr(t.TERM_CAPTION), m)
        for w in (self.info_caption, self.info, self.amount, self.range, self.purposes, self.terms, self.error):
            self.content.addWidget(w)
        self.keypad = AmountKeypad(self._key, self._delete, self._clear, m)
        self.side_box.show()
        self.side.addWidget(self.keypad)

    def _key(self, digit: str) -> None:
        if self.vm is not None:
            self.vm.key(digit)

    def _delete(self) -> None:
        if self.vm is not None:
            self.vm.delete()

    def _clear(self) -> None:
        if self.vm is not None:
            self.vm.clear_amount()

    def render_state(self, vm: LoanViewModel) -> None:
        f = vm.state.form
        if f is None:
            return
        w = self.window_
        self.set_text(tr(t.FORM_TITLE))
        i = f.info
        self.info.setText(f"{i.name} · {i.sex} · {i.birth_date} · {i.region}")
        if f.amount_digits:
            self.amount.setText(tr(t.AMOUNT_LINE).format(amount=money(w, int(f.amount_digits) * 100)))
        else:
            self.amount.setText(tr(t.AMOUNT_EMPTY))
        self.range.setText(tr(t.RANGE_HINT).format(low=money(w, f.amount_min_fen), high=money(w, f.amount_max_fen)))
        self.purposes.set_choices([(p, lambda p=p: vm.set_purpose(p)) for p in f.purposes], data=True)  # type: ignore[misc]
        self.purposes.mark(f.purposes.index(f.purpose) if f.purpose in f.purposes else None)
        shown_terms = f.terms[:PER_PAGE]
        self.terms.set_choices([(months(n), lambda n=n: vm.set_term(n)) for n in shown_terms], data=False)  # type: ignore[misc]
        self.terms.mark(shown_terms.index(f.term_months) if f.term_months in shown_terms else None)
        self.set_primary(tr(text.WORKING) if vm.state.busy else tr(t.NEXT), vm.submit_form, not vm.state.busy)


class LoanMaterialsScreen(LoanScreen):
    name = "loan_materials"
    step = 4

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.which = label("", "small")
        self.verdict = VerdictLine(m)
        self.retake = TapButton(tr(t.RETAKE), self._retake)
        for w in (self.which, self.verdict):
            self.content.addWidget(w)
        self.add_button(self.retake)
        self.content.addWidget(self.error)
        self.preview = PagePreview(QSize(m.px(640), m.px(480)))
        self.side_box.show()
        self.side.addWidget(self.preview)

    def _retake(self) -> None:
        if self.vm is not None:
            self.vm.retake()

    def enter(self) -> None:
        self.preview.start(self.window_.services.camera)
        super().enter()

    def leave(self) -> None:
        self.preview.stop()

    def render_state(self, vm: LoanViewModel) -> None:
        s = vm.state.material
        if s is None:
            return
        self.set_text(tr(t.MATERIALS_TITLE).format(name=s.name), tr(t.MATERIALS_BODY))
        self.which.setText(tr(t.MATERIAL_OF).format(n=s.index + 1, total=s.count))
        self.which.setVisible(s.count > 1)
        if vm.state.busy:
            self.verdict.show_verdict(True, tr(t.CHECKING_PAGE))
        elif s.verdict is not None:
            self.verdict.show_verdict(s.kept, tr(t.VERDICT[s.verdict.value]))
        else:
            self.verdict.hide()
        self.retake.setVisible(s.kept and not vm.state.busy)  # a clear page may still be taken again
        if s.kept:
            self.set_primary(tr(t.NEXT), vm.next_material, not vm.state.busy)
        elif s.verdict is not None:  # refused: the verdict says what to fix, one tap takes it again
            self.set_primary(tr(t.RETAKE), self._again, not vm.state.busy)
        else:
            self.set_primary(tr(t.TAKE), vm.capture, not vm.state.busy)

    def _again(self) -> None:
        if self.vm is not None:
            self.vm.retake()
            self.vm.capture()

    def prompt(self) -> str:
        vm = self.vm
        if vm is not None and vm.state.material is not None and vm.state.material.verdict is not None:
            return self.verdict.words.text()
        return super().prompt()


def sees_words(window: KioskWindow, vm: LoanViewModel) -> str:
    """Exactly what the bank will see, in plain words: the claims of each credential, then the photos."""
    r = vm.state.review
    if r is None:
        return ""
    en, sep = lang(window) == "en", tr(t.LIST_SEP)
    items = []
    for vct, claims in r.shown:
        kind = kind_of(vct)
        names = sep.join(preview(vct, list(claims), "en" if en else "zh"))
        items.append(tr(t.SEES_ITEM).format(kind=kind.name_en if en else kind.name_zh, claims=names))
    if r.materials:
        items.append(tr(t.SEES_PAGES).format(items=sep.join(r.materials)))
    return tr(t.SEES).format(bank=r.bank, items="；".join(items)) + "。" + tr(t.SEES_ONLY)


class LoanReviewScreen(LoanScreen):
    name = "loan_review"
    step = 5

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.what = label("", "body")
        self.sees = label("", "body")
        for w in (self.what, self.sees, self.error):
            self.content.addWidget(w)
        self.awake = KeepAwake(window, self)
        self.replay.clicked.connect(lambda: self.awake.start(self.prompt()))  # 再听一遍 reads it all again

    def enter(self) -> None:
        super().enter()
        self.awake.start(self.prompt())  # the window reads the whole preview as the screen opens

    def leave(self) -> None:
        self.awake.stop()

    def render_state(self, vm: LoanViewModel) -> None:
        r = vm.state.review
        if r is None:
            return
        w = self.window_
        self.set_text(tr(t.REVIEW_TITLE))
        self.what.setText(
            tr(t.REVIEW_WHAT).format(
                bank=r.bank, product=r.product, amount=money(w, r.amount_fen), months=r.term_months, purpose=r.purpose
            )
        )
        self.sees.setText(sees_words(w, vm))
        self.set_primary(tr(t.CONFIRM), vm.to_pin)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.what.text()}。{self.sees.text()}"  # read in full (UI.md "Voice")


class _PinScreen(LoanScreen):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def leave(self) -> None:
        if self.vm is not None:
            self.vm.pin.clear()


class LoanPinScreen(_PinScreen):
    name = "loan_pin"
    step = 5

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.content.addWidget(self.error)

    def render_state(self, vm: LoanViewModel) -> None:
        self.set_text(tr(t.PIN_TITLE), tr(t.PIN_BODY))
        self.pad.offer(tr(t.SUBMIT), tr(text.WORKING), vm.state.busy, vm.submit_pin)


class LoanDoneScreen(LoanScreen):
    name = "loan_done"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.number = label("", "body", data=True)
        self.number.setStyleSheet("font-weight: bold;")
        self.what = label("", "small", data=True)
        for w in (self.number, self.what):
            self.content.addWidget(w)
        self.qr = QrView(window.metrics.px(360))
        self.side_box.show()
        self.side.addWidget(self.qr)

    def render_state(self, vm: LoanViewModel) -> None:
        r = vm.state.receipt
        if r is None:
            return
        self.set_text(tr(t.DONE_TITLE), tr(t.DONE_BODY))
        self.number.setText(tr(t.NUMBER).format(number=r.number))
        self.what.setText(f"{r.product_name} · {r.bank_name} · {money(self.window_, r.amount_fen)}")
        self.qr.set_payload(r.number)
        self.set_primary(tr(t.SEE_MINE), vm.show_applications)


class LoanResumeScreen(LoanScreen):
    name = "loan_resume"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.again = TapButton(tr(t.START_AGAIN), self._again)
        self.add_button(self.again)
        self.content.addWidget(self.error)

    def _again(self) -> None:
        if self.vm is not None:
            self.vm.start_again()

    def render_state(self, vm: LoanViewModel) -> None:
        step = {"details": 2, "form": 3, "attach": 4, "confirm": 5}.get(str(vm.state.resume_step), 1)
        self.set_text(tr(t.RESUME_TITLE), tr(t.RESUME_BODY).format(product=vm.state.resume_product, n=step))
        self.set_primary(tr(t.GO_ON), vm.go_on, not vm.state.busy)


class LoanNoticeScreen(LoanScreen):
    """A calm word: the unfinished application was cleared (past its time limit), or no products are here."""

    name = "loan_notice"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.money, window.metrics.px(240)))

    def render_state(self, vm: LoanViewModel) -> None:
        notice = vm.state.notice
        if notice is None:
            return
        self.set_text(words_of(notice), "" if vm.state.close_after_notice else tr(t.NOTICE_BODY))
        self.set_primary(tr(t.NOTICE_OK), vm.dismiss_notice)
