"""Villager keys: wrapping, the PIN policy, and the lock after five wrong PINs (persisted, audited)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.crypto.suites import get_suite
from kiosk.errors import KeyLockedError, UserFacingError
from kiosk.identity.keystore import KdfParams, WrongPin, check_pin, unwrap_key, wrap_key
from kiosk.store import audit
from tests.helpers import enrol_someone

FAST = KdfParams(log2_n=10)
SECRET = bytes(32)


def test_wrap_needs_pin_and_device_secret_and_context() -> None:
    key = get_suite("ed25519").generate()
    wrapped = wrap_key(key, "382917", SECRET, b"did#k0", FAST)
    assert unwrap_key(wrapped, "382917", SECRET, b"did#k0") == key
    with pytest.raises(WrongPin):
        unwrap_key(wrapped, "382918", SECRET, b"did#k0")
    with pytest.raises(WrongPin):
        unwrap_key(wrapped, "382917", bytes([1]) * 32, b"did#k0")
    with pytest.raises(WrongPin):
        unwrap_key(wrapped, "382917", SECRET, b"did#k1")
    assert bytes(key) not in wrapped


def test_production_cost_is_the_default() -> None:
    assert KdfParams().log2_n == 15


@pytest.mark.parametrize(
    ("pin", "rule"),
    [
        ("12345", "pin.rule.six_digits"),
        ("12345a", "pin.rule.six_digits"),
        ("１２３４５６", "pin.rule.six_digits"),
        ("000000", "pin.rule.too_simple"),
        ("121212", "pin.rule.too_simple"),
        ("123123", "pin.rule.too_simple"),
        ("123456", "pin.rule.too_simple"),
        ("654321", "pin.rule.too_simple"),
        ("890123", "pin.rule.too_simple"),
        ("580312", "pin.rule.birth_date"),
        ("120358", "pin.rule.birth_date"),
        ("195803", "pin.rule.birth_date"),
        ("312301", "pin.rule.id_number"),
        ("123018", "pin.rule.id_number"),
    ],
)
def test_pin_policy_refuses(pin: str, rule: str) -> None:
    with pytest.raises(UserFacingError) as info:
        check_pin(pin, date(1958, 3, 12), "410225195803123018" if pin == "123018" else "41022519580312301X")
    assert info.value.message_key == rule


def test_pin_policy_accepts_an_ordinary_pin() -> None:
    check_pin("382917", date(1958, 3, 12), "41022519580312301X")


def test_five_wrong_pins_lock_and_the_lock_survives_restart(open_kiosk, clock) -> None:  # type: ignore[no-untyped-def]
    first = open_kiosk()
    did = enrol_someone(first, pin="382917")
    for remaining in (4, 3, 2, 1):
        with pytest.raises(UserFacingError) as info:
            first.keystore.unlock(did, "999999", clock.now)
        assert info.value.message_key == "pin.wrong"
        assert info.value.params == {"remaining": remaining}
    with pytest.raises(UserFacingError) as info:
        first.keystore.unlock(did, "999999", clock.now)
    assert info.value.message_key == "pin.locked"
    with pytest.raises(KeyLockedError):
        first.keystore.unlock(did, "382917", clock.now)  # even the right PIN
    first.close()

    again = open_kiosk()
    with pytest.raises(KeyLockedError):
        again.keystore.unlock(did, "382917", clock.now)
    actions = [e.action for e in audit.entries(again.db.conn)]
    assert actions.count("pin.failed") == 5
    assert actions.count("key.locked") == 1
    assert audit.verify(again.db.conn).ok


def test_right_pin_resets_the_count(core, clock) -> None:  # type: ignore[no-untyped-def]
    did = enrol_someone(core, pin="382917")
    for _ in range(3):
        with pytest.raises(UserFacingError):
            core.keystore.unlock(did, "999999", clock.now)
    signer = core.keystore.unlock(did, "382917", clock.now)
    assert signer.public_key == core.keystore.get(did).public_key
    assert core.keystore.get(did).failed_attempts == 0
