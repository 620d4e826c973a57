"""Maintenance mode: the technician's hidden entry on home, the pass at the camera, and the diagnostics' work.

Five taps within three seconds on the link state (top right of home's top bar) open the entry; a valid county
pass (kiosk/techpass.py) opens the diagnostics with the banner "维护模式 · <name>". Leaving — 退出维护, home,
the idle timeout, the county's lock — ends maintenance mode through the window's `end_session`, which is
audited. This module is imported with the window, before the core is open, so the core's modules are imported
inside the functions that use them.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from ui.background import Lane
from ui.viewmodels.taps import TapCounter

if TYPE_CHECKING:
    from kiosk.diagnostics import Check
    from kiosk.techpass import TechnicianGate, TechPass
    from ui.viewmodels.diagnostics import DiagnosticsViewModel, StoreReading, TechEntryViewModel
    from ui.window import KioskWindow

logger = logging.getLogger(__name__)

CAMERA_TEST_S = 3.0
CARD_TEST_S = 15.0


class _LinkTaps(QObject):
    """Watches taps on home's link state (an app-wide filter, so home's own code stays as it is)."""

    def __init__(self, maintenance: Maintenance, now: Callable[[], float]) -> None:
        super().__init__()
        self._maintenance = maintenance
        self._taps = TapCounter(now)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if event.type() is QEvent.Type.MouseButtonRelease:
            window = self._maintenance.window
            home = window.screens.get("home")
            if home is not None and watched is home.link and window.current is home and self._taps.tap():
                self._maintenance.open_entry()
        return False


class Maintenance:
    def __init__(self, window: KioskWindow, now: Callable[[], float] = time.monotonic) -> None:
        from kiosk import logring

        self.window = window
        self.ring = logring.install()  # this process's warnings and errors, for the screen and the bundle
        self.tech: TechPass | None = None
        self.entry: TechEntryViewModel | None = None
        self.diag: DiagnosticsViewModel | None = None
        self._scanner: Any = None
        self._watch: Any = None
        self._taps = _LinkTaps(self, now)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._taps)

    # --- entering and leaving ---------------------------------------------------------------------------

    def open_entry(self) -> None:
        from ui.viewmodels.diagnostics import TechEntryViewModel

        if not getattr(self.window.services, "ready", True):
            return  # the core is still opening: nothing to check a pass against yet
        self.window.end_session()
        bg = self.window.background
        self.entry = TechEntryViewModel(
            self._look, self._admit, bg.runner(Lane.HW), bg.runner(Lane.STORE), self._admitted
        )
        self.window.go("tech_entry")

    def _admitted(self, tech: TechPass) -> None:
        from ui.viewmodels.diagnostics import DiagnosticsViewModel, DiagnosticsWork

        self.entry = None
        self.tech = tech
        bg = self.window.background
        work = DiagnosticsWork(
            self.read_store,
            self.probe_devices,
            self._card_test,
            self._camera_test,
            self._qr_test,
            self._speaker_test,
            self._export,
        )
        self.diag = DiagnosticsViewModel(work, bg.runner(Lane.HW), bg.runner(Lane.STORE))
        self.window.go("diag_summary")
        self.diag.refresh()

    @property
    def active(self) -> bool:
        return self.tech is not None

    def end(self, why: str) -> None:
        """Leave maintenance mode (and the entry screen); the audit log records that the technician left."""
        if self.entry is not None:
            self.entry.stop()
            self.entry = None
        tech, self.tech, self.diag = self.tech, None, None
        if tech is not None:
            gate = self._gate()
            self.window.background.submit(
                lambda: gate.left(tech, why),
                lambda _none: None,
                lambda exc: logger.warning("leaving maintenance was not audited: %s", type(exc).__name__),
                Lane.STORE,
            )
            logger.info("maintenance mode ended (%s)", why)

    # --- the pass -------------------------------------------------------------------------------------

    def _gate(self) -> TechnicianGate:
        from kiosk.errors import ConfigError
        from kiosk.techpass import TechnicianGate
        from kiosk.tx.keys import county_key_file, load_county_key

        core = self.window.services.core
        try:
            key = load_county_key(county_key_file(core.settings))
        except ConfigError:
            key = None  # every pass is refused, with that reason, and audited
        ident = core.settings.identity
        return TechnicianGate(core.db, core.time, key, ident.county_id, ident.kiosk_id)

    def _admit(self, payload: bytes) -> TechPass:
        return self._gate().admit(payload)

    def _look(self, timeout_s: float) -> bytes | None:
        """One look at the camera for a newly shown code (hw lane); None if none came in `timeout_s`."""
        from drivers.qr import ZbarQrScanner
        from drivers.qr_watch import QrWatch
        from kiosk.errors import DeviceError
        from kiosk.ports import DeviceTimeout

        if self._scanner is None:
            self._scanner = ZbarQrScanner()
            self._watch = QrWatch(self._scanner)
        camera = self.window.services.camera
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                found = self._watch.offer(camera.latest_frame(min(0.3, left)))
            except DeviceTimeout:
                continue
            except DeviceError:  # no camera (yet): wait out the look rather than spin
                time.sleep(max(0.0, deadline - time.monotonic()))
                return None
            if found:
                data: bytes = found[0].data
                return data
        return None

    # --- the diagnostics' work ----------------------------------------------------------------------------

    def read_store(self) -> StoreReading:
        from datetime import UTC, datetime

        from PySide6 import __version__ as pyside_version

        from kiosk import diagnostics as d
        from ui.viewmodels.diagnostics import StoreReading

        core = self.window.services.core
        settings = core.settings
        now = datetime.now(UTC)
        now_ms = int(now.timestamp() * 1000)
        status = d.store_status(core.db, now_ms)
        refusals = d.audit_refusals(core.db)
        lines = self.ring.lines()
        checks = (
            d.link_check(status),
            d.cert_check(d.cert_file(settings), settings.sync.tls, now),
            d.outbox_check(status, now_ms),
            d.disk_check(settings.paths.data_dir),
            d.database_check(status),
            d.errors_check(lines, refusals),
        )
        extra = {"pyside6": pyside_version, "python": sys.version.split()[0]}
        errors = sorted([*d.log_lines_json(lines), *refusals], key=lambda e: -int(e["ts_ms"]))
        return StoreReading(checks, status, d.versions(status, extra), tuple(errors))

    def probe_devices(self) -> tuple[Check, ...]:
        from drivers.selftest import probe_card_reader, qr_selftest
        from kiosk.diagnostics import camera_check

        services = self.window.services
        reader = services.cards.session()
        try:
            card = probe_card_reader(reader)
        finally:
            reader.end()
        info = services.camera.info()
        camera = camera_check(info.connected, info.fps, info.width, info.height)
        return (card, camera, qr_selftest(), self._speaker_check("idle"))

    def _speaker_check(self, state: str) -> Check:
        from kiosk.diagnostics import Check, CheckKey, Level
        from ui.voice import QuietSpeaker

        if isinstance(self.window.services.speaker, QuietSpeaker):
            return Check(CheckKey.SPEAKER, Level.WARN, {"state": "quiet"})
        return Check(CheckKey.SPEAKER, Level.OK, {"state": state})

    def _card_test(self) -> Check:
        from drivers.selftest import read_card_test

        reader = self.window.services.cards.session()
        try:
            return read_card_test(reader, CARD_TEST_S)
        finally:
            reader.end()

    def _camera_test(self) -> Check:
        from drivers.selftest import measure_camera

        return measure_camera(self.window.services.camera, CAMERA_TEST_S)

    def _qr_test(self) -> Check:
        from drivers.selftest import qr_selftest

        return qr_selftest()

    def _speaker_test(self) -> Check:
        from ui import text_diag
        from ui.text import tr

        self.window.services.speaker.say(tr(text_diag.SPEAKER_TEST_WORDS), "cmn")
        return self._speaker_check("said")

    def _export(self, reading: StoreReading | None) -> str:
        from kiosk import diagnostics as d

        reading = reading or self.read_store()
        diag = self.diag
        checks = list(diag.state.checks.values()) if diag is not None else list(reading.checks)
        settings = self.window.services.core.settings
        documents = {
            "status": dict(reading.status),
            "checks": [c.as_json() for c in checks],
            "versions": dict(reading.versions),
            "settings": d.settings_without_secrets(settings),
            "errors": list(reading.errors),
        }
        return d.write_bundle(settings.diagnostics.export_dir, settings.identity.kiosk_id, documents).name

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._taps)
        if self._scanner is not None:
            self._scanner.close()
