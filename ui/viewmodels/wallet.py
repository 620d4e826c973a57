"""我的证明: the signed-in villager's credentials as cards (paged), one card's detail, and import by QR."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.errors import UserFacingError
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.proofdesk import CardView, DetailView, ProofDesk
from ui.viewmodels.scan import ScanLoop

logger = logging.getLogger(__name__)

PAGE_SIZE = 2  # big cards; two and 上一页/下一页 keep a screen to four choices (UI.md)


class WalletPhase(StrEnum):
    LIST = "list"
    DETAIL = "detail"
    SCAN = "scan"  # 扫描证明二维码: the live preview, looking for a code
    IMPORTED = "imported"
    REFUSED = "refused"  # the code was read but the credential refused, with its reason
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class WalletState:
    phase: WalletPhase = WalletPhase.LIST
    busy: bool = False
    cards: tuple[CardView, ...] = ()
    loaded: bool = False
    page: int = 0
    detail: DetailView | None = None
    imported: CardView | None = None
    error: UserFacingError | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.cards) // PAGE_SIZE))

    @property
    def shown(self) -> tuple[CardView, ...]:
        return self.cards[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]


def _words(exc: Exception, what: str) -> UserFacingError:
    if isinstance(exc, UserFacingError):
        return exc
    logger.error("%s failed unexpectedly: %s", what, type(exc).__name__)
    return UserFacingError("store.failed")


class WalletViewModel(Observable):
    def __init__(
        self, desk: ProofDesk, did: str, look: Callable[[float, bool], str | None], hw: Run, store: Run
    ) -> None:
        super().__init__()
        self._desk, self._did, self._store = desk, did, store
        self._scan = ScanLoop(look, hw, self._seen, self._scan_refused)
        self.state = WalletState()
        self._ended = False

    def _set(self, **changes: object) -> None:
        if self._ended:
            return
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._changed()

    # --- the list ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._set(busy=True)
        self._store(lambda: self._desk.cards(self._did), self._got, self._failed)

    def _got(self, cards: tuple[CardView, ...]) -> None:
        page = min(self.state.page, max(0, -(-len(cards) // PAGE_SIZE) - 1))
        self._set(busy=False, cards=cards, loaded=True, page=page)

    def _failed(self, exc: Exception) -> None:
        self._set(busy=False, loaded=True, error=_words(exc, "the wallet"))

    def turn(self, step: int) -> None:
        page = self.state.page + step
        if 0 <= page < self.state.pages:
            self._set(page=page)

    # --- one card ------------------------------------------------------------------------------------

    def open_detail(self, cid: str) -> None:
        if self.state.busy:
            return
        self._set(busy=True, error=None)
        self._store(lambda: self._desk.detail(self._did, cid), self._got_detail, self._failed)

    def _got_detail(self, detail: DetailView) -> None:
        self._set(busy=False, phase=WalletPhase.DETAIL, detail=detail)

    def back_to_list(self) -> None:
        self._scan.stop()
        self._set(phase=WalletPhase.LIST, detail=None, imported=None, error=None)
        self.refresh()

    # --- import by QR --------------------------------------------------------------------------------

    def start_scan(self) -> None:
        self._set(phase=WalletPhase.SCAN, error=None, imported=None, busy=False)
        self._scan.start()

    def _seen(self, token: str) -> None:
        self._set(busy=True)
        self._store(lambda: self._desk.import_qr(self._did, token), self._imported, self._refused)

    def _imported(self, card: CardView) -> None:
        self._set(busy=False, phase=WalletPhase.IMPORTED, imported=card)

    def _refused(self, exc: Exception) -> None:
        self._set(busy=False, phase=WalletPhase.REFUSED, error=_words(exc, "an import"))

    def _scan_refused(self, error: UserFacingError) -> None:
        self._set(busy=False, phase=WalletPhase.REFUSED, error=error)

    @property
    def scanning(self) -> bool:
        return self._scan.running

    def cancel(self) -> None:
        self._scan.stop()
        self.state = WalletState(phase=WalletPhase.ENDED)
        self._ended = True
        self._changed()
