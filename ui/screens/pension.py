"""养老待遇资格认证: 看摄像头 → 眨眼/转头 → 认证成功，明年X月前再来; the calm refusals; a cadre's check in person.

All render `window.gov.pension` (ui/viewmodels/pension.py). The face screen reuses the enrolment's live preview
with its oval guide and its hint words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer

from kiosk.ports import FaceHint
from ui import icons, text
from ui import text_services as t
from ui.screens.enrolment import HINT_WORDS
from ui.screens.pin_parts import PinPad
from ui.screens.proof_parts import ProofScreen, route
from ui.text import message, tr
from ui.viewmodels.pension import PensionPhase, PensionViewModel
from ui.widgets import CameraPreview, ErrorLine, IconView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    PensionPhase.FACE: "pension_face",
    PensionPhase.DONE: "pension_done",
    PensionPhase.FAILED: "pension_failed",
    PensionPhase.CADRE: "pension_cadre",
}
ANSWER_POLL_MS = 2000


def route_pension(window: KioskWindow, vm: PensionViewModel) -> None:
    if window.gov.pension is not vm:
        return
    err = vm.state.error
    route(window, SCREEN_OF.get(vm.state.phase), vm.state.phase.value, message(err) if err is not None else "")


class PensionScreen(ProofScreen):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> PensionViewModel | None:
        return self.window_.gov.pension

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.render_state(vm)

    def render_state(self, vm: PensionViewModel) -> None:
        """Each screen renders its part of the state."""

    def on_back(self) -> None:
        self.window_.gov.back_to_services()

    def prompt(self) -> str:
        vm = self.vm
        if vm is not None and vm.state.error is not None:
            return message(vm.state.error)
        return super().prompt()


class PensionFaceScreen(PensionScreen):
    name = "pension_face"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.hint = label("", "warning")
        self.content.insertWidget(0, self.hint)
        self.note = label("", "small")
        self.content.addWidget(self.note)
        self.cadre = TapButton(tr(t.PENSION_CADRE), self._cadre)
        self.add_button(self.cadre)
        self.preview = CameraPreview(QSize(m.px(560), m.px(420)))
        self.side_box.show()
        self.side.addWidget(self.preview)
        self._ready_timer = QTimer(self)
        self._ready_timer.setInterval(300)
        self._ready_timer.timeout.connect(self.refresh_view)
        self._last_hint: FaceHint | None = None

    def enter(self) -> None:
        self.window_.services.start_devices()
        self.preview.start(self.window_.services.camera)
        self._ready_timer.start()
        self._last_hint = None
        super().enter()

    def leave(self) -> None:
        self.preview.stop()
        self._ready_timer.stop()

    def _start(self) -> None:
        if self.vm is not None:
            self.vm.capture(self.window_.background.run_on_main)

    def _cadre(self) -> None:
        if self.vm is not None:
            self.vm.to_cadre()

    def render_state(self, vm: PensionViewModel) -> None:
        s = vm.state
        ready = self.window_.services.face.ready and self.window_.services.camera.ready
        if ready:
            self._ready_timer.stop()
        self.set_progress(2 if s.busy else 1, 3)
        self.set_text(tr(t.PENSION_TITLE), tr(t.PENSION_BODY) if ready else tr(t.PENSION_WAIT))
        hint = s.hint
        self.hint.setText(tr(HINT_WORDS[hint]) if hint is not None and s.busy else "")
        self.hint.setVisible(bool(self.hint.text()))
        if hint is not None and hint is not self._last_hint and s.busy:
            self._last_hint = hint
            self.window_.services.speaker.interrupt()
            self.window_.speak(tr(HINT_WORDS[hint]))
        notes = []
        if s.error is not None and s.tries_left:
            notes.append(tr(t.PENSION_TRIES).format(n=s.tries_left))
        if s.done_before is not None and s.error is None:
            notes.append(tr(t.PENSION_ALREADY))
        self.note.setText("；".join(notes))
        self.note.setVisible(bool(notes))
        self.cadre.setEnabled(not s.busy)
        self.back.show()
        can_face = s.face_on_file and ready and not s.busy
        caption = tr(text.TRY_AGAIN) if s.error is not None else tr(t.PENSION_START)
        self.set_primary(caption, self._start, enabled=can_face)


class PensionDoneScreen(PensionScreen):
    """认证成功，明年X月前再来; the county's own words once they have come back."""

    name = "pension_done"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.saved = label("", "success")
        self.answer = label("", "body", data=True)  # the county's words, as it sent them
        self.how = label("", "small")
        for w in (self.saved, self.answer, self.how):
            self.content.addWidget(w)
        self.side_box.show()
        self.side.addWidget(IconView(icons.tick, window.metrics.px(240)))
        self.home.hide()
        self._poll = QTimer(self)
        self._poll.setInterval(ANSWER_POLL_MS)
        self._poll.timeout.connect(self._refresh)

    def enter(self) -> None:
        super().enter()
        self._poll.start()

    def leave(self) -> None:
        self._poll.stop()

    def _refresh(self) -> None:
        if self.vm is not None:
            self.vm.refresh_answer()

    def render_state(self, vm: PensionViewModel) -> None:
        s = vm.state
        self.set_progress(3, 3)
        self.set_text(tr(t.PENSION_DONE_TITLE).format(month=s.due_month))
        if s.answer:
            self.saved.setText(tr(t.PENSION_DONE_ANSWER))
            self.answer.setText(s.answer)
            self._poll.stop()
        else:
            self.saved.setText(tr(t.PENSION_DONE_BODY))
            self.answer.setText("")
        self.answer.setVisible(bool(s.answer))
        cadre = s.receipt is not None and s.receipt.check == "cadre"
        self.how.setText(tr(t.PENSION_DONE_CADRE) if cadre else "")
        self.how.setVisible(cadre)
        self.set_primary(tr(text.FINISH), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.saved.text()}"


class PensionFailedScreen(PensionScreen):
    """The tries ran out: what happened, and the cadre's check in person as the way on."""

    name = "pension_failed"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error.hide()
        self.side_box.show()
        self.side.addWidget(IconView(icons.warning_sign, window.metrics.px(200)))

    def render_state(self, vm: PensionViewModel) -> None:
        self.error.hide()
        self.set_progress(None)
        err = vm.state.error
        self.set_text(tr(t.PENSION_FAILED_TITLE), message(err) if err is not None else "")
        self.set_primary(tr(t.PENSION_CADRE), vm.to_cadre)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"


class PensionCadreScreen(PensionScreen):
    """A cadre who saw the villager in person confirms with their own PIN; without a cadre here, how to get one."""

    name = "pension_cadre"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back_to_face()

    def render_state(self, vm: PensionViewModel) -> None:
        here = vm.cadre_here
        self.set_text(tr(t.PENSION_CADRE_TITLE), tr(t.PENSION_CADRE_BODY) if here else tr(t.PENSION_NO_CADRE_BODY))
        self.side_box.setVisible(here)
        self.back.show()
        self.home.setVisible(here)  # without a cadre the primary is 回首页 itself
        if here:
            self.pad.offer(tr(t.PENSION_CADRE_OK), tr(text.WORKING), vm.state.busy, vm.submit_cadre_pin)
        else:
            self.keypad.refresh_view()
            self.set_primary(tr(text.HOME), lambda: self.window_.go_home(ask=False))

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"
