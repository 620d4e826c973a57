"""我的申请 (进度查询): the villager's loan applications, each one's status and history from the bank's answers
in the inbox, and its withdrawal confirmed with the PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui import text
from ui import text_loan as t
from ui.screens.loan import LoanScreen, _Paged, _PinScreen
from ui.screens.loan_parts import ApplicationCard, date, money, restyle, status_word
from ui.text import tr
from ui.viewmodels.loan import PER_PAGE, LoanViewModel
from ui.widgets import label

if TYPE_CHECKING:
    from kiosk.loans.status import Application
    from ui.window import KioskWindow


class LoanMineScreen(_Paged):
    name = "loan_mine"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.cards = [ApplicationCard(window, self._open) for _ in range(PER_PAGE)]
        for card in self.cards:
            self.content.addWidget(card)
        self.content.addWidget(self.error)
        self._pager(window)

    def _open(self, number: str) -> None:
        if self.vm is not None:
            self.vm.open_application(number)

    def render_state(self, vm: LoanViewModel) -> None:
        apps = vm.state.applications
        self.set_text(tr(t.MINE_TITLE), tr(t.MINE_BODY if apps else t.MINE_NONE))
        shown = vm.state.on_page(apps)
        for i, card in enumerate(self.cards):
            card.setVisible(i < len(shown))
            if i < len(shown):
                card.show_application(shown[i])  # type: ignore[arg-type]
        self._pages(vm, len(apps))
        self.set_primary(None)


def history_lines(window: KioskWindow, app: Application) -> list[str]:
    lines = [tr(t.HISTORY_LINE).format(date=date(app.created_ms), words=tr(t.STATUS["submitted"]))]
    for e in app.history:
        words = tr(t.STATUS[e.status.value])
        if e.amount_fen is not None:
            words = tr(t.WITH_AMOUNT).format(word=words, amount=money(window, e.amount_fen))
        if e.materials:
            words = tr(t.WITH_ITEMS).format(word=words, items=tr(t.LIST_SEP).join(e.materials))
        if e.reason:
            words = tr(t.WITH_REASON).format(word=words, reason=e.reason)
        lines.append(tr(t.HISTORY_LINE).format(date=date(e.at_ms), words=words))
    return lines


class LoanApplicationScreen(LoanScreen):
    name = "loan_application"
    MAX_LINES = 6

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.number = label("", "small", data=True)
        self.status = label("", "body")
        self.content.addWidget(self.number)
        self.content.addWidget(self.status)
        self.lines = [label("", "small") for _ in range(self.MAX_LINES)]
        for line in self.lines:
            self.content.addWidget(line)
        self.content.addWidget(self.error)

    def render_state(self, vm: LoanViewModel) -> None:
        app = vm.state.selected
        if app is None:
            return
        w = self.window_
        self.set_text(tr(t.APP_TITLE), f"{app.product_name} · {app.bank_name} · {money(w, app.amount_fen)}")
        self.body.setProperty("data", True)
        self.number.setText(tr(t.NUMBER).format(number=app.number))
        status, word = status_word(app)
        self.status.setText(tr(t.APP_STATUS).format(word=word))
        restyle(self.status, {"approved": "success", "disbursed": "success", "rejected": "error"}.get(status, "body"))
        lines = history_lines(w, app)
        if app.withdrawn and vm.state.withdrawn_tx:
            lines.append(tr(t.WITHDRAWN_NOTE))  # just now, here: it reaches the bank once online
        lines = lines[-self.MAX_LINES :]
        for i, line in enumerate(self.lines):
            line.setVisible(i < len(lines))
            line.setText(lines[i] if i < len(lines) else "")
        if app.can_withdraw:
            self.set_primary(tr(t.WITHDRAW), vm.ask_withdraw)
        else:
            self.set_primary(None)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.status.text()}"


class LoanWithdrawScreen(_PinScreen):
    name = "loan_withdraw"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.content.addWidget(self.error)

    def render_state(self, vm: LoanViewModel) -> None:
        self.set_text(tr(t.WITHDRAW_TITLE), tr(t.WITHDRAW_BODY))
        self.keypad.refresh_view()
        busy = vm.state.busy
        self.set_primary(
            tr(text.WORKING) if busy else tr(t.WITHDRAW), vm.confirm_withdraw, vm.pin.state.complete and not busy
        )
