"""The technician's screens: the entry (show the pass to the camera), the one-look summary, and three detail
screens (devices with self-tests; link and queue; system with the export). All render `window.maintenance`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QWidget

from kiosk.diagnostics import Check, CheckKey, Level
from kiosk.errors import DeviceError
from kiosk.ports import Camera
from ui import icons, text, theme
from ui import text_diag as t
from ui.screen import Screen
from ui.text import tr
from ui.viewmodels.diagnostics import (
    SUMMARY_ORDER,
    DiagnosticsViewModel,
    DiagTest,
    EntryPhase,
    describe,
    refusal_words,
)
from ui.widgets import ErrorLine, IconView, TapButton, label

if TYPE_CHECKING:
    from ui.maintenance import Maintenance
    from ui.window import KioskWindow


def cross(p: QPainter, s: float) -> None:
    """故障: a red circle with a cross (the word beside it says it too)."""
    icons._pen(p, s, theme.ERROR, width=0.1)
    p.drawEllipse(QPointF(s * 0.5, s * 0.5), s * 0.38, s * 0.38)
    p.drawLine(QPointF(s * 0.34, s * 0.34), QPointF(s * 0.66, s * 0.66))
    p.drawLine(QPointF(s * 0.66, s * 0.34), QPointF(s * 0.34, s * 0.66))


LEVEL_LOOK: dict[Level, tuple[icons.Draw, str]] = {
    Level.OK: (icons.tick, "success"),
    Level.WARN: (icons.warning_sign, "warning"),
    Level.FAULT: (cross, "error"),
}


def check_words(check: Check) -> str:
    (source, params), age = describe(check)
    if age is not None:
        params = {**params, "age": tr(age[0]).format(**age[1])}
    return tr(source).format(**params)


class CheckRow(QWidget):
    """One check: the verdict as an icon and a word (never colour alone), the check's name, what it found."""

    def __init__(self, key: CheckKey, metrics: theme.Metrics) -> None:
        super().__init__()
        self.key = key
        self._metrics = metrics
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(metrics.px(12))
        self.icon = IconView(icons.tick, metrics.px(40))
        self.word = label("", "warning")
        self.word.setWordWrap(False)
        self.name = label(tr(t.CHECK[key.value]), "body")
        self.name.setWordWrap(False)
        self.detail = label("", "small")
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.word, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.name, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.detail, 1)
        self.show_check(None)

    def show_check(self, check: Check | None) -> None:
        if check is None:
            self.icon.setPixmap(icons.pixmap(icons.progress, self._metrics.px(40)))
            self.word.setText(tr(t.CHECKING))
            self.word.setProperty("role", "small")
            self.detail.setText(tr(t.NOT_CHECKED))
        else:
            draw, role = LEVEL_LOOK[check.level]
            self.icon.setPixmap(icons.pixmap(draw, self._metrics.px(40)))
            self.word.setText(tr(t.LEVEL[check.level.value]))
            self.word.setProperty("role", role)
            self.detail.setText(check_words(check))
        self.word.style().unpolish(self.word)
        self.word.style().polish(self.word)
        self.setAccessibleName(f"{self.name.text()} {self.word.text()} {self.detail.text()}")


