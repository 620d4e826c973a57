"""我的办事: the villager's service requests with their status in words, one request's history, and the calm
screen for when nothing can be done. They render `window.gov.services` (ui/viewmodels/services.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.services.status import ServiceRequest
from ui import icons, text
from ui import text_services as t
from ui.screens.services import ServicesScreen, pager
from ui.text import message, tr
from ui.viewmodels.services import PAGE_SIZE, ServicesViewModel
from ui.widgets import IconView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow


def date_words(ms: int) -> str:
    from datetime import datetime

    from kiosk.flows.pension import CHINA

    day = datetime.fromtimestamp(ms / 1000, CHINA)
    return tr(t.DATE).format(y=day.year, m=day.month, d=day.day)


def status_words(request: ServiceRequest) -> str:
    """The newest status in words; the office's own details (materials, reason) as it sent them."""
    words = tr(t.STATUS[request.status.value])
    if request.history:
        last = request.history[-1]
        if last.materials:
            words += "：" + "、".join(last.materials)
        if last.reason:
            words += f"（{last.reason}）"
    return words


class ServicesMineScreen(ServicesScreen):
    """我的办事: the villager's requests, newest first, four a page, each with its status in words."""

    name = "svc_mine"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.rows = [TapButton("", lambda i=i: self._open(i)) for i in range(PAGE_SIZE)]  # type: ignore[misc]
        for button in self.rows:
            button.setProperty("data", True)  # the service's name and the office's words
            self.add_button(button)
        self.prev = TapButton(tr(t.PAGE_PREV), lambda: self._turn(-1))
        self.next = TapButton(tr(t.PAGE_NEXT), lambda: self._turn(1))
        self.page = label("", "small")
        self.pager = pager(window.metrics, self.prev, self.next, self.page)
        self.content.addWidget(self.pager)

    def _shown(self) -> tuple[ServiceRequest, ...]:
        vm = self.vm
        if vm is None:
            return ()
        start = vm.state.page * PAGE_SIZE
        return vm.state.requests[start : start + PAGE_SIZE]

    def _open(self, index: int) -> None:
        shown = self._shown()
        if self.vm is not None and index < len(shown):
            self.vm.open_request(shown[index].number)

    def _turn(self, step: int) -> None:
        if self.vm is not None:
            self.vm.turn_mine(step)

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back_to_list()

    def render_state(self, vm: ServicesViewModel) -> None:
        s = vm.state
        self.set_text(tr(t.MINE_TITLE), tr(t.MINE_BODY) if s.requests else tr(t.MINE_EMPTY))
        shown = self._shown()
        for i, button in enumerate(self.rows):
            button.setVisible(i < len(shown))
            if i < len(shown):
                button.set_caption(f"{shown[i].service_name} · {status_words(shown[i])}")
        pages = max(1, -(-len(s.requests) // PAGE_SIZE))
        self.pager.setVisible(pages > 1)
        self.prev.setEnabled(s.page > 0)
        self.next.setEnabled(s.page + 1 < pages)
        self.page.setText(tr(t.PAGE_OF).format(n=s.page + 1, total=pages))
        self.back.show()
        self.set_primary(tr(t.BACK_TO_LIST), vm.back_to_list)


class ServicesRequestScreen(ServicesScreen):
    """One request: its status now, then its history, oldest first, each dated."""

    name = "svc_request"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.what = label("", "body", data=True)
        self.status = label("", "success", data=True)
        self.history = label("", "body", data=True)
        for w in (self.what, self.status, self.history):
            self.content.addWidget(w)

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.open_mine()

    def render_state(self, vm: ServicesViewModel) -> None:
        self.set_text(tr(t.REQUEST_TITLE))
        r = vm.state.request
        if r is None:
            return
        self.what.setText(f"{r.service_name} · {r.office_name}\n{tr(t.DONE_NUMBER).format(number=r.number)}")
        self.status.setText(status_words(r))
        lines = [tr(t.REQUEST_SUBMITTED).format(date=date_words(r.created_ms))]
        lines += [tr(t.REQUEST_EVENT).format(date=date_words(e.at_ms), words=e.words()) for e in r.history]
        self.history.setText("\n".join(lines))
        self.back.show()
        self.set_primary(tr(t.BACK_TO_LIST), vm.back_to_list)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.status.text()}"


class ServicesOutcomeScreen(ServicesScreen):
    """It cannot go on (the catalog has not come): what happened and what to do, with the way home."""

    name = "svc_outcome"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.warning_sign, window.metrics.px(200)))
        self.home.hide()

    def render_state(self, vm: ServicesViewModel) -> None:
        self.error.hide()
        err = vm.state.error
        self.set_text(tr(t.OUTCOME_TITLE), message(err) if err is not None else "")
        self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"
