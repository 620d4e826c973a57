"""The did:lxt method: inception, offline resolution, pre-committed rotation."""

from __future__ import annotations

import pytest

from kiosk.crypto.suites import get_suite
from kiosk.errors import VerificationError
from kiosk.identity import did as didm

ED = get_suite("ed25519")


def _new_did() -> tuple[str, list[didm.KeyEvent], bytearray]:
    current, nxt = ED.signer(ED.generate()), ED.generate()
    ev = didm.inception("410225", "ed25519", current.public_key, "ed25519", ED.signer(nxt).public_key)
    return didm.did_of(ev), [ev], nxt


def test_did_shape_and_resolution() -> None:
    did, events, _ = _new_did()
    assert didm.DID_PATTERN.match(did)
    assert did.startswith("did:lxt:410225:")
    state = didm.resolve(did, events)
    assert state.version == 0 and state.kid == f"{did}#k0"


def test_rotation_reveals_the_committed_key() -> None:
    did, events, nxt = _new_did()
    state = didm.resolve(did, events)
    new_signer = ED.signer(nxt)
    after = ED.signer(ED.generate())
    ev = didm.rotation(state, new_signer, "ed25519", after.public_key, didm.RotationReason.RECOVERY)
    state2 = didm.resolve(did, [*events, ev])
    assert state2.version == 1
    assert state2.public_key == new_signer.public_key
    assert state2.keys[0] == ("ed25519", state.public_key)
    assert state2.next_commitment == didm.commitment("ed25519", after.public_key)


def test_rotation_with_an_uncommitted_key_is_refused() -> None:
    did, events, _ = _new_did()
    state = didm.resolve(did, events)
    intruder = ED.signer(ED.generate())
    with pytest.raises(VerificationError):
        didm.rotation(state, intruder, "ed25519", intruder.public_key, didm.RotationReason.COMPROMISE)


def test_tampered_logs_do_not_resolve() -> None:
    did, events, nxt = _new_did()
    state = didm.resolve(did, events)
    ev = didm.rotation(
        state, ED.signer(nxt), "ed25519", ED.signer(ED.generate()).public_key, didm.RotationReason.SCHEDULED
    )
    other_did, other_events, _ = _new_did()
    with pytest.raises(VerificationError):
        didm.resolve(other_did, events)  # an inception of another DID
    bad_reason = didm.KeyEvent({**ev.event, "reason": "compromise"}, ev.sig)
    with pytest.raises(VerificationError):
        didm.resolve(did, [*events, bad_reason])  # signature no longer covers the event
    bad_link = didm.KeyEvent({**ev.event, "prev": "0" * 64}, ev.sig)
    with pytest.raises(VerificationError):
        didm.resolve(did, [*events, bad_link])
    with pytest.raises(VerificationError):
        didm.resolve(did, [*events, didm.KeyEvent(ev.event, None)])
    with pytest.raises(VerificationError):
        didm.resolve(did, [])
    with pytest.raises(VerificationError):
        didm.resolve("did:web:example", events)
    assert other_events
