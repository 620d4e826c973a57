"""互证: the signed-in villager vouches for another: the other's ID card → relation → statement → PIN → done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import icons, text
from ui import text_proofs as t
from ui.screens.pin_parts import PinPad
from ui.screens.proof_parts import Choice, ProofScreen, route
from ui.text import message, tr
from ui.viewmodels.attest import RELATIONS, STATEMENTS, AttestPhase, AttestViewModel
from ui.widgets import ErrorLine, IconView

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    AttestPhase.SUBJECT: "attest_card",
    AttestPhase.RELATION: "attest_relation",
    AttestPhase.STATEMENT: "attest_statement",
    AttestPhase.PIN: "attest_pin",
    AttestPhase.DONE: "attest_done",
    AttestPhase.REFUSED: "attest_outcome",
}


def route_attest(window: KioskWindow, vm: AttestViewModel) -> None:
    if window.proofs.attest is not vm:
        return
    err = vm.state.error
    route(window, SCREEN_OF.get(vm.state.phase), vm.state.phase.value, message(err) if err is not None else "")


class AttestScreen(ProofScreen):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> AttestViewModel | None:
        return self.window_.proofs.attest

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: AttestViewModel) -> None:
        """Each screen renders its own part."""


class AttestCardScreen(AttestScreen):
    name = "attest_card"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.id_card, window.metrics.px(320)))

    def enter(self) -> None:
        super().enter()
        vm = self.vm
        if vm is not None and vm.state.error is None:
            vm.read_card()

    def on_back(self) -> None:
        self.window_.go("villager_home")

    def render_state(self, vm: AttestViewModel) -> None:
        self.set_progress(1, 5)
        self.back.show()
        self.set_text(tr(t.ATTEST_CARD_TITLE), tr(t.ATTEST_CARD_BODY))
        if vm.state.error is not None and not vm.state.busy:
            self.set_primary(tr(text.TRY_AGAIN), vm.read_card)
        else:
            self.set_primary(None)


class _ChoiceScreen(AttestScreen):
    options: tuple[str, ...] = ()

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.choices = [Choice(o, self._pick, window.metrics) for o in self.options]
        for choice in self.choices:
            self.add_button(choice)

    def _pick(self, source: str) -> None:
        """Each subclass picks its own field."""

    def chosen(self, vm: AttestViewModel) -> str:
        return ""

    def render_state(self, vm: AttestViewModel) -> None:
        self.back.show()
        chosen = self.chosen(vm)
        for choice in self.choices:
            choice.mark(choice.source == chosen)
        self.set_primary(tr(t.NEXT), vm.next, enabled=bool(chosen))


class AttestRelationScreen(_ChoiceScreen):
    name = "attest_relation"
    options = RELATIONS

    def _pick(self, source: str) -> None:
        if self.vm is not None:
            self.vm.pick_relation(source)

    def chosen(self, vm: AttestViewModel) -> str:
        return vm.state.relation

    def on_back(self) -> None:
        self.window_.go_home(ask=True)  # the flow has no step back past the card: home asks first

    def render_state(self, vm: AttestViewModel) -> None:
        self.set_progress(2, 5)
        self.set_text(tr(t.ATTEST_RELATION_TITLE), tr(t.ATTEST_CHOOSE_BODY))
        super().render_state(vm)
        self.back.hide()


class AttestStatementScreen(_ChoiceScreen):
    name = "attest_statement"
    options = STATEMENTS

    def _pick(self, source: str) -> None:
        if self.vm is not None:
            self.vm.pick_statement(source)

    def chosen(self, vm: AttestViewModel) -> str:
        return vm.state.statement

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back()

    def render_state(self, vm: AttestViewModel) -> None:
        self.set_progress(3, 5)
        self.set_text(tr(t.ATTEST_STATEMENT_TITLE), tr(t.ATTEST_CHOOSE_BODY))
        super().render_state(vm)


class AttestPinScreen(AttestScreen):
    name = "attest_pin"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def render_state(self, vm: AttestViewModel) -> None:
        self.set_progress(4, 5)
        s = vm.state
        self.set_text(
            tr(t.ATTEST_PIN_TITLE), tr(t.ATTEST_PIN_BODY).format(relation=tr(s.relation), statement=tr(s.statement))
        )
        self.pad.offer(tr(text.OK), tr(text.WORKING), s.busy, vm.submit_pin)


class AttestDoneScreen(AttestScreen):
    name = "attest_done"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.tick, window.metrics.px(240)))
        self.home.hide()

    def render_state(self, vm: AttestViewModel) -> None:
        self.set_progress(5, 5)
        self.set_text(tr(t.ATTEST_DONE_TITLE), tr(t.ATTEST_DONE_HERE if vm.state.stored_here else t.ATTEST_DONE_AWAY))
        self.set_primary(tr(t.DONE), lambda: self.window_.go("villager_home"))


class AttestOutcomeScreen(AttestScreen):
    name = "attest_outcome"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.warning_sign, window.metrics.px(200)))
        self.home.hide()  # the primary is 回首页 itself

    def render_state(self, vm: AttestViewModel) -> None:
        self.set_progress(None)
        self.set_text(tr(t.ATTEST_REFUSED_TITLE))
        self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.error.text()}"
