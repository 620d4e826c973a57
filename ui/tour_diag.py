"""The tour's walk through maintenance mode: the hidden entry, a refused and a good pass held up to the fake
camera (read by the real zbar), the summary, the three detail screens and the export, then out again.

A throw-away county ledger key is pinned in the tour's kiosk (its data folder) so the pass can be checked for real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from PySide6.QtCore import QSize

from drivers.fake.camera import FakeCamera
from drivers.fake.qr_frame import qr_frame
from kiosk.clock import to_ms
from kiosk.crypto.suites import Signer, get_suite
from kiosk.techpass import issue_tech_pass
from kiosk.tx.keys import county_key_file
from ui.screens.diagnostics import DiagDevicesScreen
from ui.viewmodels.diagnostics import DiagTest

if TYPE_CHECKING:
    from ui.tour import Tour
    from ui.window import KioskWindow

TECHNICIAN = "李师傅"
DAY_MS = 86_400_000


def pin_county_key(window: KioskWindow) -> Signer:
    """A county ledger key for this throw-away kiosk: its public half where the kiosk pins it."""
    private = ed25519.Ed25519PrivateKey.generate()
    target = county_key_file(window.settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(
        private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return get_suite("ed25519").signer(private.private_bytes_raw())


def tech_pass(window: KioskWindow, signer: Signer, kiosk: str | None = None, days: int = 1) -> bytes:
    ident = window.settings.identity
    now = to_ms(window.services.core.time.now().at)  # the kiosk's own clock, which checks the pass
    kiosks = [kiosk or ident.kiosk_id]
    return issue_tech_pass(signer, ident.county_id, TECHNICIAN, kiosks, now - 60_000, now + days * DAY_MS)


def hold_up(window: KioskWindow, payload: bytes | None) -> FakeCamera:
    """The fake camera shows `payload` as a QR code held up to it (None: an empty wall again)."""
    camera = window.services.camera.loaded()
    if not isinstance(camera, FakeCamera):
        raise TypeError("the tour needs the fake camera")
    camera.play([qr_frame(payload) if payload is not None else np.full((480, 640, 3), 150, dtype=np.uint8)])
    return camera


def walk_diagnostics(tour: Tour, wait_until: Callable[[Callable[[], bool], str], None]) -> None:
    w = tour.window
    signer = pin_county_key(w)
    w.go("home")
    w.maintenance.open_entry()
    tour.shot("tech_entry")
    entry = w.maintenance.entry
    assert entry is not None  # noqa: S101 — just opened
    hold_up(w, tech_pass(w, signer, kiosk="another-kiosk"))
    wait_until(lambda: entry.state.refused is not None, "the refusal of a pass for another kiosk")
    tour.shot("tech_entry_refused")
    hold_up(w, tech_pass(w, signer))
    wait_until(lambda: w.current is not None and w.current.name == "diag_summary", "the diagnostics")
    hold_up(w, None)
    diag = w.maintenance.diag
    assert diag is not None  # noqa: S101 — admitted
    wait_until(lambda: not diag.state.running, "the checks")
    tour.shot("diag_summary")
    tour.shot("diag_summary_portrait", QSize(1080, 1920))
    w.go("diag_devices")
    diag.run_test(DiagTest.QR)
    wait_until(lambda: not diag.state.running, "the QR self-test")
    devices = w.current
    if isinstance(devices, DiagDevicesScreen):
        wait_until(lambda: devices.preview.frames_shown > 0, "the camera preview")
    tour.shot("diag_devices")
    w.go("diag_link")
    tour.shot("diag_link")
    w.go("diag_system")
    diag.export()
    wait_until(lambda: not diag.state.running, "the export")
    tour.shot("diag_system")
    w.go_home()
