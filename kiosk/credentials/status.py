"""Revocation and suspension: IETF Token Status Lists, pushed by the county as the broadcast of kind `status`.

A list is a bit string (1 or 2 bits per credential), zlib-compressed (RFC 1950) and base64url-encoded; entry
`idx` sits at bit `idx * bits` counted from the least significant bit of byte 0 (the IETF draft's order, not
the W3C Bitstring Status List's, which is GZIP and most significant bit first: never mix them). Each list in
the broadcast carries the claims a Status List Token would (`sub` = the uri credentials point at, `iat`,
`ttl`, `status_list: {bits, lst}`); the county's signature on the broadcast stands for the token signature.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.credentials.errors import (
    CredentialRevoked,
    CredentialSuspended,
    MalformedCredential,
    StatusUnknown,
)
from kiosk.credentials.sdjwt import StatusRef
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.errors import KioskError
from kiosk.store import deliveries

BROADCAST_KIND = "status"
MAX_LIST_BYTES = 1 << 20  # a decompressed list of a million bytes covers 8 million credentials at 1 bit
DEFAULT_MAX_AGE_S = 7 * 86_400  # a kiosk may be offline for days; older than this, a status is "unknown"


class TokenStatus(IntEnum):
    VALID = 0
    INVALID = 1  # revoked, for good
    SUSPENDED = 2
    APPLICATION_SPECIFIC = 3


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class StatusListBits(_Model):
    bits: Literal[1, 2]
    lst: str = Field(min_length=1, max_length=2_000_000, pattern=r"^[A-Za-z0-9_-]+$")


class StatusListEntry(_Model):
    sub: str = Field(min_length=1, max_length=300, description="the uri credentials name in status.status_list")
    iat: int = Field(ge=0, description="when the list was made (seconds)")
    ttl: int | None = Field(None, ge=0, description="seconds the list may be cached before a fresh one is due")
    status_list: StatusListBits


class StatusBroadcast(_Model):
    v: Literal[1]
    lists: list[StatusListEntry] = Field(max_length=1000)


def encode(statuses: Mapping[int, TokenStatus | int], bits: Literal[1, 2], size: int) -> str:
    """`lst` of a list of `size` entries where entry i has `statuses.get(i, 0)`."""
    raw = bytearray((size * bits + 7) // 8)
    for idx, value in statuses.items():
        if not 0 <= idx < size or not 0 <= int(value) < (1 << bits):
            raise MalformedCredential("status index or value out of range")
        pos = idx * bits
        raw[pos // 8] |= int(value) << (pos % 8)
    return b64u(zlib.compress(bytes(raw), 9))


def decode(lst: str) -> bytes:
    try:
        compressed = unb64u(lst)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_LIST_BYTES)
    except (KioskError, zlib.error) as exc:
        raise MalformedCredential("the status list is not base64url zlib") from exc
    if inflater.unconsumed_tail or not inflater.eof:
        raise MalformedCredential("the status list is too large or truncated")
    return raw


@dataclass(frozen=True, slots=True)
class StatusList:
    uri: str
    bits: int
    iat: int
    ttl: int | None
    raw: bytes

    def status(self, idx: int) -> TokenStatus:
        pos = idx * self.bits
        if idx < 0 or pos // 8 >= len(self.raw):
            raise MalformedCredential("the credential's status index is outside its list")
        return TokenStatus((self.raw[pos // 8] >> (pos % 8)) & ((1 << self.bits) - 1))


@dataclass(frozen=True, slots=True)
class StatusCheck:
    """A credential's status and how fresh the list that said so is (the wallet shows both)."""

    status: TokenStatus | None  # None: no list covers it (yet)
    as_of_s: int | None  # the list's iat
    fresh: bool


class StatusLists:
    """The lists the county last broadcast, by uri."""

    def __init__(self, lists: Mapping[str, StatusList]) -> None:
        self._lists = dict(lists)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StatusLists:
        try:
            payload = StatusBroadcast.model_validate(dict(data))
        except ValidationError as exc:
            raise MalformedCredential(f"status broadcast: {exc.errors()[0]['msg']}") from exc
        lists = {
            e.sub: StatusList(e.sub, e.status_list.bits, e.iat, e.ttl, decode(e.status_list.lst)) for e in payload.lists
        }
        return cls(lists)

    @classmethod
    def empty(cls) -> StatusLists:
        return cls({})

    def check(self, ref: StatusRef | None, now_s: int, max_age_s: int = DEFAULT_MAX_AGE_S) -> StatusCheck:
        """What the lists say about `ref`, without raising; a credential with no status reference is VALID."""
        if ref is None:
            return StatusCheck(TokenStatus.VALID, None, True)
        found = self._lists.get(ref.uri)
        if found is None:
            return StatusCheck(None, None, False)
        return StatusCheck(found.status(ref.idx), found.iat, now_s - found.iat <= max_age_s)

    def require_valid(self, ref: StatusRef | None, now_s: int, max_age_s: int = DEFAULT_MAX_AGE_S) -> StatusCheck:
        """The check, or the refusal: revoked, suspended, or a status nobody can vouch for right now."""
        result = self.check(ref, now_s, max_age_s)
        if result.status is TokenStatus.INVALID:
            raise CredentialRevoked("the issuer revoked this credential")
        if result.status in (TokenStatus.SUSPENDED, TokenStatus.APPLICATION_SPECIFIC):
            raise CredentialSuspended("the issuer suspended this credential")
        if result.status is None or not result.fresh:
            raise StatusUnknown("no fresh status list covers this credential")
        return result


def load(conn: sqlite3.Connection) -> StatusLists:
    """The status lists the county last broadcast (none yet: an empty set, every status unknown)."""
    found = deliveries.broadcast(conn, BROADCAST_KIND)
    return StatusLists.empty() if found is None else StatusLists.from_json(found.payload)
