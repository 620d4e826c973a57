"""Signed messages from the county to kiosks — commands, broadcasts, inbox deliveries, technician passes — pure.

A notice is canonical JSON `{v, kind, county, issued_ms, body, sig}`; the county ledger key (the one every kiosk
pins) signs `"lxt/down/v1\\n" ‖ canonical({v, kind, county, issued_ms, body})`. The kind is inside the signature,
so a broadcast cannot be replayed as a command or an inbox item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import KioskError, VerificationError
from kiosk.tx.verify import PublicKey

NOTICE_VERSION = 1
DOWN_SIGNING_DOMAIN = b"lxt/down/v1\n"
FIELDS = frozenset(("v", "kind", "county", "issued_ms", "body", "sig"))


class NoticeKind(StrEnum):
    COMMAND = "cmd"
    BROADCAST = "broadcast"
    INBOX = "inbox"
    TECH_PASS = "tech_pass"  # noqa: S105 — a notice kind: the technician pass of kiosk/techpass.py


class MalformedNotice(VerificationError):
    """Not a notice of this protocol version: wrong shape, not canonical, unknown kind."""


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    county: str
    issued_ms: int
    body: Mapping[str, Any]


def _message(kind: str, county: str, issued_ms: int, body: Mapping[str, Any]) -> bytes:
    unsigned = {"v": NOTICE_VERSION, "kind": kind, "county": county, "issued_ms": issued_ms, "body": dict(body)}
    return DOWN_SIGNING_DOMAIN + canonical.dumps(unsigned)


def sign_notice(kind: NoticeKind, county: str, issued_ms: int, body: Mapping[str, Any], signer: Signer) -> bytes:
    sig = signer.sign(_message(kind.value, county, issued_ms, body))
    return canonical.dumps(
        {
            "v": NOTICE_VERSION,
            "kind": kind.value,
            "county": county,
            "issued_ms": issued_ms,
            "body": dict(body),
            "sig": {"suite": signer.suite.name, "sig": b64u(sig)},
        }
    )


def open_notice(payload: bytes, county_key: PublicKey, county: str, kind: NoticeKind) -> Notice:
    """Parse and verify a notice of `kind` for `county`; VerificationError (MalformedNotice) for anything wrong."""
    try:
        data = canonical.loads(payload)
    except KioskError as exc:
        raise MalformedNotice(f"not canonical JSON: {exc}") from exc
    if not isinstance(data, Mapping) or set(data) != FIELDS or data["v"] != NOTICE_VERSION:
        raise MalformedNotice("not a notice of protocol version 1")
    body, sig, issued = data["body"], data["sig"], data["issued_ms"]
    if not isinstance(body, Mapping) or not isinstance(issued, int) or isinstance(issued, bool):
        raise MalformedNotice("a notice's body must be an object and issued_ms an integer")
    if not isinstance(sig, Mapping) or set(sig) != {"suite", "sig"} or not isinstance(sig["sig"], str):
        raise MalformedNotice("a notice's sig must be {suite, sig}")
    if data["kind"] != kind.value:
        raise VerificationError(f"a {data['kind']!r} notice where a {kind.value!r} one was expected")
    if data["county"] != county:
        raise VerificationError("the notice is for another county")
    if sig["suite"] != county_key.suite:
        raise VerificationError("the notice is signed with another suite than the county key")
    try:
        raw_sig = unb64u(sig["sig"])
    except KioskError as exc:
        raise MalformedNotice("the notice's signature is not base64url") from exc
    get_suite(county_key.suite).verify(county_key.key, _message(kind.value, county, issued, body), raw_sig)
    return Notice(kind, county, issued, body)
