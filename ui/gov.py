"""政务服务, the pension check and 信用额度 as the window runs them: sign-in first, the view-models, the page check.

The window owns one `Gov`. A tile or button tapped before anyone signed in leads through sign-in and then on to
what it named. The view-models hold the signed-in `VillagerSession`; `end()` — from the window's `end_session`
(home, the idle timeout, the lock, a fault) — cancels them, so nothing of the villager stays on a screen (a
service request's sealed draft stays for resuming). Imported with the window, before the core is open: the
core's modules come inside the methods.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ui.background import Lane
from ui.desk import SignedInDesk

if TYPE_CHECKING:
    from kiosk.flows.pension import CadreCheck
    from kiosk.ports import FaceAnalyser
    from ui.viewmodels.credit import CreditViewModel
    from ui.viewmodels.pension import PensionViewModel
    from ui.viewmodels.services import ServicesViewModel
    from ui.window import KioskWindow

logger = logging.getLogger(__name__)

ENTRIES = ("services", "credit")


class Gov(SignedInDesk):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.face: FaceAnalyser | None = None  # None: the kiosk's own analyser; tests and the tour script one
        self.services: ServicesViewModel | None = None
        self.pension: PensionViewModel | None = None
        self.credit: CreditViewModel | None = None
        self.return_to = "villager_home"  # where 返回 from 信用额度 leads

    @property
    def holds_work(self) -> bool:
        return any(vm is not None and vm.holds_work for vm in (self.services, self.pension))

    def open(self, entry: str, return_to: str = "villager_home") -> None:
        """A tile or a button: straight in when someone is signed in, else through sign-in first."""
        if entry not in ENTRIES:
            raise ValueError(f"no such entry {entry!r}")
        if self._ready_for(entry, lambda: self.open(entry, return_to)):
            self.return_to = return_to
            self._start(entry)

    def after_signin(self) -> str | None:
        """The window calls this once the villager is in: the screen a tile named, or None."""
        entry, self._after = self._after, None
        if entry is None:
            return None
        self.return_to = "villager_home"
        return self._start(entry, go=False)

    def _start(self, entry: str, go: bool = True) -> str:
        target = self._start_services() if entry == "services" else self._start_credit()
        if go:
            self._window.go(target)
        return target

    def _start_services(self) -> str:
        from kiosk.credentials.wallet import Wallet
        from kiosk.flows.service import ServiceFlow, ServiceServices
        from ui.screens.services import route_services
        from ui.viewmodels.services import ServicesViewModel

        w = self._window
        session, core = w.session, w.services.core
        if session is None:
            return "villager_home"
        parts = ServiceServices(
            core.db,
            core.time,
            core.device,
            core.device_signer,
            core.keystore,
            Wallet(core.db, core.device.secret),
            self,
            core.settings.services,
        )
        bg = w.background
        vm = ServicesViewModel(
            lambda: ServiceFlow(parts, session),
            self._grab,
            bg.runner(Lane.HW),
            bg.runner(Lane.STORE),
            self.start_pension,
            w.services.options.shuffle_keypad,
        )
        self.services = vm
        vm.subscribe(lambda: route_services(w, vm))
        vm.start()
        return "svc_list"

    def _start_credit(self) -> str:
        from ui.screens.credit import route_credit
        from ui.viewmodels.credit import CreditViewModel

        w = self._window
        session, core = w.session, w.services.core
        if session is None:
            return "villager_home"
        vm = CreditViewModel(
            core.db, session.did, lambda: int(core.time.now().at.timestamp() * 1000), w.background.runner(Lane.STORE)
        )
        self.credit = vm
        vm.subscribe(lambda: route_credit(w, vm))
        vm.refresh()
        return "credit"

    def start_pension(self) -> None:
        """The pension check (a face-check service): its own flow, on the signed-in session."""
        from kiosk.errors import UserFacingError
        from kiosk.flows.pension import PensionCheckFlow, PensionServices
        from ui.screens.pension import route_pension
        from ui.viewmodels.pension import PensionViewModel

        w = self._window
        session, core = w.session, w.services.core
        if session is None:
            return
        parts = PensionServices(
            core.db,
            core.time,
            core.device,
            core.device_signer,
            core.keystore,
            core.registry,
            w.services.camera,
            self.face or w.services.face,
            core.settings.enrolment,
        )
        try:
            flow = PensionCheckFlow(parts, session)
        except UserFacingError as exc:  # not enrolled here: said on the list, with the way on
            if self.services is not None:
                self.services.refused(exc)
            return
        bg = w.background
        vm = PensionViewModel(
            flow,
            core.db,
            session.did,
            lambda: core.time.now().at,
            self._cadre,
            bg.runner(Lane.HW),
            bg.runner(Lane.STORE),
            w.services.options.shuffle_keypad,
        )
        self.pension = vm
        vm.subscribe(lambda: route_pension(w, vm))
        vm.start()
        w.go("pension_face")

    def back_to_services(self) -> None:
        """返回 from the pension check: the services list again."""
        if self.pension is not None:
            self.pension.cancel()
            self.pension = None
        if self.services is not None:
            self.services.back_to_list()
        else:
            self._window.go("villager_home")

    def _cadre(self) -> CadreCheck | None:
        cadre = self._window.cadre
        return cadre.session if cadre.active else None

    def end(self) -> None:
        super().end()
        for vm in (self.services, self.pension, self.credit):
            if vm is not None:
                vm.cancel()
        self.services = self.pension = self.credit = None
