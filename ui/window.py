"""The one window: routes between screens, speaks their prompts, watches for idleness, the lock and faults.

It owns the villager's session (an enrolment or sign-in in progress, or who is signed in) and is the only
place that ends it: home, the idle timeout, the county's lock and the fault screen all go through
`end_session`, which wipes keys and personal data from memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QLayout, QStackedLayout, QWidget

from ui import text, theme
from ui.background import Background, Lane
from ui.cadre_mode import CadreMode
from ui.gov import Gov
from ui.loans import Loans
from ui.maintenance import Maintenance
from ui.overlay import Overlay
from ui.proofs import Proofs
from ui.screen import Screen
from ui.text import tr
from ui.viewmodels.idle import IdlePhase, IdleWatch
from ui.viewmodels.status import StatusViewModel, outbox_state

if TYPE_CHECKING:  # home paints before the core opens: the core's modules are imported where they are used
    from kiosk.config import Settings
    from kiosk.flows.enrolment import EnrolmentFlow
    from kiosk.flows.signin import VillagerSession
    from ui.services import GatedReader, Opened, Services
    from ui.viewmodels.enrolment import EnrolmentViewModel
    from ui.viewmodels.signin import SignInViewModel
    from ui.waiting import WaitPanel

logger = logging.getLogger(__name__)

STATUS_EVERY_MS = 3000
CARD_WATCH_S = 1.0  # one look for a card on home; then the lane is free for a moment
CARD_RETRY_MS = 3000
WAIT_WORDS_MS = 300  # UI.md: a spinner with words after 300 ms of work
DEVICES_AFTER_MS = 1000  # the camera and face models open a moment after the core, not with the first frames
_TOUCH_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress,
}


class KioskWindow(QWidget):
    def __init__(
        self,
        services: Services,
        background: Background,
        metrics: theme.Metrics,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.services = services
        self.background = background
        self.metrics = metrics
        self.setWindowTitle(tr(text.APP_TITLE))
        self.setStyleSheet(theme.stylesheet(metrics))
        self._stack = QStackedLayout(self)
        self.screens: dict[str, Screen] = {}  # the screens built so far
        self._factories: dict[str, Callable[[KioskWindow], Screen]] = {}
        self.current: Screen | None = None
        self.portrait = False
        self.allow_close = False  # only the composition root, shutting down, may close the window

        self.status = StatusViewModel(services.status, background.runner(Lane.STORE))
        self.status.subscribe(self._status_changed)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_EVERY_MS)
        self._status_timer.timeout.connect(self.status.refresh)

        opts = services.options
        self.idle = IdleWatch(monotonic, opts.idle_s, opts.countdown_s)
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(250)
        self._idle_timer.timeout.connect(self.check_idle)

        self._watch: GatedReader | None = None
        self.enrolment: EnrolmentViewModel | None = None
        self.signin: SignInViewModel | None = None
        self.session: VillagerSession | None = None

        self.help_panel = Overlay(self, metrics)
        self.ask_panel = Overlay(self, metrics)
        self.idle_panel = Overlay(self, metrics)
        self.cadre = CadreMode(self)  # the hidden cadre entry and, while a cadre is in, their session
        self.proofs = Proofs(self)  # 我的证明, 出示证明, 互证: their view-models, on the signed-in session
        self.gov = Gov(self)  # 政务服务, the pension check, 信用额度
        self.loans = Loans(self)  # 贷款 and 进度查询, and the loan draft a sign-in offers again

        self._opener: Callable[[], Opened] | None = None
        self._open_failed = False
        self._waiting: Callable[[], None] | None = None  # a tile tapped before the core was open
        self.wait_panel: WaitPanel | None = None  # built the first time a tap has to wait
        self._wait_timer = QTimer(self)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.setInterval(WAIT_WORDS_MS)
        self._wait_timer.timeout.connect(self._show_wait)
        self.maintenance = Maintenance(self, monotonic)  # the technician's hidden entry and diagnostics

    @property
    def settings(self) -> Settings:
        """The typed settings, which come with the core (NotReady before it is open)."""
        return self.services.core.settings

    @property
    def village_name(self) -> str:
        village = self.services.options.village
        return village if village is not None else self.settings.identity.village_name

    # --- routing ----------------------------------------------------------------------------------

    def add(self, screen: Screen) -> None:
        self.screens[screen.name] = screen
        screen.set_portrait(self.portrait)
        self._stack.addWidget(screen)
        screen.show_status(self.status.state)

    def register(self, name: str, factory: Callable[[KioskWindow], Screen]) -> None:
        """A screen built the first time it is shown, so start-up builds (and imports) only home's."""
        self._factories[name] = factory

    def screen_named(self, name: str) -> Screen:
        if name not in self.screens:
            self.add(self._factories[name](self))
        return self.screens[name]

    @property
    def screen_names(self) -> list[str]:
        return list(self._factories)

    def go(self, name: str) -> None:
        screen = self.screen_named(name)
        if self.current is not None and self.current is not screen:
            self.current.leave()
        for panel in (self.help_panel, self.ask_panel, self.idle_panel, self.wait_panel):
            if panel is not None:
                panel.close_panel()
        self.current = screen
        self.cadre.dress(screen)
        screen.enter()
        self._stack.setCurrentWidget(screen)
        self.idle.arm(screen.personal)
        self.services.speaker.interrupt()  # speaking stops when the screen changes
        self.speak(screen.prompt())
        logger.info("screen %s", name)

    def speak(self, words: str) -> None:
        if words:
            self.services.speaker.say(words, "en" if self.services.options.lang == "en" else "cmn")

    def replay_prompt(self) -> None:
        self.idle.touched()
        if self.current is not None:
            self.services.speaker.interrupt()
            self.speak(self.current.prompt())

    def start(self) -> None:
        """Home is interactive from here; the timers begin (the status line's once the core is open)."""
        self._idle_timer.start()
        if self.services.ready:
            self._status_timer.start()
            self.status.refresh()
        self.go("home")

    # --- the core opens after home is up; a tile tapped before then waits for it ---------------------

    def open_core(self, open_services: Callable[[], Opened]) -> None:
        """Open the core and its devices on the store lane (`open_services` blocks), then attach them."""
        self._opener = open_services
        self._open_failed = False
        self.background.submit(open_services, self._core_opened, self._core_failed, Lane.STORE)

    def after_core(self, action: Callable[[], None]) -> None:
        """Run `action` now if the core is open, else once it is; after 300 ms a spinner with words shows."""
        if self.services.ready:
            action()
            return
        self.idle.touched()
        self._waiting = action
        if self._open_failed and self._opener is not None:  # it failed before: a new tap tries again
            self.open_core(self._opener)
        self._wait_timer.start()

    def _show_wait(self) -> None:
        if self._waiting is None or self.services.ready:
            return
        if self.wait_panel is None:
            from ui.waiting import WaitPanel

            self.wait_panel = WaitPanel(self, self.metrics)
        self.wait_panel.open(tr(text.STARTING_TITLE), tr(text.STARTING_BODY), (tr(text.HOME), self._stop_waiting))
        self.speak(tr(text.STARTING_TITLE))

    def _stop_waiting(self) -> None:
        self._waiting = None
        self._wait_timer.stop()
        if self.wait_panel is not None:
            self.wait_panel.close_panel()

    def _core_opened(self, opened: Opened) -> None:
        self.services.attach(opened)
        if self.allow_close:
            return  # it opened while the app was stopping: attached only so that it is closed in order
        logger.info("core open")
        self._status_timer.start()
        self.status.refresh()
        QTimer.singleShot(DEVICES_AFTER_MS, self.services.start_devices)
        action = self._waiting
        self._stop_waiting()
        if action is not None:
            action()
        elif self.current is not None and self.current.name == "home":
            self.watch_cards()  # a card placed during the start has waited on the reader

    def _core_failed(self, exc: Exception) -> None:
        logger.error("the core could not be opened: %s: %s", type(exc).__name__, exc)
        self._open_failed = True
        self._stop_waiting()
        self.show_fault()

    # --- overlays ------------------------------------------------------------------------------------

    def show_help(self) -> None:
        self.help_panel.open(
            tr(text.HELP_TITLE), tr(text.HELP_BODY), (tr(text.HELP_CLOSE), self.help_panel.close_panel)
        )
        self.speak(tr(text.HELP_BODY))

    def go_home(self, ask: bool = False) -> None:
        """Home; when the villager would lose work, ask first ("要放弃这次办理吗？")."""
        if ask and self._holds_work():
            self.ask_panel.open(
                tr(text.ASK_ABANDON),
                tr(text.ASK_ABANDON_BODY),
                (tr(text.KEEP_GOING), self.ask_panel.close_panel),
                (tr(text.ABANDON), self._abandon),
            )
            self.speak(tr(text.ASK_ABANDON))
            return
        self.end_session()
        self.go(self.cadre.home_name)  # in cadre mode, the cadre's home

    def _abandon(self) -> None:
        self.ask_panel.close_panel()
        self.go_home(ask=False)

    def _holds_work(self) -> bool:
        return bool(
            (self.enrolment is not None and self.enrolment.holds_work)
            or (self.signin is not None and self.signin.holds_work)
            or self.cadre.holds_work
            or self.proofs.holds_work
            or self.gov.holds_work
        )

    # --- a card placed on home starts sign-in, or enrolment for someone new (UI.md "Home") ---------------

    def watch_cards(self) -> None:
        self.stop_watching_cards()
        if not self.services.ready:
            return  # the watch begins once the core is open; a card placed meanwhile stays on the reader
        self._watch = self.services.cards.session()
        self._look(self._watch)

    def stop_watching_cards(self) -> None:
        if self._watch is not None:
            self._watch.end()  # only the watch's own reader: a flow starting now has its own
            self._watch = None

    def _look(self, reader: GatedReader) -> None:
        self.background.submit(
            lambda: self.services.look_for_card(reader, CARD_WATCH_S),
            lambda enrolled: self._card_on_home(reader, enrolled),
            lambda exc: self._card_watch_failed(reader, exc),
            Lane.HW,
        )

    def _card_on_home(self, reader: GatedReader, enrolled: bool | None) -> None:
        if reader is not self._watch:
            return  # home was left meanwhile; a card read in that moment waits for the next flow
        if enrolled is None:
            self._look(reader)
        elif enrolled:
            self.start_signin()
        else:
            self.start_enrolment()

    def _card_watch_failed(self, reader: GatedReader, exc: Exception) -> None:
        if reader is not self._watch:
            return
        from kiosk.ports import CardRemoved, CorruptCardRecord

        logger.info("card on home could not be read: %s", type(exc).__name__)
        if isinstance(exc, (CardRemoved, CorruptCardRecord)):
            self.start_signin()  # a card was there: its screen asks to place it again, with words
        else:  # the reader is missing or failing: look again a little later, without spinning
            QTimer.singleShot(CARD_RETRY_MS, lambda: self._card_on_home(reader, None))

    # --- the session ----------------------------------------------------------------------------------

    def start_enrolment(self, make_flow: Callable[[], EnrolmentFlow] | None = None) -> None:
        if not self.services.ready:
            self.after_core(self.start_enrolment)
            return
        from ui.screens.enrolment import route_enrolment  # imported with the screens, on first use
        from ui.viewmodels.enrolment import EnrolmentViewModel, EnrolPhase

        self.end_session()
        bg = self.background
        self.enrolment = EnrolmentViewModel(
            (make_flow or self.services.enrolment_flow)(),
            bg.runner(Lane.HW),
            bg.runner(Lane.STORE),
            lambda tx_id: outbox_state(self.services.core.db, tx_id),
            self.services.options.shuffle_keypad,
        )
        vm, last = self.enrolment, [EnrolPhase.CARD]
        vm.subscribe(lambda: route_enrolment(self, vm, last))
        self.go("enrol_card")

    def start_signin(self) -> None:
        if not self.services.ready:
            self.after_core(self.start_signin)
            return
        from ui.screens.signin import route_signin
        from ui.viewmodels.signin import SignInViewModel

        self.end_session()
        bg = self.background
        self.signin = SignInViewModel(
            self.services.signin_flow(),
            bg.runner(Lane.HW),
            bg.runner(Lane.STORE),
            self._signed_in,
            self.services.options.shuffle_keypad,
        )
        signin = self.signin
        signin.subscribe(lambda: route_signin(self, signin))
        self.go("signin_card")

    def _signed_in(self, session: VillagerSession) -> None:
        if self.signin is None:  # the session ended while the PIN was checked: forget the key at once
            session.wipe()
            return
        self.signin = None
        self.session = session
        # their page, or the screen a tile named before sign-in
        self.go(self.gov.after_signin() or self.proofs.after_signin())
        self.loans.signed_in()  # an unfinished loan application is offered again; or the loan tile tapped

    def show_not_open(self, service: str) -> None:
        from ui.screens.info import NotOpenScreen

        screen = self.screen_named("not_open")
        if isinstance(screen, NotOpenScreen):
            screen.service = service
        self.go("not_open")

    def end_session(self) -> None:
        """Forget the villager: cancel flows (wiping their drafts), wipe the unlocked key and the name."""
        if self.services.ready:
            self.services.cards.end_current()
        if self.enrolment is not None:
            self.enrolment.cancel()
            self.enrolment = None
        if self.signin is not None:
            self.signin.cancel()
            self.signin = None
        if self.session is not None:
            self.session.wipe()
            self.session = None
        self.cadre.end_entry()
        self.maintenance.end("session ended")
        self.proofs.end()
        self.gov.end()
        self.loans.end()

    # --- idle ------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if event.type() in _TOUCH_EVENTS and not self.idle_panel.isVisible():
            self.idle.touched()
        return super().eventFilter(watched, event)

    def check_idle(self) -> None:
        state = self.idle.tick()
        if state.phase is IdlePhase.WARNING:
            body = tr(text.IDLE_BODY).format(n=state.seconds_left)
            if not self.idle_panel.isVisible():
                self.idle_panel.open(tr(text.IDLE_TITLE), body, (tr(text.IDLE_CONTINUE), self._still_here))
                self.speak(tr(text.IDLE_TITLE) + body)
            else:
                self.idle_panel.body.setText(body)
        elif state.phase is IdlePhase.EXPIRED:
            logger.info("idle timeout: session wiped")
            self.cadre.leave("idle")
            self.go_home(ask=False)
        if self.enrolment is not None:
            self.enrolment.check_timeout()

    def _still_here(self) -> None:
        self.idle_panel.close_panel()
        self.idle.touched()

    # --- the kiosk's state, the lock, faults -------------------------------------------------------------

    def _status_changed(self) -> None:
        state = self.status.state
        for screen in self.screens.values():
            screen.show_status(state)
        on_lock = self.current is not None and self.current.name == "lock"
        if state.locked and not on_lock:
            self.end_session()
            self.cadre.leave("lock")
            self.go("lock")
        elif not state.locked and on_lock:
            self.go("home")

    def show_fault(self) -> None:
        """Something we did not expect: wipe the session and show the calm fault screen."""
        self.end_session()
        self.cadre.leave("fault")
        self.go("fault")

    # --- no way out ------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 — Qt's name
        event.accept()  # no shortcut does anything: Esc, Alt+F4 (handled below), F11 are all swallowed

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 — Qt's name
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def orient(self, portrait: bool) -> None:
        """Lay every screen out for a portrait or landscape screen (before the window takes that size)."""
        self.portrait = portrait
        for screen in self.screens.values():
            screen.set_portrait(portrait)
            # Hidden pages of the stack do not process layout requests, yet their minimum counts: drop the caches.
            for child in screen.findChildren(QWidget):
                child.updateGeometry()
            for layout in screen.findChildren(QLayout):
                layout.invalidate()
            screen.updateGeometry()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 — Qt's name
        for panel in (self.help_panel, self.ask_panel, self.idle_panel, self.wait_panel):
            if panel is not None and panel.isVisible():
                panel.setGeometry(self.rect())

    def stop(self) -> None:
        self.stop_watching_cards()
        self._stop_waiting()
        self._status_timer.stop()
        self._idle_timer.stop()
        self.end_session()
        self.cadre.leave("stop")
        for screen in self.screens.values():
            screen.leave()
        self.maintenance.close()
        self.proofs.close()
        self.allow_close = True
        self.close()


def frameless_flags() -> Qt.WindowType:
    return Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
