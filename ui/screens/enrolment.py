"""The enrolment screens: 放身份证 → 确认信息 → 同意 → 刷脸 → 设密码 (twice) → 完成, and how it ended otherwise.

All of them render the one `EnrolmentViewModel` of the session; `route_enrolment` shows the screen for its
phase whenever it changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer

from kiosk.ports import FaceHint
from kiosk.store.outbox import OutboxState
from ui import icons, text
from ui.screen import Screen
from ui.screens.pin_parts import PinPad
from ui.text import message, tr
from ui.viewmodels.enrolment import TOTAL_STEPS, EnrolmentViewModel, EnrolPhase
from ui.widgets import CameraPreview, ErrorLine, IconView, QrView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    EnrolPhase.CARD: "enrol_card",
    EnrolPhase.CONFIRM: "enrol_confirm",
    EnrolPhase.CONSENT: "enrol_consent",
    EnrolPhase.FACE: "enrol_face",
    EnrolPhase.PIN: "enrol_pin",
    EnrolPhase.PIN_CONFIRM: "enrol_pin",
    EnrolPhase.WITNESS: "cadre_witness",
    EnrolPhase.DONE: "enrol_done",
    EnrolPhase.FAILED: "enrol_outcome",
    EnrolPhase.CANCELLED: "enrol_outcome",
}

HINT_WORDS = {
    FaceHint.NO_FACE: text.FACE_NO_FACE,
    FaceHint.MOVE_CLOSER: text.FACE_MOVE_CLOSER,
    FaceHint.MOVE_BACK: text.FACE_MOVE_BACK,
    FaceHint.CENTRE: text.FACE_CENTRE,
    FaceHint.HOLD_STILL: text.FACE_HOLD_STILL,
    FaceHint.BLINK: text.FACE_BLINK,
    FaceHint.TURN_HEAD: text.FACE_TURN_HEAD,
    FaceHint.TOO_DARK: text.FACE_TOO_DARK,
    FaceHint.OK: text.FACE_OK,
}

CHAIN_POLL_MS = 2000


def route_enrolment(window: KioskWindow, vm: EnrolmentViewModel, last: list[EnrolPhase]) -> None:
    """Show the screen of the flow's phase; re-render (and re-speak on a new step) when it stays the same."""
    if window.enrolment is not vm:
        return
    phase = vm.state.phase
    target = SCREEN_OF[phase]
    current = window.current
    if current is None or current.name != target:
        window.go(target)
    else:
        if isinstance(current, EnrolScreen):
            current.refresh_view()
        if last and last[0] is not phase:
            window.services.speaker.interrupt()
            window.speak(current.prompt())
    last[:] = [phase]


