"""政务服务: the services list → the pre-filled form → each typed field → materials → review → PIN → receipt,
and 我的办事 with each request's history. All render `window.gov.services` (ui/viewmodels/services.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ports import DocumentHint
from kiosk.services.catalog import FieldType
from ui import text
from ui import text_services as t
from ui.screens.pin_parts import PinPad
from ui.screens.proof_parts import ProofScreen, route
from ui.screens.services_parts import FieldKeypad, PagePreview
from ui.text import message, tr
from ui.viewmodels.services import (
    CHOICES_PAGE,
    PAGE_SIZE,
    TOTAL_STEPS,
    ServicesPhase,
    ServicesViewModel,
    keyed_field,
    keypad_keys,
)
from ui.widgets import ErrorLine, QrView, TapButton, label

if TYPE_CHECKING:
    from ui.window import KioskWindow

SCREEN_OF = {
    ServicesPhase.LIST: "svc_list",
    ServicesPhase.FORM: "svc_form",
    ServicesPhase.FIELD: "svc_field",
    ServicesPhase.MATERIALS: "svc_materials",
    ServicesPhase.REVIEW: "svc_review",
    ServicesPhase.PIN: "svc_pin",
    ServicesPhase.DONE: "svc_done",
    ServicesPhase.MINE: "svc_mine",
    ServicesPhase.REQUEST: "svc_request",
    ServicesPhase.OUTCOME: "svc_outcome",
}


def route_services(window: KioskWindow, vm: ServicesViewModel) -> None:
    if window.gov.services is not vm:
        return
    s = vm.state
    err = s.error
    # A new field or material is a new step: its prompt is spoken as if the screen had opened.
    phase = f"{s.phase.value}:{s.field_index}:{s.material_index}:{s.verdict}"
    route(window, SCREEN_OF.get(s.phase), phase, message(err) if err is not None else "")


class ServicesScreen(ProofScreen):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.error = ErrorLine(window.metrics)
        self.content.addWidget(self.error)

    @property
    def vm(self) -> ServicesViewModel | None:
        return self.window_.gov.services

    def refresh_view(self) -> None:
        vm = self.vm
        if vm is None:
            return
        err = vm.state.error
        self.error.set_error(message(err) if err is not None else "")
        self.set_progress(vm.state.step, TOTAL_STEPS)
        self.render_state(vm)

    def render_state(self, vm: ServicesViewModel) -> None:
        """Each screen renders its part of the state."""

    def prompt(self) -> str:
        vm = self.vm
        if vm is not None and vm.state.error is not None:
            return f"{self.title.text()}。{message(vm.state.error)}"
        return super().prompt()


def pager(m: object, prev: TapButton, nxt: TapButton, page: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(prev)
    row.addWidget(page)
    row.addWidget(nxt)
    row.addStretch(1)
    return box


class ServicesListScreen(ServicesScreen):
    name = "svc_list"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.choices = [TapButton("", lambda i=i: self._choose(i)) for i in range(PAGE_SIZE)]  # type: ignore[misc]
        for button in self.choices:
            button.setProperty("data", True)  # the county's service names, as the catalog says them
            self.add_button(button)
        self.prev = TapButton(tr(t.PAGE_PREV), lambda: self._turn(-1))
        self.next = TapButton(tr(t.PAGE_NEXT), lambda: self._turn(1))
        self.page = label("", "small")
        self.pager = pager(window.metrics, self.prev, self.next, self.page)
        self.content.addWidget(self.pager)

    def _choose(self, index: int) -> None:
        vm = self.vm
        if vm is not None and index < len(vm.state.shown):
            vm.choose(vm.state.shown[index].id)

    def _turn(self, step: int) -> None:
        if self.vm is not None:
            self.vm.turn(step)

    def render_state(self, vm: ServicesViewModel) -> None:
        s = vm.state
        self.set_text(tr(t.LIST_TITLE), tr(t.LIST_BODY) if s.loaded else tr(t.LIST_LOADING))
        for i, button in enumerate(self.choices):
            shown = i < len(s.shown)
            button.setVisible(shown)
            if shown:
                button.set_caption(s.shown[i].name.zh)
                button.setEnabled(not s.busy)
        self.pager.setVisible(s.pages > 1)
        self.prev.setEnabled(s.page > 0)
        self.next.setEnabled(s.page + 1 < s.pages)
        self.page.setText(tr(t.PAGE_OF).format(n=s.page + 1, total=s.pages))
        self.set_primary(tr(t.MINE), vm.open_mine, enabled=not s.busy)


class ServicesFormScreen(ServicesScreen):
    """The part of the form the villager's credentials filled: shown, not editable."""

    name = "svc_form"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.service = label("", "body", data=True)
        self.content.addWidget(self.service)
        self.lines = label("", "body", data=True)
        self.content.addWidget(self.lines)

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.back_to_list()

    def render_state(self, vm: ServicesViewModel) -> None:
        s = vm.state
        source = s.prefilled[0].source if s.prefilled else ""
        if s.prefilled:
            self.set_text(tr(t.FORM_TITLE), tr(t.FORM_BODY).format(source=source))
        else:
            self.set_text(tr(t.FORM_TITLE), tr(t.FORM_NOTHING))
        self.service.setText(s.details.service.name.zh if s.details else "")
        self.lines.setText("\n".join(f"{v.field.label.zh}：{v.words}" for v in s.prefilled))
        self.back.show()
        self.set_primary(tr(t.NEXT), vm.form_next, enabled=not s.busy)


