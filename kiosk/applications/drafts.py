"""The sealed store of a villager's one unfinished application, shared by loans and government services.

One draft per villager and kind (table `loan_draft` or `service_draft`, the same columns), sealed under the
device secret and bound to its holder, so a copied blob opens for no one else. A draft older than its kind's
`draft_resume_s` is wiped the next time it is looked at, and the villager is told so (`<kind>.draft.expired`).
What a draft holds is its kind's own typed class; this store sees only its JSON and `started_ms`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.sealing import Sealer
from kiosk.errors import KioskError, UserFacingError


class DraftKind(StrEnum):
    """The kinds of draft, each with its own table, sealing key, context and messages (never from input)."""

    LOAN = "loan"
    SERVICE = "service"


@dataclass(frozen=True, slots=True, repr=False)
class Page:
    """A photographed paper material that passed the quality check."""

    jpeg: bytes
    sharpness: int

    def __repr__(self) -> str:
        return f"Page({len(self.jpeg)} bytes)"


class Draft(Protocol):
    @property
    def started_ms(self) -> int: ...

    def to_json(self) -> dict[str, Any]: ...


D = TypeVar("D", bound=Draft)


class SealedDraftStore(Generic[D]):
    """Save, load and wipe the one draft of each villager, of one kind."""

    def __init__(
        self, kind: DraftKind, device_secret: bytes, resume_s: int, from_json: Callable[[dict[str, Any]], D]
    ) -> None:
        self._kind = kind
        self._table = f"{kind.value}_draft"  # from the closed DraftKind, so safe to put in the SQL
        self._sealer = Sealer(device_secret, f"{kind.value}-draft")
        self._resume_ms = resume_s * 1000
        self._from_json = from_json

    def _context(self, holder: str) -> str:
        return f"{self._table}:{holder}"

    def save(self, conn: sqlite3.Connection, holder: str, draft: D, now_ms: int) -> None:
        sealed = self._sealer.seal(canonical.dumps(draft.to_json()), self._context(holder))
        conn.execute(
            f"INSERT INTO {self._table} (holder, sealed, started_ms, updated_ms) VALUES (?, ?, ?, ?) "  # noqa: S608
            "ON CONFLICT (holder) DO UPDATE SET sealed = excluded.sealed, updated_ms = excluded.updated_ms",
            (holder, sealed, draft.started_ms, now_ms),
        )

    def wipe(self, conn: sqlite3.Connection, holder: str) -> bool:
        return conn.execute(f"DELETE FROM {self._table} WHERE holder = ?", (holder,)).rowcount == 1  # noqa: S608

    def load(self, conn: sqlite3.Connection, holder: str, now_ms: int) -> tuple[D | None, UserFacingError | None]:
        """The villager's draft, or None. Past the time limit (or unopenable) it is wiped and the second item says
        why, for the caller to raise once its transaction has committed the wipe."""
        row = conn.execute(
            f"SELECT sealed, updated_ms FROM {self._table} WHERE holder = ?",  # noqa: S608
            (holder,),
        ).fetchone()
        if row is None:
            return None, None
        if now_ms - int(row[1]) > self._resume_ms:
            self.wipe(conn, holder)
            return None, UserFacingError(f"{self._kind.value}.draft.expired", minutes=self._resume_ms // 60_000)
        try:
            data = canonical.loads(self._sealer.open(bytes(row[0]), self._context(holder)))
            return self._from_json(dict(data)), None
        except (KioskError, KeyError, TypeError, ValueError):
            self.wipe(conn, holder)  # a draft that does not open is of no use to anyone
            return None, UserFacingError(f"{self._kind.value}.draft.unreadable")


def pages_to_json(pages: dict[str, Page]) -> dict[str, Any]:
    return {k: {"jpeg": b64u(p.jpeg), "sharpness": p.sharpness} for k, p in pages.items()}


def pages_from_json(raw: Any) -> dict[str, Page]:
    return {str(k): Page(unb64u(str(v["jpeg"])), int(v["sharpness"])) for k, v in dict(raw).items()}
