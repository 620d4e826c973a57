"""Sign-in of a returning villager: card → PIN → their own page; not enrolled, or locked, with what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import icons, text
from ui import text_proofs as tp
from ui import text_services as ts
from ui.background import Lane
from ui.screen import Screen
from ui.screens.pin_parts import EntryCardScreen, EntryPinScreen, EntryScreen, EntryVm, route_card_pin
from ui.text import message, tr
from ui.viewmodels.signin import SignInPhase, SignInViewModel
from ui.viewmodels.villager import VillagerViewModel
from ui.widgets import IconView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    SignInPhase.CARD: "signin_card",
    SignInPhase.PIN: "signin_pin",
    SignInPhase.NOT_ENROLLED: "signin_outcome",
    SignInPhase.LOCKED: "signin_outcome",
    SignInPhase.FAILED: "signin_outcome",
}


def route_signin(window: KioskWindow, vm: SignInViewModel) -> None:
    if window.signin is vm:
        route_card_pin(window, vm, SCREEN_OF)


class SignInScreen(EntryScreen):
    @property
    def vm(self) -> SignInViewModel | None:
        return self.window_.signin


class SignInCardScreen(SignInScreen, EntryCardScreen):
    name = "signin_card"
    card_title = text.SIGNIN_CARD_TITLE
    card_body = text.SIGNIN_CARD_BODY


class SignInPinScreen(SignInScreen, EntryPinScreen):
    name = "signin_pin"
    pin_title = text.SIGNIN_PIN_TITLE
    pin_body = text.SIGNIN_PIN_BODY  # the greeting names the villager on screen only


class SignInOutcomeScreen(SignInScreen):
    """Not enrolled here (go and enrol), locked (bring the card to the cadre), or the card could not be read."""

    name = "signin_outcome"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.icon = IconView(icons.lock, window.metrics.px(200))
        self.side_box.show()
        self.side.addWidget(self.icon)
        self.home.hide()

    def render_state(self, vm: EntryVm) -> None:
        self.error.hide()
        self.home.hide()  # the primary is 回首页 itself, except for someone not enrolled
        phase = vm.state.phase
        if phase is SignInPhase.LOCKED:
            self.set_text(tr(text.LOCKED_TITLE), tr(text.LOCKED_BODY))
            self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))
        elif phase is SignInPhase.NOT_ENROLLED:
            self.set_text(tr(text.SIGNIN_NOT_ENROLLED_TITLE), tr(text.SIGNIN_NOT_ENROLLED_BODY))
            self.set_primary(tr(text.SIGNIN_GO_ENROL), self.window_.start_enrolment)
            self.home.show()  # the primary leads on to enrolment: the way home must stay in sight
        else:
            self.set_text(tr(text.FAILED_TITLE), message(vm.state.error) if vm.state.error else "")
            self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))
        self.icon.setVisible(phase is SignInPhase.LOCKED)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"


class VillagerHomeScreen(Screen):
    """The signed-in villager's page: a greeting by name and where their transactions are."""

    name = "villager_home"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pending = label("", "body")
        self.content.addWidget(self.pending)
        proofs = window.proofs
        for caption, entry in ((tp.WALLET_TITLE, "wallet"), (text.TILE_SHOW, "share"), (tp.ATTEST_ENTRY, "attest")):
            self.add_button(TapButton(tr(caption), lambda e=entry: proofs.open(e)))  # type: ignore[misc]
        self.add_button(TapButton(tr(ts.CREDIT_ENTRY), lambda: window.gov.open("credit")))
        self.vm: VillagerViewModel | None = None

    def enter(self) -> None:
        session = self.window_.session
        if session is None:
            return
        self.vm = VillagerViewModel(
            session.did, self.window_.services.core.db, self.window_.background.runner(Lane.STORE)
        )
        self.vm.subscribe(self.refresh_view)
        self.title.setText(tr(text.WELCOME_TITLE).format(name=session.name))
        self.title.setProperty("data", True)
        self.body.hide()
        self.refresh_view()
        self.vm.refresh()
        self.set_primary(tr(text.SIGN_OUT), lambda: self.window_.go_home(ask=False))

    def leave(self) -> None:
        self.vm = None
        self.title.setText("")  # the name leaves the screen with the villager

    def refresh_view(self) -> None:
        n = self.vm.state.pending if self.vm is not None else 0
        self.pending.setText(tr(text.WELCOME_PENDING).format(n=n) if n else tr(text.WELCOME_NOTHING))

    def prompt(self) -> str:
        return self.pending.text()  # not the greeting: names are not spoken