class ServicesFieldScreen(ServicesScreen):
    """One typed field: big choices, 是/否, or the field keypad; whether it must be filled, and why."""

    name = "svc_field"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.count = label("", "small")
        self.content.insertWidget(0, self.count)
        self.current = label("", "success")
        self.content.addWidget(self.current)
        self.options = [TapButton("", lambda i=i: self._pick(i)) for i in range(CHOICES_PAGE)]  # type: ignore[misc]
        for button in self.options:
            button.setProperty("data", True)  # the catalog's choices
            self.add_button(button)
        self.yes = TapButton(tr(t.YES), lambda: self._yes_no(True))
        self.no = TapButton(tr(t.NO), lambda: self._yes_no(False))
        self.add_button(self.yes)
        self.add_button(self.no)
        self.more = TapButton(tr(t.MORE_CHOICES), self._more)
        self.add_button(self.more)
        self.keypad = FieldKeypad(m, self._key, self._delete, self._clear)
        self.side_box.show()
        self.side.addWidget(self.keypad)

    def _pick(self, index: int) -> None:
        vm = self.vm
        if vm is not None and index < len(vm.state.choices_shown):
            vm.pick(vm.state.choices_shown[index][0])

    def _yes_no(self, value: bool) -> None:
        if self.vm is not None:
            self.vm.pick(value)

    def _more(self) -> None:
        if self.vm is not None:
            self.vm.more()

    def _key(self, char: str) -> None:
        self.window_.idle.touched()
        if self.vm is not None:
            self.vm.key(char)

    def _delete(self) -> None:
        if self.vm is not None:
            self.vm.delete()

    def _clear(self) -> None:
        if self.vm is not None:
            self.vm.clear()

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.field_back()

    def render_state(self, vm: ServicesViewModel) -> None:
        s = vm.state
        f = s.field
        if f is None:
            return
        self.title.setText(f.label.zh)
        self.title.setProperty("data", True)  # the catalog's label
        hint = ""
        if f.type is FieldType.CHOICE:
            hint = tr(t.FIELD_CHOOSE)
        elif f.type is FieldType.INTEGER:
            hint = tr(t.FIELD_RANGE).format(range=f.range_words()) if f.min is not None or f.max is not None else ""
        elif f.type is FieldType.TEXT and (f.min is not None or f.max is not None):
            hint = tr(t.FIELD_LENGTH).format(low=f.min or 1, high=f.max or 200)
        need = tr(t.FIELD_REQUIRED) if f.required else tr(t.FIELD_OPTIONAL)
        self.body.setText(f"{need}。{hint}" if hint else need)
        self.body.show()
        self.count.setText(tr(t.FIELD_OF).format(n=s.field_index + 1, total=len(s.typed)))
        choices = s.choices_shown
        for i, button in enumerate(self.options):
            button.setVisible(i < len(choices))
            if i < len(choices):
                button.set_caption(choices[i][1])
        self.more.setVisible(s.more_choices)
        self.yes.setVisible(f.type is FieldType.YES_NO)
        self.no.setVisible(f.type is FieldType.YES_NO)
        keyed = keyed_field(f)
        self.side_box.setVisible(keyed)
        value = s.answer(f.id)
        if keyed:
            self.keypad.set_keys(keypad_keys(f))
            self.keypad.show_entry(s.entry)
            self.current.setText(tr(t.FIELD_TYPED).format(value=s.entry) if s.entry else tr(t.FIELD_EMPTY))
        else:
            self.current.setText(tr(t.FIELD_CHOSEN).format(value=f.words(value)) if value is not None else "")
        self.current.setVisible(bool(self.current.text()))
        self.back.show()
        self.set_primary(tr(t.NEXT), vm.field_next, enabled=not s.busy)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"  # the field's name is the county's word, not personal


