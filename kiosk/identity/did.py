"""The `did:lxt` method: self-certifying identifiers with pre-committed key rotation.

A DID is `did:lxt:<county>:<suffix>`, the suffix being base58btc of the first 16 bytes of SHA-256 over the
canonical inception event (the first public key and a commitment to the next one). Anyone holding the
event log can check it offline: the inception must hash to the DID, and each rotation must reveal the key
the event before committed to, link to that event's hash, and be signed by the key it reveals.
See docs/did-method.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b58, b64u, unb64u
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import DomainError, VerificationError

METHOD_VERSION = 1
SIGNING_DOMAIN = b"lxt/did/v1\n"
DID_PATTERN = re.compile(r"^did:lxt:([0-9]{6}):([1-9A-HJ-NP-Za-km-z]{16,24})$")


class RotationReason(StrEnum):
    RECOVERY = "recovery"  # cadre-assisted re-verification after a lockout or forgotten PIN
    SCHEDULED = "scheduled"
    COMPROMISE = "compromise"


@dataclass(frozen=True, slots=True)
class KeyEvent:
    """One event of a DID's log, with the signature of the key it establishes (none for inception)."""

    event: Mapping[str, Any]
    sig: bytes | None

    @property
    def n(self) -> int:
        return int(self.event["n"])

    @property
    def digest(self) -> str:
        return hashlib.sha256(canonical.dumps(dict(self.event))).hexdigest()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"event": dict(self.event)}
        if self.sig is not None:
            out["sig"] = b64u(self.sig)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KeyEvent:
        event = data.get("event")
        if not isinstance(event, Mapping):
            raise VerificationError("key event has no event object")
        sig = data.get("sig")
        return cls(event, unb64u(sig) if isinstance(sig, str) else None)


@dataclass(frozen=True, slots=True)
class DidState:
    """What resolving a DID gives: its current key and the commitment to the next."""

    did: str
    version: int
    suite: str
    public_key: bytes
    next_commitment: str
    head: str  # digest of the newest event
    keys: tuple[tuple[str, bytes], ...]  # every key the DID has had, oldest first: (suite, public key)

    @property
    def kid(self) -> str:
        return key_id(self.did, self.version)


def key_id(did: str, version: int) -> str:
    return f"{did}#k{version}"


def split_key_id(kid: str) -> tuple[str, int]:
    did, sep, frag = kid.partition("#k")
    if not sep or not frag.isdigit():
        raise DomainError("not a did:lxt key id")
    return did, int(frag)


def commitment(suite: str, public_key: bytes) -> str:
    """The hash that pre-commits to a next key without revealing it."""
    return b64u(hashlib.sha256(canonical.dumps({"suite": suite, "key": b64u(public_key)})).digest())


def inception(county: str, suite: str, public_key: bytes, next_suite: str, next_public_key: bytes) -> KeyEvent:
    get_suite(suite)
    event = {
        "v": METHOD_VERSION,
        "type": "inception",
        "n": 0,
        "county": county,
        "suite": suite,
        "key": b64u(public_key),
        "next": commitment(next_suite, next_public_key),
    }
    return KeyEvent(event, None)


def did_of(event: KeyEvent) -> str:
    if event.event.get("type") != "inception":
        raise DomainError("only an inception event names a DID")
    digest = hashlib.sha256(canonical.dumps(dict(event.event))).digest()
    return f"did:lxt:{event.event['county']}:{b58(digest[:16])}"


def rotation(
    state: DidState, new_signer: Signer, next_suite: str, next_public_key: bytes, reason: RotationReason
) -> KeyEvent:
    """A rotation that reveals `new_signer`'s key (it must be the committed one) and commits to the next."""
    if commitment(new_signer.suite.name, new_signer.public_key) != state.next_commitment:
        raise VerificationError("the new key is not the one the DID committed to")
    event = {
        "v": METHOD_VERSION,
        "type": "rotation",
        "n": state.version + 1,
        "did": state.did,
        "prev": state.head,
        "suite": new_signer.suite.name,
        "key": b64u(new_signer.public_key),
        "next": commitment(next_suite, next_public_key),
        "reason": reason.value,
    }
    return KeyEvent(event, new_signer.sign(SIGNING_DOMAIN + canonical.dumps(event)))


def _apply_rotation(state: DidState, ev: KeyEvent) -> DidState:
    e = ev.event
    if e.get("type") != "rotation" or e.get("did") != state.did or e.get("n") != state.version + 1:
        raise VerificationError(f"event {state.version + 1} of the DID log is out of place")
    if e.get("prev") != state.head:
        raise VerificationError(f"event {state.version + 1} does not link to the event before it")
    suite, key = str(e["suite"]), unb64u(str(e["key"]))
    if commitment(suite, key) != state.next_commitment:
        raise VerificationError(f"event {state.version + 1} reveals a key that was not committed to")
    if ev.sig is None:
        raise VerificationError(f"event {state.version + 1} is not signed")
    get_suite(suite).verify(key, SIGNING_DOMAIN + canonical.dumps(dict(e)), ev.sig)
    return DidState(state.did, state.version + 1, suite, key, str(e["next"]), ev.digest, (*state.keys, (suite, key)))


def resolve(did: str, events: Sequence[KeyEvent]) -> DidState:
    """Check a DID's whole event log offline and return its current state."""
    if not DID_PATTERN.match(did):
        raise VerificationError("not a did:lxt identifier")
    if not events:
        raise VerificationError("a DID log starts with its inception event")
    first = events[0].event
    if first.get("v") != METHOD_VERSION or first.get("n") != 0 or did_of(events[0]) != did:
        raise VerificationError("the inception event does not belong to this DID")
    suite, key = str(first["suite"]), unb64u(str(first["key"]))
    get_suite(suite)
    state = DidState(did, 0, suite, key, str(first["next"]), events[0].digest, ((suite, key),))
    for ev in events[1:]:
        state = _apply_rotation(state, ev)
    return state
