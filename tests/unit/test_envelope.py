"""Signature suites, the transaction envelope and the verifier."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import UnknownSuite, get_suite, suite_names
from kiosk.errors import VerificationError
from kiosk.ports import ClockReading, ClockSource
from kiosk.tx import envelope
from kiosk.tx.envelope import MalformedEnvelope, RoleSigner, SignerRole

WHEN = ClockReading(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), ClockSource.NTP)


@pytest.mark.parametrize("name", suite_names())
def test_suite_signs_and_verifies(name: str) -> None:
    suite = get_suite(name)
    signer = suite.signer(suite.generate())
    sig = signer.sign(b"message")
    assert len(sig) == suite.signature_len
    suite.verify(signer.public_key, b"message", sig)
    with pytest.raises(VerificationError):
        suite.verify(signer.public_key, b"messagE", sig)
    with pytest.raises(VerificationError):
        suite.verify(signer.public_key, b"message", sig[:-1] + bytes([sig[-1] ^ 1]))
    signer.wipe()
    with pytest.raises(Exception, match="wiped"):
        signer.sign(b"x")


def test_unknown_suite() -> None:
    with pytest.raises(UnknownSuite):
        get_suite("sm2")


def _signed(body: dict[str, Any], seq: int = 1) -> tuple[envelope.Envelope, dict[SignerRole, tuple[str, bytes]]]:
    keys: dict[SignerRole, tuple[str, bytes]] = {}
    signers = []
    for role, suite_name in ((SignerRole.VILLAGER, "ed25519"), (SignerRole.DEVICE, "ecdsa-p256")):
        suite = get_suite(suite_name)
        s = suite.signer(suite.generate())
        keys[role] = (suite_name, s.public_key)
        signers.append(RoleSigner(role, f"{role.value}-key", s))
    env = envelope.build("test.type", county="410225", kiosk="k1", seq=seq, when=WHEN, body=body, signers=signers)
    return env, keys


def _verify_sigs(env: envelope.Envelope, keys: dict[SignerRole, tuple[str, bytes]]) -> None:
    if envelope.compute_id(env.unsigned()) != env.id:
        raise VerificationError("id")
    for s in env.sigs:
        suite_name, pub = keys[s.role]
        get_suite(suite_name).verify(pub, envelope.signing_message(env.id), s.sig)


def test_id_is_hash_of_unsigned_envelope() -> None:
    env, _ = _signed({"x": 1})
    import hashlib

    assert env.id == hashlib.sha256(canonical.dumps(env.unsigned())).hexdigest()
    assert env.clock == "ntp" and env.ts == int(WHEN.at.timestamp() * 1000)


def test_round_trip_through_bytes() -> None:
    env, keys = _signed({"amount_fen": 3_000_000, "名": "测试"})
    again = envelope.parse(env.to_bytes())
    assert again == env
    _verify_sigs(again, keys)


mutable_fields = st.sampled_from(["type", "county", "kiosk", "seq", "ts", "clock", "body", "id"])


@settings(max_examples=60, deadline=None)
@given(field=mutable_fields, body=st.dictionaries(st.text(max_size=5), st.integers(0, 1000), max_size=4))
def test_any_change_breaks_verification(field: str, body: dict[str, int]) -> None:
    env, keys = _signed(body)
    data = env.to_json()
    if field in ("seq", "ts"):
        data[field] += 1
    elif field == "body":
        data["body"] = {**body, "extra": 1}
    elif field == "id":
        data["id"] = "0" * 64
    else:
        data[field] = data[field] + "x"
    tampered = envelope.parse(canonical.dumps(data))
    with pytest.raises(VerificationError):
        _verify_sigs(tampered, keys)


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, 1), byte=st.integers(0, 63))
def test_any_signature_bit_flip_breaks_verification(index: int, byte: int) -> None:
    env, keys = _signed({"a": 1})
    data = env.to_json()
    sig = bytearray(env.sigs[index].sig)
    sig[byte] ^= 0x01
    data["sigs"][index]["sig"] = b64u(bytes(sig))
    with pytest.raises(VerificationError):
        _verify_sigs(envelope.parse(canonical.dumps(data)), keys)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("sigs"),
        lambda d: d.update(v=2),
        lambda d: d.update(extra=1),
        lambda d: d.update(seq="1"),
        lambda d: d.update(seq=True),
        lambda d: d.update(sigs=[{"role": "king", "kid": "k", "suite": "ed25519", "sig": ""}]),
        lambda d: d.update(body=[]),
    ],
)
def test_malformed_envelopes_are_refused(mutate: Any) -> None:
    env, _ = _signed({"a": 1})
    data = env.to_json()
    mutate(data)
    with pytest.raises(MalformedEnvelope):
        envelope.parse(canonical.dumps(data))


def test_non_canonical_bytes_are_refused() -> None:
    env, _ = _signed({"a": 1})
    with pytest.raises(MalformedEnvelope):
        envelope.parse(env.to_bytes().replace(b",", b", ", 1))
