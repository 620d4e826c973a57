"""Shared steps of the wallet, sharing and 互证 screen tests: a signed-in villager with a seeded wallet."""

from __future__ import annotations

import numpy as np

from drivers.fake.camera import FakeCamera
from drivers.fake.people import DEMO_VILLAGERS
from drivers.fake.qr_frame import qr_frame
from tests.helpers import enrol_someone
from tests.ui.conftest import PIN, Kiosk
from ui.demo_county import DemoCounty
from ui.screen import Screen
from ui.screens.signin import SignInPinScreen
from ui.widgets import Keypad


def enrol(k: Kiosk, index: int = 1) -> str:
    return enrol_someone(k.services.core, PIN, DEMO_VILLAGERS[index])


def county(k: Kiosk) -> DemoCounty:
    c = DemoCounty(k.services.core)
    c.broadcast()
    return c


def tap_pin(screen: Screen, keypad: Keypad, pin: str) -> None:
    for digit in pin:
        [key] = [b for b in keypad.keys if b.text() == digit]
        key.click()
    screen.primary.click()


def sign_in_through(k: Kiosk, entry: str, index: int = 1) -> None:
    """Tap the entry with nobody signed in: the card, the PIN, then the entry's own screen."""
    k.window.proofs.open(entry)
    k.on("signin_card")
    k.reader.place(DEMO_VILLAGERS[index])
    k.on("signin_pin")
    screen = k.cur
    assert isinstance(screen, SignInPinScreen)
    tap_pin(screen, screen.keypad, PIN)


def hold_up(k: Kiosk, payload: str | None) -> None:
    """The fake camera shows `payload` as a QR code held up to it (None: a bare wall)."""
    camera = k.services.camera.loaded()
    assert isinstance(camera, FakeCamera)
    frame = qr_frame(payload.encode(), 1280, 960) if payload else np.full((480, 640, 3), 150, dtype=np.uint8)
    camera.play([frame])
