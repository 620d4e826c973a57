"""Cadre mode, as the window runs it: the hidden entry, the cadre's session, the banner, and leaving it.

The window owns one `CadreMode`. While a cadre is in, every screen shows the #7A4100 banner, 回首页 leads to the
cadre's home instead of the villagers', and the enrolments started there end with the cadre's PIN as witness.
Leaving (退出, the idle timeout, the county's lock, a fault) wipes the cadre's key; each step is audited on the
store lane.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ui import text
from ui.background import Lane
from ui.text import tr

if TYPE_CHECKING:
    from kiosk.flows.cadre import CadreAction, CadreDesk, CadreSession
    from kiosk.tx.bodies import EnrolMode
    from ui.screen import Screen
    from ui.viewmodels.cadre import CadreEntryViewModel
    from ui.window import KioskWindow

logger = logging.getLogger(__name__)

CADRE_HOME = "cadre_home"


class CadreMode:
    def __init__(self, window: KioskWindow) -> None:
        self._window = window
        self.entry: CadreEntryViewModel | None = None
        self.session: CadreSession | None = None
        self._desk: CadreDesk | None = None

    @property
    def active(self) -> bool:
        return self.session is not None and self.session.active

    @property
    def desk(self) -> CadreDesk:
        if self._desk is None:
            from kiosk.flows.cadre import CadreDesk  # with the core, on first use

            core = self._window.services.core
            self._desk = CadreDesk(core.db, core.time, core.device.kiosk_id)
        return self._desk

    @property
    def home_name(self) -> str:
        """Where 回首页 leads: the cadre's home while cadre mode lasts, else the villagers' home."""
        return CADRE_HOME if self.active else "home"

    @property
    def holds_work(self) -> bool:
        return self.entry is not None and self.entry.holds_work

    # --- the entry ------------------------------------------------------------------------------------

    def start_entry(self) -> None:
        """Five taps on the village name: the cadre's card, then their PIN."""
        from kiosk.flows.cadre import CadreEntryFlow
        from ui.screens.cadre import route_entry
        from ui.viewmodels.cadre import CadreEntryViewModel

        w = self._window
        w.end_session()
        core, bg = w.services.core, w.background
        flow = CadreEntryFlow(w.services.signin_flow(), self.desk, core.keystore, core.time)
        entry = self.entry = CadreEntryViewModel(
            flow, bg.runner(Lane.HW), bg.runner(Lane.STORE), self._admitted, w.services.options.shuffle_keypad
        )
        entry.subscribe(lambda: route_entry(w, entry))
        w.go("cadre_card")

    def _admitted(self, session: CadreSession) -> None:
        if self.entry is None:  # the entry ended while the PIN was checked
            session.wipe()
            return
        self.entry = None
        self.session = session
        self._window.go(CADRE_HOME)

    def end_entry(self) -> None:
        if self.entry is not None:
            self.entry.cancel()
            self.entry = None

    # --- in cadre mode ------------------------------------------------------------------------------------

    def start_enrolment(self, mode: EnrolMode) -> None:
        """协助办理 or 代为操作: the villager's whole enrolment, then the cadre's PIN as witness."""
        from kiosk.flows.cadre import CadreAction
        from kiosk.flows.enrolment import EnrolmentDevices, EnrolmentFlow
        from kiosk.tx.bodies import EnrolMode as Mode

        session = self.session
        if session is None or not session.active:
            self.leave("ended")
            return
        w = self._window
        s = w.services

        def make_flow() -> EnrolmentFlow:  # called once the window has ended the last session (and its reader)
            devices = EnrolmentDevices(s.cards.session(), s.camera, s.face)
            cfg = s.core.settings.enrolment
            return EnrolmentFlow(s.core.registry, devices, s.core.time, cfg, mode, witness_at_end=session)

        self.record(CadreAction.ASSISTED if mode is Mode.ASSISTED else CadreAction.PROXY)
        w.start_enrolment(make_flow)

    def record(self, action: CadreAction) -> None:
        session = self.session
        if session is None:
            return
        did, desk = session.did, self.desk
        self._window.background.submit(
            lambda: desk.record(did, action),
            lambda _none: None,
            lambda exc: logger.warning("a cadre action could not be audited: %s", type(exc).__name__),
            Lane.STORE,
        )

    def leave(self, why: str) -> None:
        """Cadre mode ends: the entry is cancelled and the cadre's key wiped, now; the audit row follows."""
        self.end_entry()
        session, self.session = self.session, None
        if session is None:
            return
        from kiosk.flows.cadre import CadreAction

        did, desk = session.did, self.desk
        session.wipe()
        logger.info("cadre mode left (%s)", why)
        self._window.background.submit(
            lambda: desk.record(did, CadreAction.LEFT, {"why": why}),
            lambda _none: None,
            lambda exc: logger.warning("leaving cadre mode could not be audited: %s", type(exc).__name__),
            Lane.STORE,
        )

    def sign_out(self) -> None:
        """退出 on the cadre's home."""
        self.leave("exit")
        self._window.go_home(ask=False)

    def dress(self, screen: Screen) -> None:
        """The banner on every screen while cadre mode lasts (UI.md: 村干部协助模式 · 王建国)."""
        if screen.banner.property("role") != "banner-cadre":
            return  # a technician's screen wears its own banner
        session = self.session
        if session is not None and session.active:
            from PySide6.QtCore import Qt

            screen.banner.setText(tr(text.CADRE_BANNER).format(name=session.name))
            screen.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            screen.banner.setMinimumHeight(self._window.metrics.px(56))
            screen.banner.show()
        else:
            screen.banner.hide()
            screen.banner.setText("")
