"""贷款 and 进度查询 as the window runs them: sign-in first when needed, the loan view-model, the saved draft.

The window owns one `Loans`. A tile tapped before anyone signed in leads through sign-in and then on. Every
sign-in looks for a loan draft the villager left unfinished (idle timeout, home): within
`loans.draft_resume_s` it is offered again, past it a calm word says it was cleared. `end()` — from the window's
`end_session` — forgets the flow in memory; its sealed draft stays for the next sign-in. Imported with the
window, before the core is open: the core's modules come inside the methods.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ui.background import Lane
from ui.desk import SignedInDesk

if TYPE_CHECKING:
    from ui.viewmodels.loan import LoanDesk, LoanViewModel
    from ui.window import KioskWindow

logger = logging.getLogger(__name__)

ENTRIES = {"loans": "apply", "progress": "progress"}


class Loans(SignedInDesk):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)  # the desk checks pages with `self.check`, so `documents` can be swapped
        self._desk: LoanDesk | None = None
        self.vm: LoanViewModel | None = None
        self.return_to = "villager_home"  # where 知道了 or a finished look leads

    @property
    def desk(self) -> LoanDesk:
        if self._desk is None:
            from ui.viewmodels.loan import LoanDesk

            self._desk = LoanDesk(self._window.services.core, self)  # checks pages with `self.documents`
        return self._desk

    @property
    def holds_work(self) -> bool:
        return self.vm is not None and self.vm.holds_work

    def open(self, tile: str) -> None:
        """贷款 or 进度查询: straight in when someone is signed in, else through sign-in first."""
        if tile not in ENTRIES:
            raise ValueError(f"no such loan entry {tile!r}")
        if self._ready_for(tile, lambda: self.open(tile)):
            self.return_to = "villager_home"
            self._start(ENTRIES[tile])

    def signed_in(self) -> None:
        """The window calls this once the villager is in (and on their page, or where a tile led)."""
        tile, self._after = self._after, None
        current = self._window.current
        self.return_to = current.name if current is not None else "villager_home"
        self._start(ENTRIES[tile] if tile is not None else "signin")

    def _start(self, entry: str) -> None:
        from ui.screens.loan import route_loan
        from ui.viewmodels.loan import Entry, LoanViewModel

        w = self._window
        session = w.session
        if session is None:
            return
        bg = w.background
        vm = LoanViewModel(
            self.desk,
            session,
            self._grab,
            bg.runner(Lane.HW),
            bg.runner(Lane.STORE),
            w.services.options.shuffle_keypad,
        )
        self.vm = vm
        vm.subscribe(lambda: route_loan(w, vm))
        vm.start(Entry(entry))

    def end(self) -> None:
        super().end()
        if self.vm is not None:
            self.vm.cancel()
        self.vm = None
