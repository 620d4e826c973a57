"""Cadre mode's desk: the queue to the county (待上报 / 已上报 / 被退回 with the county's reason, 重新上报 where a
resend can cure it), today's activity, and the witness step that ends an assisted or proxy enrolment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.store.activity import CHINA, ActivityItem, ActivityKind, QueueItem, QueueState
from kiosk.tx.bodies import EnrolMode
from kiosk.tx.receipt import RejectCode
from ui import text
from ui.background import Lane
from ui.screen import Screen
from ui.screens.enrolment import EnrolScreen
from ui.screens.pin_parts import PinPad
from ui.text import tr
from ui.viewmodels.cadre import QueueViewModel, TodayViewModel
from ui.viewmodels.enrolment import EnrolmentViewModel
from ui.widgets import TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

QUEUE_ROWS = 4  # what fits under the title in landscape, with the reason line of a rejected item
TODAY_ROWS = 6

_STATE_WORDS = {
    QueueState.PENDING: text.STATE_PENDING,
    QueueState.SENT: text.STATE_SENT,
    QueueState.REJECTED: text.STATE_REJECTED,
}
_TX_WORDS = {"identity.enroll": text.TX_ENROL, "did.rotate": text.TX_ROTATE}
_MODE_WORDS = {"self": text.MODE_SELF, "assisted": text.MODE_ASSISTED, "proxy": text.MODE_PROXY}
_REASON_WORDS = {
    RejectCode.UNKNOWN_KIOSK: text.REASON_UNKNOWN_KIOSK,
    RejectCode.BAD_SIGNATURE: text.REASON_BAD_SIGNATURE,
    RejectCode.INVALID_BODY: text.REASON_INVALID,
    RejectCode.MALFORMED: text.REASON_INVALID,
}
_ACT_WORDS = {
    ActivityKind.ENROLLED: text.ACT_ENROLLED,
    ActivityKind.RECOVERED: text.ACT_RECOVERED,
    ActivityKind.KEY_LOCKED: text.ACT_KEY_LOCKED,
    ActivityKind.CADRE_ENTERED: text.ACT_CADRE_ENTERED,
    ActivityKind.CADRE_REFUSED: text.ACT_CADRE_REFUSED,
    ActivityKind.RESENT: text.ACT_RESENT,
    ActivityKind.COUNTY_COMMAND: text.ACT_COUNTY,
}


def when(ms: int) -> str:
    at = datetime.fromtimestamp(ms / 1000, tz=CHINA)
    return tr(text.WHEN).format(month=at.month, day=at.day, hour=at.hour, minute=at.minute)


def _with_mode(what: str, mode: str | None) -> str:
    words = _MODE_WORDS.get(mode or "")
    return tr(text.WHAT_WITH_MODE).format(what=what, mode=tr(words)) if words else what


def describe(item: QueueItem) -> str:
    what = _with_mode(tr(_TX_WORDS.get(item.tx_type, text.TX_OTHER)), item.mode)
    return tr(text.CADRE_QUEUE_ITEM).format(when=when(item.created_ms), what=what, state=tr(_STATE_WORDS[item.state]))


def reason_words(item: QueueItem) -> str:
    words = _REASON_WORDS.get(item.code) if item.code is not None else None
    return tr(text.CADRE_QUEUE_REASON).format(reason=tr(words or text.REASON_OTHER))


def activity_line(item: ActivityItem) -> str:
    what = _with_mode(tr(_ACT_WORDS[item.kind]), item.mode)
    at = datetime.fromtimestamp(item.at_ms / 1000, tz=CHINA)
    return tr(text.ACT_LINE).format(time=f"{at.hour:02d}:{at.minute:02d}", what=what)


class CadreDeskScreen(Screen):
    """A page of cadre mode with one way back: 返回 to the cadre's home (the primary)."""

    villager = False
    rows: list[QLabel]

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.home.hide()

    def _back_to_cadre_home(self) -> None:
        self.window_.go_home(ask=False)  # in cadre mode, 回首页 is the cadre's home

    def leave(self) -> None:
        for row in self.rows:
            row.setText("")  # nothing of the queue stays on a hidden page


