"""信用额度: the pre-approved line in 万元 words, the factors with points and the county's reasons, how fresh it is,
and 为什么 (how the total became the line). Both render `window.gov.credit` (ui/viewmodels/credit.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.loans.credit import CreditProfile
from kiosk.loans.money import format_fen
from ui import icons, text
from ui import text_services as t
from ui.screens.proof_parts import ProofScreen, route
from ui.text import message, tr
from ui.viewmodels.credit import CreditPhase, CreditState, CreditViewModel
from ui.widgets import ErrorLine, IconView, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {CreditPhase.PROFILE: "credit", CreditPhase.WHY: "credit_why"}


def route_credit(window: KioskWindow, vm: CreditViewModel) -> None:
    if window.gov.credit is not vm:
        return
    err = vm.state.error
    route(
        window, SCREEN_OF.get(vm.state.phase), f"{vm.state.phase.value}:{vm.state.loaded}", message(err) if err else ""
    )


def line_words(profile: CreditProfile, lang: str) -> str:
    return format_fen(profile.line_fen, lang)


def freshness_words(state: CreditState) -> str:
    days = state.age_days
    if state.stale:
        return tr(t.CREDIT_STALE).format(n=days)
    return tr(t.CREDIT_FRESH) if days == 0 else tr(t.CREDIT_AGE).format(n=days)


class CreditScreen(ProofScreen):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> CreditViewModel | None:
        return self.window_.gov.credit

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        self.error.set_error(message(vm.state.error) if vm.state.error is not None else "")
        self.render_state(vm)

    def render_state(self, vm: CreditViewModel) -> None:
        """Each screen renders its part of the state."""

    def title_words(self, profile: CreditProfile | None) -> str:
        if profile is None:
            return tr(t.CREDIT_MISSING_TITLE)
        if profile.line_fen == 0:
            return tr(t.CREDIT_NONE_TITLE)
        return tr(t.CREDIT_TITLE).format(amount=line_words(profile, self.window_.services.options.lang))


class CreditProfileScreen(CreditScreen):
    name = "credit"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.fresh = label("", "success")
        self.content.addWidget(self.fresh)
        self.factors = [label("", "body") for _ in range(4)]
        self.reasons = [label("", "small", data=True) for _ in range(4)]  # the county's own words
        for factor, reason in zip(self.factors, self.reasons, strict=True):
            self.content.addWidget(factor)
            self.content.addWidget(reason)
        self.side_box.show()
        self.side.addWidget(IconView(icons.money, m.px(240)))
        self._said_loaded = True  # whether the profile was spoken since it loaded (reset on entering)

    def enter(self) -> None:
        self._said_loaded = False
        super().enter()

    def on_back(self) -> None:
        self.window_.go(self.window_.gov.return_to)

    def render_state(self, vm: CreditViewModel) -> None:
        s = vm.state
        p = s.profile
        self.title.setText(self.title_words(p) if s.loaded else tr(text.WORKING))
        self.body.setText(tr(t.CREDIT_MISSING_BODY) if s.loaded and p is None else "")
        self.body.setVisible(bool(self.body.text()))
        self.fresh.setText(freshness_words(s) if p is not None else "")
        self.fresh.setProperty("role", "warning" if s.stale else "success")
        self.fresh.style().polish(self.fresh)
        self.fresh.setVisible(p is not None)
        shown = p.factors[: len(self.factors)] if p is not None else ()
        for i, (factor, reason) in enumerate(zip(self.factors, self.reasons, strict=True)):
            if i < len(shown):
                f = shown[i]
                factor.setText(tr(t.CREDIT_FACTOR).format(name=f.name, points=f.points, cap=f.cap))
                reason.setText(f.reason)
            factor.setVisible(i < len(shown))
            reason.setVisible(i < len(shown))
        self.back.show()
        if p is not None:
            self.set_primary(tr(t.CREDIT_WHY), vm.why)
        else:
            self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))
        if s.loaded and not self._said_loaded and self.window_.current is self:
            self._said_loaded = True  # the profile came after the screen opened: say what it says now
            self.window_.services.speaker.interrupt()
            self.window_.speak(self.prompt())

    def prompt(self) -> str:
        # The line is the villager's own; on screen only, like their name. The freshness is said.
        return self.fresh.text() if self.fresh.isVisible() else f"{self.title.text()}。{self.body.text()}"


class CreditWhyScreen(CreditScreen):
    """为什么: every factor in plain words, then how the total became the line, with the scorecard's version."""

    name = "credit_why"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.lines = label("", "body", data=True)  # the county's factors and reasons
        self.total = label("", "body")
        self.content.addWidget(self.lines)
        self.content.addWidget(self.total)

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back()

    def render_state(self, vm: CreditViewModel) -> None:
        p = vm.state.profile
        self.set_text(tr(t.CREDIT_WHY_TITLE))
        if p is None:
            return
        self.lines.setText(
            "\n".join(
                tr(t.CREDIT_FACTOR).format(name=f.name, points=f.points, cap=f.cap) + f"：{f.reason}" for f in p.factors
            )
        )
        line = (
            self.title_words(p)
            if p.line_fen == 0
            else tr(t.CREDIT_LINE).format(amount=line_words(p, self.window_.services.options.lang))
        )
        self.total.setText(
            tr(t.CREDIT_TOTAL).format(points=p.points, line=line, card=p.scorecard, version=p.scorecard_version)
        )
        self.back.show()
        self.set_primary(tr(text.FINISH), vm.back)

    def prompt(self) -> str:
        return self.title.text()  # the reasons are the villager's own affairs: on screen, not through the speaker