class ServicesMaterialsScreen(ServicesScreen):
    """A paper material: the live camera with a page guide, 拍照, the verdict, and 重拍 when it is not clear."""

    name = "svc_materials"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.count = label("", "small")
        self.content.insertWidget(0, self.count)
        self.verdict = label("", "success")
        self.content.addWidget(self.verdict)
        self.retake = TapButton(tr(t.RETAKE), self._retake)
        self.add_button(self.retake)
        self.preview = PagePreview(QSize(m.px(560), m.px(420)))
        self.side_box.show()
        self.side.addWidget(self.preview)

    def enter(self) -> None:
        self.window_.services.start_devices()
        self.preview.start(self.window_.services.camera)
        super().enter()

    def leave(self) -> None:
        self.preview.stop()

    def _retake(self) -> None:
        if self.vm is not None:
            self.vm.retake()

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.field_back()

    def render_state(self, vm: ServicesViewModel) -> None:
        s = vm.state
        material = s.material
        self.set_text(tr(t.MATERIALS_TITLE).format(name=material[1] if material else ""), tr(t.MATERIALS_BODY))
        self.count.setText(tr(t.MATERIALS_OF).format(n=s.material_index + 1, total=len(s.materials)))
        verdict = s.verdict
        if s.busy:
            words, role = tr(t.CHECKING_PAGE), "warning"
        elif verdict is None:
            words, role = "", "success"
        else:
            words, role = tr(t.PAGE_HINTS[verdict.value]), "success" if verdict is DocumentHint.OK else "error"
        self.verdict.setText(words)
        self.verdict.setProperty("role", role)
        self.verdict.style().polish(self.verdict)
        self.verdict.setVisible(bool(words))
        self.retake.setVisible(verdict is DocumentHint.OK and not s.busy)
        self.back.show()
        if verdict is DocumentHint.OK:
            self.set_primary(tr(t.NEXT), vm.material_next, enabled=not s.busy)
        else:
            caption = tr(t.SHOOT) if verdict is None else tr(t.RETAKE)
            self.set_primary(caption, vm.shoot, enabled=not s.busy)

    def prompt(self) -> str:
        words = self.verdict.text() if self.verdict.isVisible() else ""
        return f"{words}。{self.title.text()}" if words else f"{self.title.text()}。{self.body.text()}"


class ServicesReviewScreen(ServicesScreen):
    """Exactly what the office will see, in plain words, read aloud in full (UI.md "Voice")."""

    name = "svc_review"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.words = label("", "body", data=True)  # the preview: the county's labels and the villager's answers
        self.content.addWidget(self.words)

    def on_back(self) -> None:
        if self.vm is not None:
            self.vm.field_back()

    def render_state(self, vm: ServicesViewModel) -> None:
        self.set_text(tr(t.REVIEW_TITLE))
        preview = vm.state.preview
        self.words.setText(preview.words() if preview is not None else "")
        self.back.show()
        self.set_primary(tr(t.REVIEW_PIN), vm.to_pin, enabled=not vm.state.busy)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.words.text()}"


class ServicesPinScreen(ServicesScreen):
    name = "svc_pin"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.pad = PinPad(self, lambda: self.vm, self.refresh_view)
        self.keypad = self.pad.keypad

    def render_state(self, vm: ServicesViewModel) -> None:
        office = vm.state.details.office_name if vm.state.details else ""
        self.set_text(tr(t.PIN_TITLE), tr(t.PIN_BODY).format(office=office))
        self.pad.offer(tr(text.OK), tr(t.SENDING), vm.state.busy, vm.submit_pin)

    def prompt(self) -> str:
        return self.title.text()  # never the digits, never how many


class ServicesDoneScreen(ServicesScreen):
    name = "svc_done"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.number = label("", "title", data=True)
        self.content.addWidget(self.number)
        self.mine = TapButton(tr(t.DONE_MINE), self._mine)
        self.add_button(self.mine)
        self.qr = QrView(window.metrics.px(380))
        self.side_box.show()
        self.side.addWidget(self.qr)
        self.home.hide()

    def _mine(self) -> None:
        if self.vm is not None:
            self.vm.open_mine()

    def render_state(self, vm: ServicesViewModel) -> None:
        receipt = vm.state.receipt
        office = receipt.office_name if receipt else ""
        self.set_text(tr(t.DONE_TITLE), tr(t.DONE_BODY).format(office=office))
        if receipt is not None:
            self.number.setText(tr(t.DONE_NUMBER).format(number=receipt.number))
            self.qr.set_payload(receipt.number)
        self.set_primary(tr(text.FINISH), lambda: self.window_.go_home(ask=False))