class CadreQueueScreen(CadreDeskScreen):
    name = "cadre_queue"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.counts = label("", "body")
        self.content.addWidget(self.counts)
        self.rows: list[QLabel] = []
        self.reasons: list[QLabel] = []
        self.resend_buttons: list[TapButton] = []
        for i in range(QUEUE_ROWS):
            row, reason = label("", "body"), label("", "error")
            resend = TapButton(tr(text.CADRE_QUEUE_RESEND), self._resender(i))
            line = QHBoxLayout()
            line.addWidget(reason, 1)
            line.addWidget(resend)
            self.content.addWidget(row)
            self.content.addLayout(line)
            self.rows.append(row)
            self.reasons.append(reason)
            self.resend_buttons.append(resend)
        self.note = label("", "success")
        self.content.addWidget(self.note)
        self.vm: QueueViewModel | None = None

    def _resender(self, index: int) -> Callable[[], None]:
        def resend() -> None:
            if self.vm is not None and index < len(self.vm.state.items):
                self.vm.resend(self.vm.state.items[index].tx_id)

        return resend

    def enter(self) -> None:
        session = self.window_.cadre.session
        self.set_progress(None)
        self.set_text(tr(text.CADRE_QUEUE_TITLE))
        self.set_primary(tr(text.BACK_TO_CADRE), self._back_to_cadre_home)
        self.vm = None
        if session is not None:
            self.vm = QueueViewModel(self.window_.cadre.desk, session.did, self.window_.background.runner(Lane.STORE))
            self.vm.subscribe(self.refresh_view)
            self.vm.refresh()
        self.refresh_view()

    def refresh_view(self) -> None:
        state = self.vm.state if self.vm is not None else None
        c = state.counts if state is not None else None
        if state is not None and state.failed:
            self.counts.setText(tr(text.CADRE_QUEUE_FAILED))
        elif c is not None and c.pending + c.sent + c.rejected == 0:
            self.counts.setText(tr(text.CADRE_QUEUE_EMPTY) if state is not None and state.loaded else "")
        elif c is not None:
            self.counts.setText(tr(text.CADRE_QUEUE_COUNTS).format(pending=c.pending, sent=c.sent, rejected=c.rejected))
        items = state.items if state is not None else ()
        for i in range(QUEUE_ROWS):
            item = items[i] if i < len(items) else None
            self.rows[i].setText(describe(item) if item is not None else "")
            self.rows[i].setVisible(item is not None)
            rejected = item is not None and item.state is QueueState.REJECTED
            self.reasons[i].setText(reason_words(item) if item is not None and rejected else "")
            self.reasons[i].setVisible(rejected)
            self.resend_buttons[i].setVisible(item is not None and item.retryable)
        self.note.setText(tr(text.CADRE_QUEUE_RESENT) if state is not None and state.resent else "")
        self.note.setVisible(bool(self.note.text()))

    def prompt(self) -> str:
        return self.title.text()


class CadreTodayScreen(CadreDeskScreen):
    name = "cadre_today"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.counts = label("", "body")
        self.content.addWidget(self.counts)
        self.rows = [label("", "body") for _ in range(TODAY_ROWS)]
        for row in self.rows:
            self.content.addWidget(row)
        self.more = label("", "small")
        self.content.addWidget(self.more)
        self.vm: TodayViewModel | None = None

    def enter(self) -> None:
        session = self.window_.cadre.session
        self.set_progress(None)
        self.set_text(tr(text.CADRE_TODAY_TITLE))
        self.set_primary(tr(text.BACK_TO_CADRE), self._back_to_cadre_home)
        self.vm = None
        if session is not None:
            self.vm = TodayViewModel(self.window_.cadre.desk, session.did, self.window_.background.runner(Lane.STORE))
            self.vm.subscribe(self.refresh_view)
            self.vm.refresh()
        self.refresh_view()

    def refresh_view(self) -> None:
        state = self.vm.state if self.vm is not None else None
        day = state.today if state is not None else None
        if state is not None and state.failed:
            self.counts.setText(tr(text.CADRE_QUEUE_FAILED))
        elif day is not None and state is not None and state.loaded:
            e = day.enrolled
            words = text.CADRE_TODAY_COUNTS if day.items else text.CADRE_TODAY_EMPTY
            self.counts.setText(
                tr(words).format(total=day.enrolled_total, own=e["self"], assisted=e["assisted"], proxy=e["proxy"])
            )
        items = day.items if day is not None else []
        for i, row in enumerate(self.rows):
            row.setText(activity_line(items[i]) if i < len(items) else "")
            row.setVisible(i < len(items))
        extra = len(items) - TODAY_ROWS
        self.more.setText(tr(text.CADRE_TODAY_MORE).format(n=extra) if extra > 0 else "")
        self.more.setVisible(extra > 0)


class CadreWitnessScreen(EnrolScreen):
    """The end of an assisted or proxy enrolment: the cadre's PIN, on the keypad, signs as witness."""

    name = "cadre_witness"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def render_state(self, vm: EnrolmentViewModel) -> None:
        session = self.window_.cadre.session
        name = session.name if session is not None else ""
        proxy = vm.mode is EnrolMode.PROXY
        body = text.CADRE_WITNESS_PROXY_BODY if proxy else text.CADRE_WITNESS_BODY
        self.set_text(tr(text.CADRE_WITNESS_TITLE), tr(body).format(name=name))
        self.body.setProperty("data", True)  # the cadre's name; the spoken prompt is the title
        self.pad.offer(tr(text.OK), tr(text.ENROL_SAVING), vm.state.busy, vm.submit_pin)
