"""出示证明: scan the requester's code (or tap a request from the inbox) → "交通局 要看：…" and the qualifying proofs →
PIN → the QR, or 已发送 / 已送到 for a request answered through the county → done."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer

from ui import icons, text
from ui import text_proofs as t
from ui.screens.pin_parts import PinPad
from ui.screens.proof_parts import ProofCard, ProofScreen, QrPreview, route
from ui.text import message, tr
from ui.viewmodels.share import SharePhase, ShareViewModel
from ui.widgets import ErrorLine, IconView, QrView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    SharePhase.SCAN: "share_scan",
    SharePhase.CHOOSE: "share_choose",
    SharePhase.PIN: "share_pin",
    SharePhase.DONE: "share_done",
    SharePhase.REFUSED: "share_outcome",
}
MAX_OFFERED = 3  # qualifying proofs are few (one kind, accepted issuers); more than this wait for paging
MAX_INBOX = 4  # requests that came through the inbox, newest first (kiosk.credentials.pending)


def route_share(window: KioskWindow, vm: ShareViewModel) -> None:
    if window.proofs.share is not vm:
        return
    err = vm.state.error
    route(window, SCREEN_OF.get(vm.state.phase), vm.state.phase.value, message(err) if err is not None else "")


class ShareScreen(ProofScreen):
    @property
    def vm(self) -> ShareViewModel | None:
        return self.window_.proofs.share


class ShareScanScreen(ShareScreen):
    name = "share_scan"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.state_line = label("", "small")
        self.content.addWidget(self.state_line)
        self.inbox_head = label("", "body")
        self.content.addWidget(self.inbox_head)
        # Requests that came through the inbox; each item id is read when it is tapped.
        self.asks = [TapButton("", partial(self._pick, i)) for i in range(MAX_INBOX)]
        for button in self.asks:
            button.setStyleSheet(f"min-width: {m.px(560)}px; text-align: left; padding-left: {m.px(24)}px;")
            self.content.addWidget(button)
        self.preview = QrPreview(QSize(m.px(560), m.px(420)))
        self.side_box.show()
        self.side.addWidget(self.preview)

    def enter(self) -> None:
        self.preview.start(lambda: self.window_.proofs.frame)
        super().enter()
        vm = self.vm
        if vm is not None and vm.state.phase is SharePhase.SCAN and not vm.scanning and not vm.state.busy:
            vm.start()

    def leave(self) -> None:
        self.preview.stop()

    def _pick(self, i: int) -> None:
        vm = self.vm
        if vm is not None and i < len(vm.state.requests):
            vm.pick(vm.state.requests[i].item_id)

    def refresh_view(self) -> None:
        vm = self.vm
        self.set_progress(1, 4)
        self.set_text(tr(t.SHARE_SCAN_TITLE), tr(t.SHARE_SCAN_BODY))
        busy = vm is not None and vm.state.busy
        self.state_line.setText(tr(t.CHECKING if busy else t.LOOKING))
        asks = () if vm is None else vm.state.requests[:MAX_INBOX]
        self.inbox_head.setText(tr(t.SHARE_INBOX_HEAD))
        self.inbox_head.setVisible(bool(asks))
        for i, button in enumerate(self.asks):
            button.setVisible(i < len(asks))
            if i < len(asks):
                a = asks[i]
                button.set_caption(tr(t.SHARE_INBOX_ASK).format(verifier=a.verifier, kind=a.kind, purpose=a.purpose))
                button.setEnabled(not busy)

    def prompt(self) -> str:
        words = [super().prompt()]
        if self.inbox_head.isVisible():
            words += [self.inbox_head.text(), *(b.text() for b in self.asks if b.isVisible())]
        return "。".join(words)


class ShareChooseScreen(ShareScreen):
    name = "share_choose"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.cards = [ProofCard(window.metrics, self._choose) for _ in range(MAX_OFFERED)]
        for card in self.cards:
            self.content.addWidget(card)

    def _choose(self, cid: str) -> None:
        if self.vm is not None:
            self.vm.choose(cid)

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.start()  # another code

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None or vm.state.asked is None:
            return
        asked = vm.state.asked
        self.set_progress(2, 4)
        self.back.show()
        self.set_text(
            tr(t.SHARE_ASKS).format(verifier=asked.verifier, claims="、".join(asked.labels)),
            tr(t.SHARE_PURPOSE).format(purpose=asked.purpose),
        )
        offered = vm.state.candidates[:MAX_OFFERED]
        for i, card in enumerate(self.cards):
            card.setVisible(i < len(offered))
            if i < len(offered):
                card.show_card(offered[i])

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"  # what they ask for, read in full


class SharePinScreen(ShareScreen):
    name = "share_pin"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.sees = label("", "body")
        self.source = label("", "small")
        self.error = ErrorLine(window.metrics)
        for w in (self.sees, self.source, self.error):
            self.content.addWidget(w)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None or vm.state.preview is None:
            return
        p = vm.state.preview
        self.set_progress(3, 4)
        self.back.show()
        self.set_text(tr(t.SHARE_PIN_TITLE))
        self.sees.setText(tr(t.SHARE_SEES).format(verifier=p.verifier_name, claims="、".join(p.labels_zh)))
        self.source.setText(tr(t.SHARE_FROM).format(issuer=p.issuer_name, kind=p.credential_name))
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.pad.offer(tr(text.OK), tr(text.WORKING), vm.state.busy, vm.submit_pin)

    def prompt(self) -> str:
        # The disclosure preview, read in full; never a digit of the PIN.
        return f"{self.sees.text()}。{self.source.text()}。{self.title.text()}"


class ShareDoneScreen(ShareScreen):
    name = "share_done"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.qr = QrView(window.metrics.px(600))
        self.side_box.show()
        self.side.addWidget(self.qr)
        self.home.hide()

        # Through the county: look now and then whether it has the delivery, to say 已送到.
        self.poll = QTimer(self)
        self.poll.setInterval(2000)
        self.poll.timeout.connect(self._poll)

    def _poll(self) -> None:
        if self.vm is not None:
            self.vm.check_delivered()

    def enter(self) -> None:
        super().enter()
        vm = self.vm
        if vm is not None and vm.state.delivery == "county" and not vm.state.delivered:
            self.poll.start()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None or vm.state.phase is not SharePhase.DONE:
            return
        self.set_progress(4, 4)
        if vm.state.delivery == "county":
            self.side_box.hide()
            title = t.SHARE_DELIVERED_TITLE if vm.state.delivered else t.SHARE_SENT_TITLE
            self.set_text(tr(title), tr(t.SHARE_SENT_BODY))
            if vm.state.delivered:
                self.poll.stop()
        elif vm.state.presentation is not None:
            self.side_box.show()
            self.set_text(tr(t.SHARE_DONE_TITLE), tr(t.SHARE_DONE_BODY))
            self.qr.set_payload(vm.state.presentation)
        self.set_primary(tr(t.DONE), lambda: self.window_.go("villager_home"))

    def leave(self) -> None:
        self.poll.stop()
        self.qr.set_payload("-")  # the presentation leaves the screen with it

    def on_home(self) -> None:
        self.window_.go("villager_home")


class ShareOutcomeScreen(ShareScreen):
    """Refused, with the reason and what to do: nothing qualifies, a request not allowed or expired, a lock."""

    name = "share_outcome"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.next_step = label("", "body")
        self.content.addWidget(self.error)
        self.content.addWidget(self.next_step)
        self.side_box.show()
        self.side.addWidget(IconView(icons.warning_sign, window.metrics.px(200)))

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.set_progress(None)
        self.set_text(tr(t.SHARE_REFUSED_TITLE))
        self.error.set_error(message(err) if err is not None else "")
        key = err.message_key if err is not None else ""
        if key == "pin.locked":
            self.next_step.hide()
            self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))
            return
        self.next_step.show()
        self.next_step.setText(tr(t.SHARE_NONE_NEXT if key == "credential.no_qualifying" else t.SHARE_AGAIN_NEXT))
        self.set_primary(tr(t.SCAN_AGAIN), vm.start)

    def prompt(self) -> str:
        next_step = self.next_step.text() if self.next_step.isVisible() else ""
        return "。".join(w for w in (self.title.text(), self.error.text(), next_step) if w)
