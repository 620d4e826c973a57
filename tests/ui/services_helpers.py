"""A villager enrolled with her (fake) face and a real-name credential, signed in through a tile, for the
services, pension and credit screens' tests."""

from __future__ import annotations

from drivers.fake.face import fake_template
from drivers.fake.people import DEMO_VILLAGERS
from tests.helpers import enrol_someone
from tests.ui.conftest import PIN, Kiosk
from ui import demo_services as demo

VILLAGER = 1


def villager(k: Kiosk) -> str:
    core = k.services.core
    card = DEMO_VILLAGERS[VILLAGER]
    did = enrol_someone(core, PIN, card, fake_template("villager"))
    demo.give_real_name(core, did, card.name)
    return did


def sign_in(k: Kiosk) -> None:
    """After a tile asked for sign-in: her card and PIN."""
    k.on("signin_card")
    k.reader.place(DEMO_VILLAGERS[VILLAGER])
    k.on("signin_pin")
    vm = k.window.signin
    assert vm is not None
    for digit in PIN:
        vm.pin.press(digit)
    vm.submit_pin()
    k.wait(lambda: k.window.session is not None, what="the sign-in")


def said(k: Kiosk) -> str:
    return "\n".join(k.speaker.said)
