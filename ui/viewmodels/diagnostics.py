"""The technician's view-models, Qt-free: the hidden entry (five taps, then a pass shown to the camera) and the
diagnostics (every check's verdict, the self-tests, the export). Blocking work goes through `run` callables: the
`hw` lane for the devices, the `store` lane for the database and the USB stick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from kiosk.diagnostics import Check, CheckKey, Level
from kiosk.techpass import TechPass, TechPassRefused
from ui import text_diag as t
from ui.viewmodels.base import Observable, Run

logger = logging.getLogger(__name__)

LOOK_S = 1.0  # one look at the camera for a code; then the lane is free for a moment


# --- the entry ----------------------------------------------------------------------------------------------


class EntryPhase(StrEnum):
    LOOKING = "looking"  # watching the camera for a code
    CHECKING = "checking"  # a code was seen: its signature and validity are being checked
    ADMITTED = "admitted"


@dataclass(frozen=True, slots=True)
class EntryState:
    phase: EntryPhase = EntryPhase.LOOKING
    refused: str | None = None  # the last refusal's reason (kiosk.techpass.RefusalReason value)
    tech: TechPass | None = None


class TechEntryViewModel(Observable):
    """Looks for a code on the `hw` lane, checks it on the `store` lane; a refusal shows and the looking goes on.

    `look(timeout)` returns the bytes of a newly shown code or None; `admit(payload)` returns the pass or raises
    TechPassRefused (and audits either way).
    """

    def __init__(
        self,
        look: Callable[[float], bytes | None],
        admit: Callable[[bytes], TechPass],
        run_hw: Run,
        run_store: Run,
        admitted: Callable[[TechPass], None],
    ) -> None:
        super().__init__()
        self._look, self._admit = look, admit
        self._run_hw, self._run_store = run_hw, run_store
        self._admitted = admitted
        self._stopped = threading.Event()
        self.state = EntryState()

    def start(self) -> None:
        self._stopped.clear()
        self._look_once()

    def stop(self) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def _look_once(self) -> None:
        if not self._stopped.is_set():
            self._run_hw(lambda: self._look(LOOK_S), self._seen, self._look_failed)

    def _seen(self, payload: bytes | None) -> None:
        if self._stopped.is_set():
            return
        if payload is None:
            self._look_once()
            return
        self._set(replace(self.state, phase=EntryPhase.CHECKING))
        self._run_store(lambda: self._admit(payload), self._ok, self._refused)

    def _look_failed(self, exc: Exception) -> None:
        # `look` waits out its own time when the camera is missing; anything else is a bug worth one line.
        logger.warning("looking for a technician pass failed: %s", type(exc).__name__)
        self._stopped.set()

    def _ok(self, tech: TechPass) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._set(EntryState(EntryPhase.ADMITTED, None, tech))
        self._admitted(tech)

    def _refused(self, exc: Exception) -> None:
        reason = exc.reason.value if isinstance(exc, TechPassRefused) else "unknown"
        if not isinstance(exc, TechPassRefused):
            logger.warning("a technician pass could not be checked: %s", type(exc).__name__)
        self._set(EntryState(EntryPhase.LOOKING, reason))
        self._look_once()

    def _set(self, state: EntryState) -> None:
        self.state = state
        self._changed()


def refusal_words(reason: str | None) -> str:
    """The translation source for a refusal reason ("" for none)."""
    if reason is None:
        return ""
    return t.REFUSED.get(reason, t.REFUSED_UNKNOWN)


# --- the diagnostics ---------------------------------------------------------------------------------------


SUMMARY_ORDER = (
    CheckKey.CARD_READER,
    CheckKey.CAMERA,
    CheckKey.QR,
    CheckKey.SPEAKER,
    CheckKey.LINK,
    CheckKey.CERT,
    CheckKey.OUTBOX,
    CheckKey.DISK,
    CheckKey.DATABASE,
    CheckKey.ERRORS,
)


class DiagTest(StrEnum):
    REFRESH_STORE = "refresh_store"
    REFRESH_DEVICES = "refresh_devices"
    CARD = "card"
    CAMERA = "camera"
    QR = "qr"
    SPEAKER = "speaker"
    EXPORT = "export"


@dataclass(frozen=True, slots=True)
class StoreReading:
    """What the `store` lane reads in one go."""

    checks: tuple[Check, ...]
    status: Mapping[str, Any]
    versions: Mapping[str, Any]
    errors: tuple[Mapping[str, Any], ...]  # log lines and audit refusals, newest first, no personal data


@dataclass(frozen=True, slots=True)
class DiagState:
    checks: Mapping[CheckKey, Check] = field(default_factory=dict)
    status: Mapping[str, Any] = field(default_factory=dict)
    versions: Mapping[str, Any] = field(default_factory=dict)
    errors: tuple[Mapping[str, Any], ...] = ()
    running: frozenset[DiagTest] = frozenset()
    exported: str | None = None  # the bundle's file name
    export_error: str | None = None

    def counts(self) -> tuple[int, int]:
        """(faults, warnings) over the checks done so far."""
        levels = [c.level for c in self.checks.values()]
        return levels.count(Level.FAULT), levels.count(Level.WARN)


@dataclass(frozen=True, slots=True)
class DiagnosticsWork:
    """The blocking pieces, supplied by the window (real devices and store) or by tests."""

    read_store: Callable[[], StoreReading]
    probe_devices: Callable[[], tuple[Check, ...]]  # card reader, camera, QR, speaker: quick
    card_test: Callable[[], Check]
    camera_test: Callable[[], Check]
    qr_test: Callable[[], Check]
    speaker_test: Callable[[], Check]
    export: Callable[[StoreReading | None], str]  # the bundle's file name; raises KioskError


class DiagnosticsViewModel(Observable):
    def __init__(self, work: DiagnosticsWork, run_hw: Run, run_store: Run) -> None:
        super().__init__()
        self._work = work
        self._hw, self._store = run_hw, run_store
        self._reading: StoreReading | None = None
        self.state = DiagState()

    def refresh(self) -> None:
        self._begin(DiagTest.REFRESH_STORE, self._store, self._work.read_store, self._stored)
        self._begin(DiagTest.REFRESH_DEVICES, self._hw, self._work.probe_devices, self._probed)

    def run_test(self, test: DiagTest) -> None:
        work = {
            DiagTest.CARD: self._work.card_test,
            DiagTest.CAMERA: self._work.camera_test,
            DiagTest.QR: self._work.qr_test,
            DiagTest.SPEAKER: self._work.speaker_test,
        }[test]
        self._begin(test, self._hw, work, lambda check: self._merge((check,)))

    def export(self) -> None:
        self._set(replace(self.state, exported=None, export_error=None))
        self._begin(DiagTest.EXPORT, self._store, lambda: self._work.export(self._reading), self._exported)

    def _begin(self, test: DiagTest, run: Run, work: Callable[[], Any], ok: Callable[[Any], None]) -> None:
        if test in self.state.running:
            return  # a second tap while it runs does nothing (UI.md "Touch")
        self._set(replace(self.state, running=self.state.running | {test}))

        def done(result: Any) -> None:
            self._set(replace(self.state, running=self.state.running - {test}))
            ok(result)

        def failed(exc: Exception) -> None:
            logger.warning("diagnostics %s failed: %s", test.value, type(exc).__name__)
            self._set(replace(self.state, running=self.state.running - {test}))
            if test is DiagTest.EXPORT:
                self._set(replace(self.state, export_error=str(exc)[:160]))

        run(work, done, failed)

    def _stored(self, reading: StoreReading) -> None:
        self._reading = reading
        self._set(replace(self.state, status=reading.status, versions=reading.versions, errors=reading.errors))
        self._merge(reading.checks)

    def _probed(self, checks: tuple[Check, ...]) -> None:
        self._merge(checks)

    def _merge(self, checks: tuple[Check, ...]) -> None:
        merged = dict(self.state.checks)
        merged.update({c.key: c for c in checks})
        self._set(replace(self.state, checks=merged))

    def _exported(self, name: str) -> None:
        self._set(replace(self.state, exported=name))

    def _set(self, state: DiagState) -> None:
        self.state = state
        self._changed()


# --- words for the facts (translation sources and their parameters; the screen translates) ------------------


def _age(ms: int | None) -> tuple[str, int]:
    minutes = (ms or 0) // 60_000
    if minutes < 120:
        return t.AGE_MINUTES, minutes
    if minutes < 48 * 60:
        return t.AGE_HOURS, minutes // 60
    return t.AGE_DAYS, minutes // (24 * 60)


def _size(mb: int) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb} MB"


Words = tuple[str, dict[str, Any]]


def _device_words(check: Check) -> Words:
    f = check.facts
    state = f.get("state")
    if check.key is CheckKey.CARD_READER:
        by_state = {"no_card": t.CARD_NO_CARD, "card_read": t.CARD_READ, "unavailable": t.CARD_UNAVAILABLE}
        if state == "no_card" and check.level is Level.WARN:
            return t.CARD_WAITING, {}
        return by_state.get(str(state), t.CARD_FAILED), {"ms": f.get("ms"), "error": f.get("error")}
    if check.key is CheckKey.CAMERA:
        if not f.get("connected"):
            return t.CAMERA_NONE, {}
        if "frames_seen" in f:
            return t.CAMERA_MEASURED, {"seconds": f["seconds"], "frames": f["frames_seen"], "fps": f["fps"]}
        return t.CAMERA_OK, {"width": f.get("width"), "height": f.get("height"), "fps": f.get("fps")}
    if check.key is CheckKey.QR:
        by_state = {"read": t.QR_OK, "unavailable": t.QR_UNAVAILABLE}
        return by_state.get(str(state), t.QR_FAILED), {"ms": f.get("ms"), "error": f.get("error")}
    by_state = {"quiet": t.SPEAKER_QUIET, "said": t.SPEAKER_SAID}
    return by_state.get(str(state), t.SPEAKER_OK), {}


def _link_words(f: Mapping[str, Any]) -> Words:
    state = f.get("state")
    if state == "online":
        rtt = f.get("rtt_ms")
        return (t.LINK_ONLINE_NO_RTT if rtt is None else t.LINK_ONLINE), {"broker": f.get("broker"), "rtt": rtt}
    if state == "never":
        return t.LINK_NEVER, {}
    if str(state).startswith("stale"):
        return t.LINK_STALE, {}
    return t.LINK_OFFLINE, {"error": f.get("last_error") or "-"}


def _cert_words(f: Mapping[str, Any]) -> Words:
    by_state = {"valid": t.CERT_VALID, "expired": t.CERT_EXPIRED, "unreadable": t.CERT_UNREADABLE}
    if f.get("state") == "missing":
        return (t.CERT_MISSING if f.get("tls") else t.CERT_MISSING_NO_TLS), {}
    return by_state[str(f.get("state"))], {"expires": f.get("expires"), "days": f.get("days_left")}


def describe(check: Check) -> tuple[Words, Words | None]:
    """(the check's line, an age phrase to fill into it or None) as translation sources and parameters."""
    f = check.facts
    key = check.key
    if key in (CheckKey.CARD_READER, CheckKey.CAMERA, CheckKey.QR, CheckKey.SPEAKER):
        return _device_words(check), None
    if key is CheckKey.LINK:
        return _link_words(f), None
    if key is CheckKey.CERT:
        return _cert_words(f), None
    if key is CheckKey.OUTBOX:
        if not f.get("depth"):
            return (t.OUTBOX_EMPTY, {"rejected": f.get("rejected")}), None
        age_source, n = _age(f.get("oldest_age_ms"))
        return (t.OUTBOX_LINE, {"depth": f["depth"], "rejected": f.get("rejected")}), (age_source, {"n": n})
    if key is CheckKey.DISK:
        if "error" in f:
            return (t.DISK_ERROR, {"error": f["error"]}), None
        return (t.DISK_LINE, {"free": _size(int(f["free_mb"])), "total": _size(int(f["total_mb"]))}), None
    if key is CheckKey.DATABASE:
        ok = check.level is Level.OK
        return ((t.DATABASE_OK, {}) if ok else (t.DATABASE_BAD, {"integrity": f.get("integrity")})), None
    return (t.ERRORS_LINE, {k: f.get(k) for k in ("errors", "warnings", "refusals")}), None
