"""Who is a village cadre: the county's signed roster, a broadcast of kind `roles`, checked where it is read.

lxt-sync stores every verified broadcast as it came (`broadcast` table, kiosk/store/deliveries.py); this module
is the border for the `roles` payload, `{"cadres": [{"did", "name", "village"}]}` (docs/protocol.md). A cadre
is a person enrolled on this kiosk whose DID is on the roster; a kiosk with no roster, or with a roster that
does not fit the schema, has no cadres.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.errors import DomainError
from kiosk.store import deliveries

logger = logging.getLogger(__name__)

ROLES_KIND = "roles"
MAX_CADRES = 5000  # every cadre of a county of 450 villages, with room to spare
_DID = r"^did:lxt:[0-9]{6}:[1-9A-HJ-NP-Za-km-z]{16,24}$"


class InvalidRoster(DomainError):
    """A `roles` payload that does not fit its schema."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    did: str = Field(pattern=_DID)
    name: str = Field(min_length=1, max_length=20, description="the name the banner shows")
    village: str = Field(min_length=1, max_length=40)

    @field_validator("name", "village")
    @classmethod
    def _printable(cls, value: str) -> str:
        if value != value.strip() or not value.isprintable():
            raise ValueError("must be printable text without surrounding blanks")
        return value


class _Roles(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    cadres: list[_Entry] = Field(max_length=MAX_CADRES)


@dataclass(frozen=True, slots=True)
class Cadre:
    did: str
    name: str
    village: str


@dataclass(frozen=True, slots=True)
class Roster:
    version: int
    cadres: Mapping[str, Cadre]  # by DID

    def find(self, did: str) -> Cadre | None:
        return self.cadres.get(did)


def parse_roles(payload: Any, version: int = 0) -> Roster:
    """The roster in a `roles` payload; InvalidRoster names the first problem."""
    try:
        roles = _Roles.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        raise InvalidRoster(f"roles: {where}: {first['msg']}") from exc
    cadres: dict[str, Cadre] = {}
    for entry in roles.cadres:
        if entry.did in cadres:
            raise InvalidRoster("roles: a DID is listed twice")
        cadres[entry.did] = Cadre(entry.did, entry.name, entry.village)
    return Roster(version, cadres)


def load_roster(conn: sqlite3.Connection) -> Roster | None:
    """The roster held, or None if the county has sent none (or one this release cannot read)."""
    held = deliveries.broadcast(conn, ROLES_KIND)
    if held is None:
        return None
    try:
        return parse_roles(held.payload, held.version)
    except InvalidRoster as exc:
        # Signed by the county yet malformed: a county-side bug. Nobody is a cadre until a good one arrives.
        logger.warning("the cadre roster (version %d) is not usable: %s", held.version, exc)
        return None
