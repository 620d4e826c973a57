"""Sign-in of a returning villager: card → PIN → their own page; not enrolled, or locked, with what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import icons, text
from ui import text_proofs as tp
from ui import text_services as ts
from ui.background import Lane
from ui.screen import Screen
from ui.text import message, tr
from ui.viewmodels.pin import PinEntry
from ui.viewmodels.signin import SignInPhase, SignInViewModel
from ui.viewmodels.villager import VillagerViewModel
from ui.widgets import ErrorLine, IconView, Keypad, TapButton, label

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
    if window.signin is not vm:
        return
    target = SCREEN_OF.get(vm.state.phase)
    if target is None:  # signed in (the window shows their page) or ended
        return
    current = window.current
    if current is None or current.name != target:
        window.go(target)
    elif isinstance(current, SignInScreen):
        current.refresh_view()
        if vm.state.error is not None:
            window.services.speaker.interrupt()
            window.speak(message(vm.state.error))


class SignInScreen(Screen):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> SignInViewModel | None:
        return self.window_.signin

    def enter(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: SignInViewModel) -> None:
        """Each screen renders its own part of the state."""


class SignInCardScreen(SignInScreen):
    name = "signin_card"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.id_card, window.metrics.px(320)))

    def enter(self) -> None:
        super().enter()
        if self.vm is not None and self.vm.state.error is None:
            self.vm.read_card()

    def render_state(self, vm: SignInViewModel) -> None:
        self.set_progress(1, 2)
        self.set_text(tr(text.SIGNIN_CARD_TITLE), tr(text.SIGNIN_CARD_BODY))
        if vm.state.error is not None and not vm.state.busy:
            self.set_primary(tr(text.TRY_AGAIN), vm.read_card)
        else:
            self.set_primary(None)


class SignInPinScreen(SignInScreen):
    name = "signin_pin"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self._spare = PinEntry()
        self.keypad = Keypad(self._entry, self._keyed, window.metrics)
        self.side_box.show()
        self.side.addWidget(self.keypad)

    def _entry(self) -> PinEntry:
        vm = self.vm
        return self._spare if vm is None else vm.pin

    def _keyed(self) -> None:
        self.window_.idle.touched()
        self.refresh_view()

    def render_state(self, vm: SignInViewModel) -> None:
        self.set_progress(2, 2)
        # The greeting names the villager on screen only; the spoken prompt is the title.
        self.set_text(tr(text.SIGNIN_PIN_TITLE), tr(text.SIGNIN_PIN_BODY).format(name=vm.state.name))
        self.body.setProperty("data", True)  # it carries the villager's name
        self.keypad.refresh_view()
        busy = vm.state.busy
        caption = tr(text.WORKING) if busy else tr(text.OK)
        self.set_primary(caption, vm.submit_pin, enabled=vm.pin.state.complete and not busy)


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

    def render_state(self, vm: SignInViewModel) -> None:
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
