"""政务服务 (零跑腿): drives `kiosk.flows.service.ServiceFlow` for the screens, one frozen `ServicesState`.

list (four a page) → the pre-filled part of the form → each typed field in turn (big choices, 是/否, or the
numeric keypad; a required one left empty is named) → each material (page photo with the quality verdict,
retake) → the preview of what the office will see → PIN → receipt; and 我的办事 with each request's history.
A face-check service (the pension check) is handed to the window's pension check instead. Database work runs on
the store lane, the camera grab on the device lane. Qt-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from kiosk.errors import KioskError, UserFacingError
from kiosk.flows.service import FieldView, ServiceDetails, ServiceFlow, ServicePreview
from kiosk.ports import DocumentHint, Frame
from kiosk.services.catalog import Answer, FieldType, FormField, Service
from kiosk.services.status import ServiceRequest
from kiosk.services.submit import ServiceReceipt
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry

logger = logging.getLogger(__name__)

PAGE_SIZE = 4  # at most four choices on a screen (UI.md)
CHOICES_PAGE = 3  # a choice field: three choices and 更多选项
ENTRY_MAX = 30  # what the field keypad takes at most (the catalog's own limits are checked by the flow)
TOTAL_STEPS = 5  # 填表 · 材料 · 确认 · 密码 · 完成


class ServicesPhase(StrEnum):
    LIST = "list"
    FORM = "form"  # the pre-filled fields, shown and not editable
    FIELD = "field"  # one typed field
    MATERIALS = "materials"
    REVIEW = "review"
    PIN = "pin"
    DONE = "done"
    MINE = "mine"
    REQUEST = "request"
    OUTCOME = "outcome"  # it cannot go on (no catalog, a credential missing): what to do instead
    PENSION = "pension"  # a face check: the window's pension check takes over
    ENDED = "ended"


STEP_OF = {
    ServicesPhase.FORM: 1,
    ServicesPhase.FIELD: 1,
    ServicesPhase.MATERIALS: 2,
    ServicesPhase.REVIEW: 3,
    ServicesPhase.PIN: 4,
    ServicesPhase.DONE: 5,
}


@dataclass(frozen=True, slots=True)
class ServicesState:
    phase: ServicesPhase = ServicesPhase.LIST
    busy: bool = False
    loaded: bool = False
    error: UserFacingError | None = None
    offered: tuple[Service, ...] = ()
    page: int = 0
    details: ServiceDetails | None = None
    prefilled: tuple[FieldView, ...] = ()
    typed: tuple[FormField, ...] = ()
    field_index: int = 0
    answers: tuple[tuple[str, Answer], ...] = ()
    entry: str = ""  # what the field keypad holds for the current field
    choice_page: int = 0
    material_index: int = 0
    materials: tuple[tuple[str, str], ...] = ()  # (material id, name)
    verdict: DocumentHint | None = None  # the last page photo's verdict; None until one was taken
    preview: ServicePreview | None = None
    receipt: ServiceReceipt | None = None
    requests: tuple[ServiceRequest, ...] = ()
    request: ServiceRequest | None = None

    @property
    def step(self) -> int | None:
        return STEP_OF.get(self.phase)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.offered) // PAGE_SIZE))

    @property
    def shown(self) -> tuple[Service, ...]:
        return self.offered[self.page * PAGE_SIZE : (self.page + 1) * PAGE_SIZE]

    @property
    def field(self) -> FormField | None:
        return self.typed[self.field_index] if 0 <= self.field_index < len(self.typed) else None

    def answer(self, field_id: str) -> Answer | None:
        return dict(self.answers).get(field_id)

    @property
    def choices_shown(self) -> tuple[tuple[str, str], ...]:
        """(value, label) of the current choice field's page of choices."""
        f = self.field
        if f is None or f.type is not FieldType.CHOICE:
            return ()
        start = self.choice_page * CHOICES_PAGE
        return tuple((c.value, c.label.zh) for c in f.choices[start : start + CHOICES_PAGE])

    @property
    def more_choices(self) -> bool:
        f = self.field
        return f is not None and f.type is FieldType.CHOICE and len(f.choices) > CHOICES_PAGE

    @property
    def material(self) -> tuple[str, str] | None:
        return self.materials[self.material_index] if 0 <= self.material_index < len(self.materials) else None


def _words(exc: Exception, what: str) -> UserFacingError:
    if isinstance(exc, UserFacingError):
        return exc
    logger.error("%s failed unexpectedly: %s", what, type(exc).__name__)
    return UserFacingError("store.failed")


def keyed_field(f: FormField) -> bool:
    """Typed on the field keypad (an integer or a text), rather than chosen."""
    return f.type in (FieldType.INTEGER, FieldType.TEXT, FieldType.DATE)