class EnrolScreen(Screen):
    """A screen of the enrolment: renders `window.enrolment`."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> EnrolmentViewModel | None:
        return self.window_.enrolment

    def enter(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        self.set_progress(vm.state.step, TOTAL_STEPS)
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: EnrolmentViewModel) -> None:
        """Each screen renders its own part of the state."""

    def prompt(self) -> str:
        vm = self.vm
        if vm is not None and vm.state.error is not None:
            return message(vm.state.error)
        return self.title.text()


class EnrolCardScreen(EnrolScreen):
    name = "enrol_card"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.id_card, window.metrics.px(320)))

    def enter(self) -> None:
        super().enter()
        if self.vm is not None and self.vm.state.error is None:
            self.vm.read_card()  # waiting for the card to be placed; nothing advances without it

    def render_state(self, vm: EnrolmentViewModel) -> None:
        self.set_text(tr(text.ENROL_CARD_TITLE), tr(text.ENROL_CARD_BODY))
        if vm.state.error is not None and not vm.state.busy:
            self.set_primary(tr(text.TRY_AGAIN), vm.read_card)
        else:
            self.set_primary(None)


class EnrolConfirmScreen(EnrolScreen):
    name = "enrol_confirm"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.name_line = label("", "title", data=True)
        self.id_line = label("", "body", data=True)
        self.not_me = TapButton(tr(text.ENROL_NOT_ME), lambda: self._answer(False))
        self.content.addWidget(self.name_line)
        self.content.addWidget(self.id_line)
        self.add_button(self.not_me)

    def _answer(self, is_me: bool) -> None:
        if self.vm is not None:
            self.vm.confirm(is_me)

    def render_state(self, vm: EnrolmentViewModel) -> None:
        self.set_text(tr(text.ENROL_CONFIRM_TITLE), tr(text.ENROL_CONFIRM_BODY))
        summary = vm.state.summary
        # The name and the masked number are shown, never spoken (UI.md: no personal data through the speaker).
        self.name_line.setText(tr(text.ENROL_CONFIRM_NAME).format(name=summary.name if summary else ""))
        self.id_line.setText(tr(text.ENROL_CONFIRM_ID).format(id=summary.masked_id if summary else ""))
        self.set_primary(tr(text.ENROL_IS_ME), lambda: self._answer(True))


class EnrolConsentScreen(EnrolScreen):
    name = "enrol_consent"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.disagree = TapButton(tr(text.DISAGREE), lambda: self._answer(False))
        self.add_button(self.disagree)

    def _answer(self, accepted: bool) -> None:
        if self.vm is not None:
            self.vm.consent(accepted)

    def render_state(self, vm: EnrolmentViewModel) -> None:
        self.set_text(tr(text.ENROL_CONSENT_TITLE), text.consent(vm.consent_text))
        self.set_primary(tr(text.AGREE), lambda: self._answer(True))

    def prompt(self) -> str:
        # Disclosures are read in full (UI.md "Voice").
        return f"{self.title.text()}。{self.body.text()}"


class EnrolFaceScreen(EnrolScreen):
    name = "enrol_face"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.hint = label("", "warning")
        self.content.insertWidget(0, self.hint)
        self.preview = CameraPreview(QSize(m.px(560), m.px(420)))
        self.side_box.show()
        self.side.addWidget(self.preview)
        self.cadre_check = TapButton(tr(text.ENROL_FACE_CADRE_CHECK), self._cadre_checks)
        self.add_button(self.cadre_check)
        self.cadre_check.hide()
        self._ready_timer = QTimer(self)
        self._ready_timer.setInterval(300)
        self._ready_timer.timeout.connect(self.refresh_view)
        self._last_hint: FaceHint | None = None

    def enter(self) -> None:
        self.window_.services.start_devices()  # in case the villager got here before the timer did
        self.preview.start(self.window_.services.camera)
        self._ready_timer.start()
        self._last_hint = None
        super().enter()

    def leave(self) -> None:
        self.preview.stop()
        self._ready_timer.stop()

    def _start(self) -> None:
        if self.vm is not None:
            self.vm.capture_face(self.window_.background.run_on_main)

    def _cadre_checks(self) -> None:
        if self.vm is not None:
            self.vm.cadre_checks()

    def render_state(self, vm: EnrolmentViewModel) -> None:
        self.cadre_check.setVisible(vm.cadre_can_check)
        ready = self.window_.services.face.ready and self.window_.services.camera.ready
        if ready:
            self._ready_timer.stop()
        self.set_text(tr(text.ENROL_FACE_TITLE), tr(text.ENROL_FACE_BODY) if ready else tr(text.ENROL_FACE_WAIT))
        hint = vm.state.hint
        self.hint.setText(tr(HINT_WORDS[hint]) if hint is not None and vm.state.busy else "")
        self.hint.setVisible(bool(self.hint.text()))
        if hint is not None and hint is not self._last_hint and vm.state.busy:
            self._last_hint = hint
            self.window_.services.speaker.interrupt()
            self.window_.speak(tr(HINT_WORDS[hint]))
        caption = tr(text.TRY_AGAIN) if vm.state.error is not None else tr(text.ENROL_FACE_START)
        self.set_primary(caption, self._start, enabled=ready and not vm.state.busy)


class EnrolPinScreen(EnrolScreen):
    name = "enrol_pin"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def render_state(self, vm: EnrolmentViewModel) -> None:
        if vm.state.phase is EnrolPhase.PIN_CONFIRM:
            self.set_text(tr(text.ENROL_PIN_AGAIN_TITLE), tr(text.ENROL_PIN_AGAIN_BODY))
        else:
            self.set_text(tr(text.ENROL_PIN_TITLE), tr(text.ENROL_PIN_BODY))
        self.pad.offer(tr(text.OK), tr(text.ENROL_SAVING), vm.state.busy, vm.submit_pin)


class EnrolDoneScreen(EnrolScreen):
    name = "enrol_done"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.chain_words = label("", "success")
        self.chain_ref = label("", "small")
        self.did = label("", "small", data=True)
        for w in (self.chain_words, self.chain_ref, self.did):
            self.content.addWidget(w)
        self.qr = QrView(m.px(420))
        self.side_box.show()
        self.side.addWidget(self.qr)
        self.home.hide()
        self._poll = QTimer(self)
        self._poll.setInterval(CHAIN_POLL_MS)
        self._poll.timeout.connect(self._refresh)

    def enter(self) -> None:
        super().enter()
        self._poll.start()
        self._refresh()

    def leave(self) -> None:
        self._poll.stop()

    def _refresh(self) -> None:
        if self.vm is not None:
            self.vm.refresh_chain()

    def render_state(self, vm: EnrolmentViewModel) -> None:
        self.set_text(tr(text.ENROL_DONE_TITLE))
        self.set_progress(None)
        chain = vm.state.chain
        if chain is OutboxState.COMMITTED:
            words, ref, role = text.ENROL_DONE_CONFIRMED, text.ENROL_STATE_COMMITTED, "success"
            self._poll.stop()
        elif chain is OutboxState.REJECTED:
            words, ref, role = text.ENROL_DONE_REJECTED, text.ENROL_STATE_REJECTED, "error"
            self._poll.stop()
        else:
            words, ref, role = text.ENROL_DONE_PENDING, text.ENROL_STATE_PENDING, "success"
        self.chain_words.setText(tr(words))
        self.chain_words.setProperty("role", role)
        self.chain_words.style().polish(self.chain_words)
        self.chain_ref.setText(tr(ref))
        if vm.state.did:
            self.did.setText(vm.state.did)
            self.qr.set_payload(vm.state.did)
        self.set_primary(tr(text.FINISH), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.chain_words.text()}"


class EnrolOutcomeScreen(EnrolScreen):
    """Cancelled (nothing saved) or failed (what happened and what to do next)."""

    name = "enrol_outcome"
    personal = False

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.side_box.show()
        self.side.addWidget(IconView(icons.warning_sign, window.metrics.px(200)))
        self.home.hide()

    def render_state(self, vm: EnrolmentViewModel) -> None:
        self.set_progress(None)
        self.error.hide()
        if vm.state.phase is EnrolPhase.FAILED:
            self.set_text(tr(text.FAILED_TITLE), message(vm.state.error) if vm.state.error else "")
        else:
            self.set_text(tr(text.CANCELLED_TITLE))
        self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}" if self.body.text() else self.title.text()
