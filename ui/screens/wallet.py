"""我的证明: the villager's proofs as big cards (paged), one proof's detail, and 扫描证明二维码 to import one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ui import icons
from ui import text_proofs as t
from ui.screens.proof_parts import KIND_ICONS, ProofCard, ProofScreen, QrPreview, StatusLine, freshness, route
from ui.text import message, tr
from ui.viewmodels.wallet import PAGE_SIZE, WalletPhase, WalletViewModel
from ui.widgets import ErrorLine, IconView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    WalletPhase.LIST: "wallet",
    WalletPhase.DETAIL: "wallet_detail",
    WalletPhase.SCAN: "wallet_import",
    WalletPhase.IMPORTED: "wallet_import",
    WalletPhase.REFUSED: "wallet_import",
}


def route_wallet(window: KioskWindow, vm: WalletViewModel) -> None:
    if window.proofs.wallet is not vm:
        return
    err = vm.state.error
    route(window, SCREEN_OF.get(vm.state.phase), vm.state.phase.value, message(err) if err is not None else "")


class WalletScreen(ProofScreen):
    @property
    def vm(self) -> WalletViewModel | None:
        return self.window_.proofs.wallet

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back_to_list()


class WalletListScreen(WalletScreen):
    name = "wallet"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.error = ErrorLine(m)
        self.content.addWidget(self.error)
        self.cards = [ProofCard(m, self._open) for _ in range(PAGE_SIZE)]
        for card in self.cards:
            self.content.addWidget(card)
        pager = QWidget()
        row = QHBoxLayout(pager)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(m.px(24))
        self.prev = TapButton(tr(t.PREV_PAGE), lambda: self._turn(-1))
        self.next = TapButton(tr(t.NEXT_PAGE), lambda: self._turn(1))
        self.page = label("", "small")
        self.page.setWordWrap(False)
        row.addWidget(self.prev)
        row.addWidget(self.page)
        row.addWidget(self.next)
        row.addStretch(1)
        self.pager = pager
        self.content.addWidget(pager)

    def _open(self, cid: str) -> None:
        if self.vm is not None:
            self.vm.open_detail(cid)

    def _turn(self, step: int) -> None:
        if self.vm is not None:
            self.vm.turn(step)

    def on_back(self) -> None:
        self.window_.go("villager_home")

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        s = vm.state
        self.back.show()
        if not s.loaded:
            self.set_text(tr(t.WALLET_TITLE), tr(t.WALLET_LOADING))
        elif not s.cards:
            self.set_text(tr(t.WALLET_TITLE), tr(t.WALLET_EMPTY))
        else:
            self.set_text(tr(t.WALLET_TITLE), tr(t.WALLET_BODY))
        self.error.set_error(message(s.error) if s.error is not None else "")
        shown = s.shown
        for i, card in enumerate(self.cards):
            card.setVisible(i < len(shown))
            if i < len(shown):
                card.show_card(shown[i])
        self.pager.setVisible(s.pages > 1)
        self.page.setText(tr(t.WALLET_PAGE).format(n=s.page + 1, total=s.pages))
        self.prev.setEnabled(s.page > 0)
        self.next.setEnabled(s.page + 1 < s.pages)
        self.set_primary(tr(t.SCAN_PROOF), vm.start_scan)


class WalletDetailScreen(WalletScreen):
    """One proof in plain words: what it says, who issued it, its dates and its status."""

    name = "wallet_detail"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.head = QWidget()
        row = QHBoxLayout(self.head)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(m.px(24))
        self._icon_px = m.px(96)
        self.icon = IconView(icons.wallet, self._icon_px)
        self.kind = label("", "body", data=True)
        self.kind.setStyleSheet("font-weight: bold;")
        row.addWidget(self.icon)
        row.addWidget(self.kind, 1)
        self.content.addWidget(self.head)
        self.claims = label("", "body", data=True)  # the claims' values are the villager's own data
        self.content.addWidget(self.claims)
        self.side_box.show()
        self.status = StatusLine(m)
        self.fresh = label("", "small")
        self.issuer = label("", "small")
        self.dates = label("", "small")
        for w in (self.status, self.fresh, self.issuer, self.dates):
            self.side.addWidget(w)
        self.side.setAlignment(Qt.AlignmentFlag.AlignTop)

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None or vm.state.detail is None:
            return
        d = vm.state.detail
        c = d.card
        self.back.show()
        self.set_text(tr(t.DETAIL_BODY))
        self.icon.setPixmap(icons.pixmap(KIND_ICONS.get(c.icon, icons.wallet), self._icon_px))
        self.kind.setText(c.kind)
        self.claims.setText("\n".join(f"{line.label}：{line.value}" for line in d.claims))
        self.status.show_status(c.status)
        self.fresh.setText(freshness(c))
        self.issuer.setText(tr(t.ISSUER_IS).format(issuer=c.issuer))
        dates = [tr(t.ISSUED_ON).format(date=c.issued)]
        if c.expires:
            dates.append(tr(t.EXPIRES_ON).format(date=c.expires))
        self.dates.setText("\n".join(dates))
        self.set_primary(tr(t.BACK_TO_LIST), vm.back_to_list)

    def prompt(self) -> str:
        # The claims are personal: only the title and the status word are spoken.
        return f"{self.title.text()}。{self.status.word.text()}"


class WalletImportScreen(WalletScreen):
    """扫描证明二维码: the live preview; then 已保存 with the new card, or the refusal's reason in words."""

    name = "wallet_import"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.state_line = label("", "small")
        self.error = ErrorLine(m)
        self.card = ProofCard(m, lambda _cid: None)
        self.content.addWidget(self.state_line)
        self.content.addWidget(self.error)
        self.content.addWidget(self.card)
        self.preview = QrPreview(QSize(m.px(560), m.px(420)))
        self.side_box.show()
        self.side.addWidget(self.preview)

    def enter(self) -> None:
        self.preview.start(lambda: self.window_.proofs.frame)
        super().enter()

    def leave(self) -> None:
        self.preview.stop()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        s = vm.state
        self.back.show()
        self.card.setVisible(s.phase is WalletPhase.IMPORTED and s.imported is not None)
        self.error.set_error(message(s.error) if s.error is not None and s.phase is WalletPhase.REFUSED else "")
        self.preview.setVisible(s.phase is WalletPhase.SCAN)
        self.side_box.setVisible(s.phase is WalletPhase.SCAN)
        if s.phase is WalletPhase.IMPORTED and s.imported is not None:
            self.set_text(tr(t.IMPORTED_TITLE))
            self.card.show_card(s.imported)
            self.state_line.hide()
            self.set_primary(tr(t.BACK_TO_LIST), vm.back_to_list)
        elif s.phase is WalletPhase.REFUSED:
            self.set_text(tr(t.IMPORT_REFUSED_TITLE))
            self.state_line.hide()
            self.set_primary(tr(t.SCAN_AGAIN), vm.start_scan)
        else:
            self.set_text(tr(t.IMPORT_TITLE), tr(t.IMPORT_BODY))
            self.state_line.setText(tr(t.CHECKING if s.busy else t.LOOKING))
            self.state_line.show()
            self.set_primary(None)

    def prompt(self) -> str:
        if self.error.isVisible():
            return f"{self.title.text()}。{self.error.text()}"
        return super().prompt()
