"""The touchscreen's view-models and services without Qt: idle timer, keypad, card gate, enrolment, status."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import numpy as np
import pytest

from drivers.fake.camera import FakeCamera
from drivers.fake.card import FakeCardReader
from drivers.fake.face import FakeFaceAnalyser
from kiosk.core import Core
from kiosk.errors import DeviceError
from kiosk.flows.enrolment import EnrolmentDevices, EnrolmentFlow
from kiosk.ports import DeviceTimeout, DeviceUnavailable
from kiosk.store import outbox
from kiosk.store.outbox import OutboxState
from tests.helpers import make_card
from ui import theme
from ui.lazy import LazyFaceAnalyser
from ui.services import CardGate
from ui.viewmodels.base import run_now
from ui.viewmodels.enrolment import EnrolmentViewModel, EnrolPhase
from ui.viewmodels.idle import IdlePhase, IdleWatch
from ui.viewmodels.pin import DIGITS, PinEntry
from ui.viewmodels.status import SwitchLockSource, outbox_state, read_kiosk_status

PIN = "382917"
T = TypeVar("T")


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_view_models_import_no_qt() -> None:
    code = (
        "import sys, ui.viewmodels.enrolment, ui.viewmodels.signin, ui.viewmodels.home, ui.viewmodels.idle, "
        "ui.viewmodels.status, ui.viewmodels.villager, ui.services, ui.theme; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_idle_watch_warns_counts_down_and_expires() -> None:
    clock = Clock()
    idle = IdleWatch(clock, 60, 20)
    idle.arm(personal=True)
    clock.t += 59
    assert idle.tick().phase is IdlePhase.WATCHING
    clock.t += 2
    state = idle.tick()
    assert (state.phase, state.seconds_left) == (IdlePhase.WARNING, 19)
    idle.touched()  # 继续
    assert idle.tick().phase is IdlePhase.WATCHING
    clock.t += 80
    assert idle.tick().phase is IdlePhase.EXPIRED
    idle.touched()  # too late: expiry stands until a screen re-arms it
    assert idle.tick().phase is IdlePhase.EXPIRED
    idle.arm(personal=False)
    clock.t += 10_000
    assert idle.tick().phase is IdlePhase.OFF


def test_pin_entry_holds_six_digits_and_wipes_on_take() -> None:
    entry = PinEntry()
    for d in PIN + "99":
        entry.press(d)
    assert entry.state.entered == 6 and entry.state.complete
    entry.delete()
    assert entry.state.entered == 5
    entry.press("7")
    assert entry.take() == PIN[:5] + "7"
    assert entry.state.entered == 0
    with pytest.raises(ValueError, match="digits"):
        entry.press("a")


def test_a_shuffled_keypad_still_has_every_digit_once_and_moves_after_use() -> None:
    entry = PinEntry(shuffle=True)
    layouts = set()
    for _ in range(20):
        layout = entry.state.layout
        assert sorted(layout) == sorted(DIGITS)
        layouts.add(layout)
        entry.take()
    assert len(layouts) > 1
    assert PinEntry().state.layout == DIGITS


def test_the_card_gate_ends_a_stale_wait_and_keeps_its_card_for_the_next_session() -> None:
    reader = FakeCardReader()
    gate = CardGate(reader, slice_s=0.02)
    stale = gate.session()
    done = threading.Event()
    errors: list[Exception] = []

    def wait() -> None:
        try:
            stale.read_card(30)
        except DeviceTimeout as exc:
            errors.append(exc)
        done.set()

    threading.Thread(target=wait).start()
    fresh = gate.session()  # a new villager: the old wait ends within a slice
    assert done.wait(5)
    assert errors
    reader.place(make_card())
    assert fresh.read_card(5).name == "张秀兰"
    # A card read in the very slice its session ended goes to the next session, not to the bin.
    gate.keep(make_card(name="李建国"))
    assert gate.session().read_card(0.1).name == "李建国"


@pytest.mark.logs_errors
def test_the_lazy_face_analyser_waits_for_its_load_and_reports_a_failed_one() -> None:
    ready = threading.Event()

    def slow() -> FakeFaceAnalyser:
        ready.wait(5)
        return FakeFaceAnalyser()

    lazy = LazyFaceAnalyser(slow)
    lazy.start()
    assert not lazy.ready
    ready.set()
    assert lazy.match(b"\0" * 512, b"\0" * 512).method == "fake"
    assert lazy.ready

    def broken() -> FakeFaceAnalyser:
        raise DeviceUnavailable("no models")

    failed = LazyFaceAnalyser(broken)
    with pytest.raises(DeviceError):
        failed.match(b"", b"")


@pytest.fixture
def camera() -> Iterator[FakeCamera]:
    cam = FakeCamera([np.zeros((48, 64, 3), dtype=np.uint8)], fps=200)
    yield cam
    cam.close()


def _vm(core: Core, camera: FakeCamera, reader: FakeCardReader) -> EnrolmentViewModel:
    devices = EnrolmentDevices(reader, camera, FakeFaceAnalyser())
    flow = EnrolmentFlow(core.registry, devices, core.time, core.settings.enrolment)
    return EnrolmentViewModel(flow, run_now, run_now, lambda tx: outbox_state(core.db, tx))


def _chain(vm: EnrolmentViewModel) -> OutboxState | None:
    return vm.state.chain  # read fresh: mypy keeps the narrowing of an earlier assert


def test_enrolment_view_model_walks_the_flow_and_follows_the_transaction(core: Core, camera: FakeCamera) -> None:
    reader = FakeCardReader([make_card()])
    vm = _vm(core, camera, reader)
    phases: list[EnrolPhase] = []
    vm.subscribe(lambda: phases.append(vm.state.phase))
    vm.read_card()
    assert vm.state.summary is not None and vm.state.summary.name == "张秀兰"
    vm.confirm(True)
    vm.consent(True)
    hints: list[object] = []

    def post(fn: Callable[[], None]) -> None:
        fn()
        hints.append(vm.state.hint)

    vm.capture_face(post)
    assert hints
    for _ in range(2):
        for d in PIN:
            vm.pin.press(d)
        vm.submit_pin()
    assert vm.state.phase is EnrolPhase.DONE
    assert vm.state.chain is OutboxState.QUEUED
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] is not p] == [
        EnrolPhase.CARD, EnrolPhase.CONFIRM, EnrolPhase.CONSENT, EnrolPhase.FACE, EnrolPhase.PIN,
        EnrolPhase.PIN_CONFIRM, EnrolPhase.DONE,
    ]  # fmt: skip
    with core.db.transaction() as conn:
        outbox.mark_committed(conn, str(vm.state.tx_id), b"receipt", 1)
    vm.refresh_chain()
    assert _chain(vm) is OutboxState.COMMITTED


def test_cancel_wipes_and_late_results_are_dropped(core: Core, camera: FakeCamera) -> None:
    reader = FakeCardReader([make_card()])
    later: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]]] = []

    def deferred(work: Callable[[], T], ok: Callable[[T], None], err: Callable[[Exception], None]) -> None:
        later.append((work, ok, err))

    devices = EnrolmentDevices(reader, camera, FakeFaceAnalyser())
    flow = EnrolmentFlow(core.registry, devices, core.time, core.settings.enrolment)
    vm = EnrolmentViewModel(flow, deferred, run_now, lambda tx: None)
    vm.read_card()
    vm.cancel()  # the villager went home while the card was being read
    [(work, ok, err)] = later
    run_now(work, ok, err)
    assert vm.state.phase is EnrolPhase.CANCELLED
    assert vm.state.summary is None
    assert outbox.depth(core.db.conn) == 0


def test_kiosk_status_reads_the_link_the_outbox_and_the_lock(core: Core) -> None:
    lock = SwitchLockSource()
    status = read_kiosk_status(core.db, lock)
    assert (status.online, status.pending, status.locked) == (False, 0, False)
    with core.db.transaction() as conn:
        conn.execute("UPDATE sync_status SET online = 1 WHERE id = 1")  # said long ago: the daemon is gone
    assert not read_kiosk_status(core.db, lock).online
    with core.db.transaction() as conn:
        conn.execute("UPDATE sync_status SET online = 1, updated_ms = ? WHERE id = 1", (int(time.time() * 1000),))
    lock.locked = True
    status = read_kiosk_status(core.db, lock)
    assert (status.online, status.locked) == (True, True)


def test_every_theme_text_pair_meets_7_to_1_and_buttons_meet_15_mm() -> None:
    for what, fg, bg in theme.TEXT_PAIRS:
        assert theme.contrast_ratio(fg, bg) >= 7.0, what
    assert round(theme.contrast_ratio("#FFFFFF", "#0842A0"), 1) == 9.1  # as UI.md says
    assert round(theme.contrast_ratio("#1A1A1A", "#FFFFFF"), 1) == 17.4
    for dpi in (96.0, 102.0, 160.0, 220.0):
        m = theme.Metrics(dpi)
        assert m.button_min_px() >= 15 * dpi / 25.4
        assert m.px(theme.PRIMARY_H_PX) >= m.button_min_px()
        assert m.px(theme.SMALL_PX) * 25.4 / dpi >= 4.8  # ADA §707: characters ≥ 4.8 mm (cap height is less)


def test_the_lock_is_read_from_what_lxt_sync_stored(core: Core) -> None:
    from kiosk.store.deliveries import LOCKED_KEY, set_state
    from ui.viewmodels.status import DbLockSource

    lock = DbLockSource(core.db)
    assert not lock.is_locked()
    with core.db.transaction() as conn:
        set_state(conn, LOCKED_KEY, '{"locked": true, "reason": "maintenance"}', 1)
    assert lock.is_locked()
    assert read_kiosk_status(core.db, lock).locked
    with core.db.transaction() as conn:
        set_state(conn, LOCKED_KEY, '{"locked": false}', 2)
    assert not lock.is_locked()