class PlainPreview(QWidget):
    """The live camera picture without the face guide (the technician aims a QR code or checks the picture)."""

    def __init__(self, size: QSize) -> None:
        super().__init__()
        self.setFixedSize(size)
        self._camera: Camera | None = None
        self._image: QImage | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.pull)
        self.frames_shown = 0

    def start(self, camera: Camera) -> None:
        self._camera = camera
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._camera = None

    def pull(self) -> None:
        if self._camera is None:
            return
        try:
            frame = self._camera.latest_frame(0.0)  # never waits: the GUI thread does not block on the camera
        except DeviceError:
            return
        image = QImage(frame.pixels, frame.width, frame.height, frame.width * 3, QImage.Format.Format_BGR888)
        self._image = image.copy()
        self.frames_shown += 1
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 — Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#2B2B2B"))
        if self._image is not None:
            scaled = self._image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            p.drawImage((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled)
        p.end()


class TechScreen(Screen):
    """The frame of the technician's screens: the #333 banner, 退出维护 instead of 回首页, no 求助."""

    villager = False
    personal = True  # the idle timeout ends maintenance mode like a villager's session

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.banner.setProperty("role", "banner-tech")
        self.banner.setContentsMargins(
            window.metrics.px(32), window.metrics.px(8), window.metrics.px(32), window.metrics.px(8)
        )
        self.home.set_caption(tr(t.EXIT))

    @property
    def maintenance(self) -> Maintenance:
        return self.window_.maintenance

    def on_home(self) -> None:
        self.window_.go_home(ask=False)  # end_session leaves maintenance mode, audited


class TechEntryScreen(TechScreen):
    name = "tech_entry"

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.home.set_caption(tr(text.HOME))  # not in maintenance mode yet: just the way home
        self.set_text(tr(t.ENTRY_TITLE), tr(t.ENTRY_BODY))
        self.state_line = label(tr(t.ENTRY_LOOKING), "small")
        self.error = ErrorLine(m)
        self.content.addWidget(self.state_line)
        self.content.addWidget(self.error)
        self.preview = PlainPreview(QSize(m.px(560), m.px(420)))
        self.side_box.show()
        self.side.addWidget(self.preview)
        self._vm: object = None

    def enter(self) -> None:
        entry = self.maintenance.entry
        if entry is None:
            return
        if self._vm is not entry:
            entry.subscribe(self.refresh_view)
            self._vm = entry
        self.refresh_view()
        self.preview.start(self.window_.services.camera)
        entry.start()

    def leave(self) -> None:
        self.preview.stop()
        entry = self.maintenance.entry
        if entry is not None:
            entry.stop()

    def refresh_view(self) -> None:
        entry = self.maintenance.entry
        if entry is None:
            return
        state = entry.state
        checking = state.phase is EntryPhase.CHECKING
        self.state_line.setText(tr(t.ENTRY_CHECKING if checking else t.ENTRY_LOOKING))
        words = refusal_words(state.refused)
        self.error.set_error(tr(words) if words else "")
        if words and not checking:
            self.window_.speak(tr(words))


class DiagScreen(TechScreen):
    """A diagnostics screen: renders `maintenance.diag`, re-rendering on every change."""

    keys: ClassVar[tuple[CheckKey, ...]] = ()
    columns: ClassVar[int] = 1

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.rows: dict[CheckKey, CheckRow] = {}
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(window.metrics.px(48))
        self.grid.setVerticalSpacing(window.metrics.px(8))
        for key in self.keys:
            self.rows[key] = CheckRow(key, window.metrics)
        self._columns = 0
        self._lay_out(self.columns)
        self.content.addWidget(self.grid_box)
        self._vm: DiagnosticsViewModel | None = None

    def _lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        rows = [self.rows[k] for k in self.keys]
        per_column = -(-len(rows) // columns)
        for row in rows:
            self.grid.removeWidget(row)
        for i, row in enumerate(rows):
            self.grid.addWidget(row, i % per_column, i // per_column)
        self.grid.invalidate()
        self.grid_box.updateGeometry()

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        self._lay_out(1 if portrait else self.columns)

    def enter(self) -> None:
        vm = self.maintenance.diag
        tech = self.maintenance.tech
        if tech is not None:
            self.banner.setText(tr(t.BANNER).format(name=tech.name))
            self.banner.show()
        if vm is not None and vm is not self._vm:
            vm.subscribe(self.refresh_view)
            self._vm = vm
        self.refresh_view()

    def refresh_view(self) -> None:
        vm = self.maintenance.diag
        if vm is None:
            return
        for key, row in self.rows.items():
            row.show_check(vm.state.checks.get(key))
        self.render_state(vm)

    def render_state(self, vm: DiagnosticsViewModel) -> None:
        """Each screen renders the rest of its part."""

    def go_summary(self) -> None:
        self.window_.go("diag_summary")


class DiagSummaryScreen(DiagScreen):
    name = "diag_summary"
    keys = SUMMARY_ORDER
    columns = 2

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        line = QHBoxLayout()
        line.setSpacing(window.metrics.px(theme.GAP_PX))
        for caption, target in ((t.GO_DEVICES, "diag_devices"), (t.GO_LINK, "diag_link"), (t.GO_SYSTEM, "diag_system")):
            line.addWidget(TapButton(tr(caption), self._goer(target)))
        line.addStretch(1)
        self.content.addLayout(line)

    def _goer(self, target: str) -> Callable[[], None]:
        return lambda: self.window_.go(target)

    def render_state(self, vm: DiagnosticsViewModel) -> None:
        faults, warnings = vm.state.counts()
        busy = DiagTest.REFRESH_STORE in vm.state.running or DiagTest.REFRESH_DEVICES in vm.state.running
        if busy:
            verdict = tr(t.CHECKING)
        elif faults or warnings:
            verdict = tr(t.SUMMARY_SOME).format(faults=faults, warnings=warnings)
        else:
            verdict = tr(t.SUMMARY_ALL_OK)
        self.set_text(tr(t.SUMMARY_TITLE), verdict)
        self.set_primary(tr(t.RECHECK), vm.refresh, enabled=not busy)

    def prompt(self) -> str:
        return f"{self.title.text()}。{self.body.text()}"


class DiagDetailScreen(DiagScreen):
    """A detail screen: 返回总览 bottom left."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.back.set_caption(tr(t.BACK_TO_SUMMARY))
        self.back.show()

    def on_back(self) -> None:
        self.go_summary()


TEST_CAPTIONS = {
    DiagTest.CARD: t.TEST_CARD,
    DiagTest.CAMERA: t.TEST_CAMERA,
    DiagTest.QR: t.TEST_QR,
    DiagTest.SPEAKER: t.TEST_SPEAKER,
}


class DiagDevicesScreen(DiagDetailScreen):
    name = "diag_devices"
    keys = (CheckKey.CARD_READER, CheckKey.CAMERA, CheckKey.QR, CheckKey.SPEAKER)

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        m = window.metrics
        self.set_text(tr(t.DEVICES_TITLE))
        self.tests: dict[DiagTest, TapButton] = {}
        line = QHBoxLayout()
        line.setSpacing(m.px(theme.GAP_PX))
        for test, caption in TEST_CAPTIONS.items():
            button = TapButton(tr(caption), self._runner(test))
            self.tests[test] = button
            line.addWidget(button)
        line.addStretch(1)
        self.content.addLayout(line)
        self.hint = label("", "small")
        self.content.addWidget(self.hint)
        self.preview = PlainPreview(QSize(m.px(480), m.px(360)))
        self.side_box.show()
        self.side.addWidget(self.preview)

    def _runner(self, test: DiagTest) -> Callable[[], None]:
        def run() -> None:
            vm = self.maintenance.diag
            if vm is not None:
                vm.run_test(test)

        return run

    def enter(self) -> None:
        super().enter()
        self.preview.start(self.window_.services.camera)

    def leave(self) -> None:
        self.preview.stop()

    def render_state(self, vm: DiagnosticsViewModel) -> None:
        captions = {
            DiagTest.CARD: t.TEST_CARD,
            DiagTest.CAMERA: t.TEST_CAMERA,
            DiagTest.QR: t.TEST_QR,
            DiagTest.SPEAKER: t.TEST_SPEAKER,
        }
        for test, button in self.tests.items():
            running = test in vm.state.running
            button.set_caption(tr(t.TEST_RUNNING if running else captions[test]))
            button.setEnabled(not running)
        self.hint.setText(tr(t.CARD_TEST_PROMPT) if DiagTest.CARD in vm.state.running else "")
        self.hint.setVisible(DiagTest.CARD in vm.state.running)


def _when(ms: object) -> str:
    if not isinstance(ms, int):
        return tr(t.NEVER)
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000))


class DiagLinkScreen(DiagDetailScreen):
    name = "diag_link"
    keys = (CheckKey.LINK, CheckKey.CERT, CheckKey.OUTBOX)

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.set_text(tr(t.LINK_TITLE))
        self.last_ack = label("", "small")
        self.broadcasts = label("", "small")
        self.content.addWidget(self.last_ack)
        self.content.addWidget(self.broadcasts)

    def render_state(self, vm: DiagnosticsViewModel) -> None:
        status = vm.state.status
        self.last_ack.setText(tr(t.LAST_ACK).format(when=_when(status.get("last_ack_ms"))))
        versions = vm.state.versions.get("broadcasts") or {}
        listed = "，".join(f"{k} v{v}" for k, v in sorted(versions.items()))
        self.broadcasts.setText(tr(t.BROADCASTS).format(list=listed) if listed else tr(t.NO_BROADCASTS))


class DiagSystemScreen(DiagDetailScreen):
    name = "diag_system"
    keys = (CheckKey.DISK, CheckKey.DATABASE, CheckKey.ERRORS)
    RECENT = 4

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.set_text(tr(t.SYSTEM_TITLE))
        self.versions = label("", "small")
        self.content.addWidget(self.versions)
        self.recent = [label("", "small", data=True) for _ in range(self.RECENT)]
        self.no_errors = label(tr(t.NO_ERRORS), "small")
        self.content.addWidget(self.no_errors)
        for line in self.recent:
            self.content.addWidget(line)
        self.where = label("", "small")
        self.content.addWidget(self.where)
        self.outcome = label("", "success")
        self.failure = ErrorLine(window.metrics)
        self.content.addWidget(self.outcome)
        self.content.addWidget(self.failure)

    def render_state(self, vm: DiagnosticsViewModel) -> None:
        s = vm.state
        self.versions.setText(
            tr(t.VERSIONS).format(software=s.versions.get("software", "?"), schema=s.versions.get("schema", "?"))
        )
        for line, entry in zip(self.recent, [*s.errors[: self.RECENT], *([None] * self.RECENT)], strict=False):
            line.setText(_error_line(entry) if entry is not None else "")
            line.setVisible(entry is not None)
        self.no_errors.setVisible(not s.errors)
        folder = self.window_.settings.diagnostics.export_dir
        self.where.setText(tr(t.EXPORT_WHERE).format(folder=folder))
        self.outcome.setText(tr(t.EXPORT_DONE).format(file=s.exported) if s.exported else "")
        self.outcome.setVisible(s.exported is not None)
        self.failure.set_error(tr(t.EXPORT_FAILED).format(error=s.export_error) if s.export_error else "")
        exporting = DiagTest.EXPORT in s.running
        self.set_primary(tr(t.TEST_RUNNING if exporting else t.EXPORT), vm.export, enabled=not exporting)


def _error_line(entry: object) -> str:
    if not isinstance(entry, dict):
        return ""
    when = time.strftime("%m-%d %H:%M", time.localtime(int(entry.get("ts_ms", 0)) / 1000))
    if "action" in entry:
        return f"{when}  {entry['action']}  {entry.get('reason', '')}"
    return f"{when}  {entry.get('level', '')}  {entry.get('logger', '')}: {entry.get('message', '')}"[:120]
