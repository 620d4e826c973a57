"""Sign-in of a returning villager on fakes: card → PIN → session, wrong PINs counted in the database, the lock."""

from __future__ import annotations

import pytest

from kiosk.core import Core
from kiosk.errors import UserFacingError
from kiosk.flows.signin import SignInFlow, SignInFlowError, SignInStep
from kiosk.ports import CardRemoved, DeviceTimeout
from tests.helpers import enrol_someone, make_card
from tests.unit.test_enrolment_flow import ScriptedReader

PIN = "382917"


def _flow(core: Core, *reads: object) -> SignInFlow:
    reader = ScriptedReader(*reads)  # type: ignore[arg-type]
    return SignInFlow(core.registry, core.keystore, reader, core.time, core.settings.enrolment)


def test_card_then_pin_opens_the_villagers_key(core: Core) -> None:
    did = enrol_someone(core, PIN, make_card())
    flow = _flow(core, make_card())
    assert flow.read_card() == "张秀兰"
    session = flow.enter_pin(PIN)
    assert flow.step is SignInStep.SIGNED_IN
    assert session.did == did
    assert session.signer is not None
    assert session.signer.public_key == core.keystore.get(did).public_key
    session.wipe()
    assert session.signer is None and session.name == "" and session.did == ""
    assert "张秀兰" not in repr(session)


def test_a_card_not_enrolled_here_is_told_to_enrol(core: Core) -> None:
    flow = _flow(core, make_card())
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == "signin.not_enrolled"
    assert flow.step is SignInStep.NOT_ENROLLED


def test_five_wrong_pins_lock_and_the_lock_holds_for_the_next_card(core: Core) -> None:
    enrol_someone(core, PIN, make_card())
    flow = _flow(core, make_card())
    flow.read_card()
    for remaining in (4, 3, 2, 1):
        with pytest.raises(UserFacingError) as info:
            flow.enter_pin("246813")
        assert (info.value.message_key, info.value.params) == ("pin.wrong", {"remaining": remaining})
        assert flow.step is SignInStep.PIN
    with pytest.raises(UserFacingError) as info:
        flow.enter_pin("246813")
    assert info.value.message_key == "pin.locked"
    assert flow.step is SignInStep.LOCKED
    again = _flow(core, make_card())
    with pytest.raises(UserFacingError) as info:
        again.read_card()
    assert info.value.message_key == "pin.locked"


def test_card_problems_can_be_retried_then_end(core: Core) -> None:
    flow = _flow(core, DeviceTimeout("none"), CardRemoved(), DeviceTimeout("none"))
    for key, left in (("card.none", 2), ("card.removed", 1)):
        with pytest.raises(UserFacingError) as info:
            flow.read_card()
        assert (info.value.message_key, info.value.params) == (key, {"tries_left": left})
    with pytest.raises(UserFacingError) as info:
        flow.read_card()
    assert info.value.message_key == "card.none.final"
    assert flow.step is SignInStep.ENDED


def test_steps_out_of_order_are_a_bug(core: Core) -> None:
    flow = _flow(core, make_card())
    with pytest.raises(SignInFlowError):
        flow.enter_pin(PIN)
