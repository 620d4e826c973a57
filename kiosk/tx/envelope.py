"""The transaction envelope: `{v, id, type, county, kiosk, seq, ts, clock, body, sigs[]}` in canonical JSON.

`id` is the SHA-256 (hex) of the canonical unsigned envelope (every field but `id` and `sigs`). Each
signature signs the domain-separated id, so a signature made for a transaction can never be replayed as
some other message of the project, and adding or removing a signature never changes the id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.suites import Signer
from kiosk.errors import CanonicalJsonError, DomainError
from kiosk.ports import ClockReading

ENVELOPE_VERSION = 1
SIGNING_DOMAIN = b"lxt/tx/v1\n"
_UNSIGNED_FIELDS = ("v", "type", "county", "kiosk", "seq", "ts", "clock", "body")
_ALL_FIELDS = frozenset((*_UNSIGNED_FIELDS, "id", "sigs"))


class MalformedEnvelope(DomainError):
    """The bytes are not a transaction envelope of a version this kiosk knows."""


class SignerRole(StrEnum):
    VILLAGER = "villager"
    DEVICE = "device"
    CADRE = "cadre"


@dataclass(frozen=True, slots=True)
class Signature:
    role: SignerRole
    kid: str
    suite: str
    sig: bytes

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role.value, "kid": self.kid, "suite": self.suite, "sig": b64u(self.sig)}


@dataclass(frozen=True, slots=True)
class RoleSigner:
    """A signer with the role it signs in and the key id a verifier resolves it by."""

    role: SignerRole
    kid: str
    signer: Signer


@dataclass(frozen=True, slots=True)
class Envelope:
    v: int
    id: str
    type: str
    county: str
    kiosk: str
    seq: int
    ts: int
    clock: str
    body: Mapping[str, Any]
    sigs: tuple[Signature, ...]

    def unsigned(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "type": self.type,
            "county": self.county,
            "kiosk": self.kiosk,
            "seq": self.seq,
            "ts": self.ts,
            "clock": self.clock,
            "body": self.body,
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.unsigned(), "id": self.id, "sigs": [s.to_json() for s in self.sigs]}

    def to_bytes(self) -> bytes:
        # Every Envelope comes from build() or parse(), which both checked the content already.
        return canonical.dumps(self.to_json(), checked=True)

    def signature(self, role: SignerRole) -> Signature | None:
        return next((s for s in self.sigs if s.role is role), None)


def compute_id(unsigned: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical.dumps(dict(unsigned))).hexdigest()


def signing_message(tx_id: str) -> bytes:
    return SIGNING_DOMAIN + tx_id.encode("ascii")


def build(
    tx_type: str,
    *,
    county: str,
    kiosk: str,
    seq: int,
    when: ClockReading,
    body: Mapping[str, Any],
    signers: Sequence[RoleSigner],
) -> Envelope:
    """Make and sign an envelope. The body must already be valid for its type (see kiosk.tx.bodies)."""
    roles = [s.role for s in signers]
    if len(set(roles)) != len(roles):
        raise DomainError("each role signs a transaction at most once")
    ts = int(when.at.timestamp() * 1000)
    unsigned: dict[str, Any] = {
        "v": ENVELOPE_VERSION,
        "type": tx_type,
        "county": county,
        "kiosk": kiosk,
        "seq": seq,
        "ts": ts,
        "clock": when.source.value,
        "body": dict(body),
    }
    tx_id = compute_id(unsigned)
    message = signing_message(tx_id)
    sigs = tuple(Signature(s.role, s.kid, s.signer.suite.name, s.signer.sign(message)) for s in signers)
    return Envelope(
        v=ENVELOPE_VERSION,
        id=tx_id,
        type=tx_type,
        county=county,
        kiosk=kiosk,
        seq=seq,
        ts=ts,
        clock=when.source.value,
        body=unsigned["body"],
        sigs=sigs,
    )


def _field(data: Mapping[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    # bool is an int in Python; an envelope never uses a bool where an int belongs.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MalformedEnvelope(f"envelope field {name!r} is missing or not a {kind.__name__}")
    return value


def _parse_sig(item: Any) -> Signature:
    if not isinstance(item, Mapping) or set(item) != {"role", "kid", "suite", "sig"}:
        raise MalformedEnvelope("a signature must have exactly role, kid, suite and sig")
    try:
        role = SignerRole(item["role"])
    except ValueError as exc:
        raise MalformedEnvelope("unknown signer role") from exc
    return Signature(role, _field(item, "kid", str), _field(item, "suite", str), unb64u(_field(item, "sig", str)))


def parse(data: bytes) -> Envelope:
    """Read an envelope from its canonical bytes. Checks shape only; `kiosk.tx.verify` checks signatures."""
    try:
        raw = canonical.loads(data)
    except CanonicalJsonError as exc:
        raise MalformedEnvelope(f"envelope is not canonical JSON: {exc}") from exc
    if not isinstance(raw, dict) or set(raw) != _ALL_FIELDS:
        raise MalformedEnvelope("envelope must have exactly the fields " + ", ".join(sorted(_ALL_FIELDS)))
    if raw["v"] != ENVELOPE_VERSION:
        raise MalformedEnvelope(f"envelope version {raw['v']!r} is not supported")
    sigs = raw["sigs"]
    if not isinstance(sigs, list):
        raise MalformedEnvelope("sigs must be a list")
    return Envelope(
        v=ENVELOPE_VERSION,
        id=_field(raw, "id", str),
        type=_field(raw, "type", str),
        county=_field(raw, "county", str),
        kiosk=_field(raw, "kiosk", str),
        seq=_field(raw, "seq", int),
        ts=_field(raw, "ts", int),
        clock=_field(raw, "clock", str),
        body=_field(raw, "body", dict),
        sigs=tuple(_parse_sig(s) for s in sigs),
    )