def keypad_keys(f: FormField) -> str:
    """The keys a field's keypad offers: digits, and X for a text (ID-like numbers end in X), - for a date."""
    if f.type is FieldType.TEXT:
        return "1234567890X"
    if f.type is FieldType.DATE:
        return "1234567890-"
    return "1234567890"


class ServicesViewModel(Observable):
    def __init__(
        self,
        make_flow: Callable[[], ServiceFlow],
        grab: Callable[[], Frame],
        hw: Run,
        store: Run,
        to_pension: Callable[[], None],
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._make = make_flow
        self._flow = make_flow()
        self._grab = grab
        self._hw, self._store = hw, store
        self._to_pension = to_pension
        self.pin = PinEntry(shuffle_keypad)
        self.state = ServicesState()
        self._ended = False

    @property
    def holds_work(self) -> bool:
        """Work the villager would lose by going home: a form begun and not yet sent."""
        return self.state.phase in (
            ServicesPhase.FORM,
            ServicesPhase.FIELD,
            ServicesPhase.MATERIALS,
            ServicesPhase.REVIEW,
            ServicesPhase.PIN,
        )

    def _set(self, **changes: Any) -> None:
        if self._ended:
            return
        self.state = replace(self.state, **changes)
        self._changed()

    def _work(self, work: Callable[[], Any], done: Callable[[Any], None], lane: Run | None = None) -> None:
        self._set(busy=True, error=None)

        def ok(result: Any) -> None:
            if not self._ended:
                done(result)

        def err(exc: Exception) -> None:
            if not self._ended:
                self._set(busy=False, error=_words(exc, "a service step"))

        (lane or self._store)(work, ok, err)

    # --- the list ------------------------------------------------------------------------------------

    def start(self) -> None:
        def got(offered: list[Service]) -> None:
            self._set(busy=False, loaded=True, offered=tuple(offered), page=0, phase=ServicesPhase.LIST)

        def failed(exc: Exception) -> None:
            self._set(busy=False, loaded=True, phase=ServicesPhase.OUTCOME, error=_words(exc, "the catalog"))

        self._set(busy=True, phase=ServicesPhase.LIST)
        self._store(self._flow.offered, got, failed)

    def turn(self, step: int) -> None:
        page = self.state.page + step
        if 0 <= page < self.state.pages:
            self._set(page=page, error=None)

    def choose(self, service_id: str) -> None:
        if self.state.busy:
            return
        self._work(lambda: self._choose(service_id), self._chose)

    def _choose(self, service_id: str) -> tuple[ServiceDetails, tuple[FieldView, ...]]:
        details = self._flow.choose(service_id)
        if details.face_check:
            return details, ()
        return details, self._flow.start_form()

    def _chose(self, result: tuple[ServiceDetails, tuple[FieldView, ...]]) -> None:
        details, form = result
        if details.face_check:
            self._set(busy=False, details=details, phase=ServicesPhase.PENSION)
            self._to_pension()
            return
        self._set(
            busy=False,
            details=details,
            phase=ServicesPhase.FORM,
            prefilled=tuple(v for v in form if v.prefilled),
            typed=tuple(v.field for v in form if not v.prefilled),
            answers=(),
            field_index=0,
            materials=tuple((m.id, m.name) for m in self._flow.service().materials),
        )

    def refused(self, error: UserFacingError) -> None:
        """The pension check could not start (not enrolled here): the list again, with the reason."""
        self._set(phase=ServicesPhase.LIST, busy=False, error=error)

    # --- the typed fields ---------------------------------------------------------------------------

    def form_next(self) -> None:
        """From the pre-filled part to the first typed field (or straight on when there is none)."""
        if not self.state.typed:
            self._fill()
            return
        self._open_field(0)

    def _open_field(self, index: int) -> None:
        f = self.state.typed[index]
        value = self.state.answer(f.id)
        entry = "" if value is None or not keyed_field(f) else str(value)
        self._set(phase=ServicesPhase.FIELD, field_index=index, entry=entry, choice_page=0, error=None)

    def pick(self, value: Answer) -> None:
        """A big choice (or 是/否) for the current field."""
        f = self.state.field
        if f is None:
            return
        try:
            kept = f.check(value)
        except KioskError as exc:
            self._set(error=_words(exc, "a choice"))
            return
        self._set(answers=self._with(f.id, kept), error=None)

    def more(self) -> None:
        f = self.state.field
        if f is not None and f.type is FieldType.CHOICE:
            pages = -(-len(f.choices) // CHOICES_PAGE)
            self._set(choice_page=(self.state.choice_page + 1) % pages)

    def key(self, char: str) -> None:
        f = self.state.field
        if f is None or char not in keypad_keys(f) or len(self.state.entry) >= ENTRY_MAX:
            return
        self._set(entry=self.state.entry + char, error=None)

    def delete(self) -> None:
        self._set(entry=self.state.entry[:-1])

    def clear(self) -> None:
        self._set(entry="")

    def _with(self, field_id: str, value: Answer | None) -> tuple[tuple[str, Answer], ...]:
        kept = [(k, v) for k, v in self.state.answers if k != field_id]
        if value is not None:
            kept.append((field_id, value))
        return tuple(kept)

    def field_next(self) -> None:
        """Check the current field (a required one empty is named), then the next field or the materials."""
        f = self.state.field
        if f is None or self.state.busy:
            return
        answers = self.state.answers
        if keyed_field(f):
            raw: object = self.state.entry.strip()
            if raw and f.type is FieldType.INTEGER:
                raw = int(str(raw))  # the keypad types digits only
            try:
                answers = self._with(f.id, f.check(raw) if raw != "" else None)
            except KioskError as exc:
                self._set(error=_words(exc, "a field"))
                return
        if dict(answers).get(f.id) is None and f.required:
            self._set(answers=answers, error=UserFacingError("service.field.required", label=f.label.zh))
            return
        self._set(answers=answers)
        if self.state.field_index + 1 < len(self.state.typed):
            self._open_field(self.state.field_index + 1)
        else:
            self._fill()

    def field_back(self) -> None:
        if self.state.phase is ServicesPhase.FIELD and self.state.field_index > 0:
            self._open_field(self.state.field_index - 1)
        else:
            self._set(phase=ServicesPhase.FORM, error=None)

    def _fill(self) -> None:
        answers = dict(self.state.answers)

        def filled(_none: None) -> None:
            self._set(busy=False, material_index=0, verdict=None)
            if self.state.materials:
                self._set(phase=ServicesPhase.MATERIALS)
            else:
                self.review()

        self._work(lambda: self._flow.fill(answers), filled)

    # --- materials ---------------------------------------------------------------------------------

    def shoot(self) -> None:
        material = self.state.material
        if material is None or self.state.busy:
            return
        self._set(verdict=None)
        self._work(self._grab, lambda frame: self._check(material[0], frame), self._hw)

    def _check(self, material_id: str, frame: Frame) -> None:
        def checked(hint: DocumentHint) -> None:
            self._set(busy=False, verdict=hint)

        self._work(lambda: self._flow.photograph(material_id, frame).hint, checked)

    def retake(self) -> None:
        self._set(verdict=None, error=None)

    def material_next(self) -> None:
        """After a good photo: the next material, or the preview."""
        if self.state.verdict is not DocumentHint.OK:
            return
        if self.state.material_index + 1 < len(self.state.materials):
            self._set(material_index=self.state.material_index + 1, verdict=None, error=None)
        else:
            self.review()

    # --- review, PIN, receipt ------------------------------------------------------------------------

    def review(self) -> None:
        self._work(self._flow.review, lambda p: self._set(busy=False, phase=ServicesPhase.REVIEW, preview=p))

    def to_pin(self) -> None:
        if self.state.phase is ServicesPhase.REVIEW:
            self.pin.clear()
            self._set(phase=ServicesPhase.PIN, error=None)

    def submit_pin(self) -> None:
        if self.state.busy or not self.pin.state.complete:
            return
        pin = self.pin.take()

        def sent(receipt: ServiceReceipt) -> None:
            self._set(busy=False, phase=ServicesPhase.DONE, receipt=receipt)

        self._work(lambda: self._flow.confirm(pin), sent)

    # --- status and history ------------------------------------------------------------------------

    def open_mine(self) -> None:
        def got(found: list[ServiceRequest]) -> None:
            self._set(busy=False, phase=ServicesPhase.MINE, requests=tuple(found), page=0, request=None)

        self._work(self._flow.requests, got)

    def turn_mine(self, step: int) -> None:
        pages = max(1, -(-len(self.state.requests) // PAGE_SIZE))
        page = self.state.page + step
        if 0 <= page < pages:
            self._set(page=page)

    def open_request(self, number: str) -> None:
        for r in self.state.requests:
            if r.number == number:
                self._set(phase=ServicesPhase.REQUEST, request=r, error=None)

    def back_to_list(self) -> None:
        """返回 to the list, or 办别的事: a new request starts from it (the saved draft is overwritten by it)."""
        self._flow = self._make()
        self._set(phase=ServicesPhase.LIST, error=None, page=0, request=None, details=None, verdict=None)

    def cancel(self) -> None:
        self.pin.clear()
        if not self._ended:
            flow = self._flow
            self._store(flow.interrupt, lambda _r: None, lambda _e: None)
        self._ended = True
        self.state = ServicesState(phase=ServicesPhase.ENDED)
        self._changed()
