"""The typed draft of a service request, and its sealed copy that lets an interrupted session resume.

One draft per villager (table `service_draft`), sealed under the device secret and bound to its holder, so a
copied blob opens for no one else. A draft older than `services.draft_resume_s` is wiped the next time it is
looked at, and the villager is told so.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.sealing import Sealer
from kiosk.errors import KioskError, UserFacingError
from kiosk.loans.drafts import Page
from kiosk.services.catalog import Answer


class ServiceStep(StrEnum):
    SERVICE = "service"  # choose a service
    FORM = "form"  # the form: pre-filled fields shown, the rest entered
    MATERIALS = "materials"  # paper materials photographed
    CONFIRM = "confirm"  # the preview of what the office will see, confirmed with the PIN
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(slots=True, repr=False)
class ServiceDraft:
    step: ServiceStep = ServiceStep.SERVICE
    started_ms: int = 0
    catalog_version: int = 0
    service: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)  # typed field id → answer
    credentials: dict[str, str] = field(default_factory=dict)  # vct → credential id in the wallet
    pages: dict[str, Page] = field(default_factory=dict)  # material id → page

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "started_ms": self.started_ms,
            "catalog_version": self.catalog_version,
            "service": self.service,
            "answers": dict(self.answers),
            "credentials": dict(self.credentials),
            "pages": {k: {"jpeg": b64u(p.jpeg), "sharpness": p.sharpness} for k, p in self.pages.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServiceDraft:
        pages = {str(k): Page(unb64u(str(v["jpeg"])), int(v["sharpness"])) for k, v in dict(data["pages"]).items()}
        answers: dict[str, Answer] = {}
        for k, v in dict(data["answers"]).items():
            if not isinstance(v, str | int | bool):
                raise TypeError("a draft answer of another type")
            answers[str(k)] = v
        return cls(
            ServiceStep(data["step"]),
            int(data["started_ms"]),
            int(data["catalog_version"]),
            str(data["service"]),
            answers,
            {str(k): str(v) for k, v in dict(data["credentials"]).items()},
            pages,
        )

    def wipe(self) -> None:
        self.pages.clear()
        self.credentials.clear()
        self.answers.clear()
        self.service = ""

    def __repr__(self) -> str:
        return f"ServiceDraft({self.step.value}, ***)"


class ServiceDraftStore:
    """Save, load and wipe the one service draft of each villager."""

    def __init__(self, device_secret: bytes, resume_s: int) -> None:
        self._sealer = Sealer(device_secret, "service-draft")
        self._resume_ms = resume_s * 1000

    @staticmethod
    def _context(holder: str) -> str:
        return f"service_draft:{holder}"

    def save(self, conn: sqlite3.Connection, holder: str, draft: ServiceDraft, now_ms: int) -> None:
        sealed = self._sealer.seal(canonical.dumps(draft.to_json()), self._context(holder))
        conn.execute(
            "INSERT INTO service_draft (holder, sealed, started_ms, updated_ms) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (holder) DO UPDATE SET sealed = excluded.sealed, updated_ms = excluded.updated_ms",
            (holder, sealed, draft.started_ms, now_ms),
        )

    def wipe(self, conn: sqlite3.Connection, holder: str) -> bool:
        return conn.execute("DELETE FROM service_draft WHERE holder = ?", (holder,)).rowcount == 1

    def load(
        self, conn: sqlite3.Connection, holder: str, now_ms: int
    ) -> tuple[ServiceDraft | None, UserFacingError | None]:
        """The villager's draft, or None. Past the time limit (or unopenable) it is wiped and the second item says
        why, for the caller to raise once its transaction has committed the wipe."""
        row = conn.execute("SELECT sealed, updated_ms FROM service_draft WHERE holder = ?", (holder,)).fetchone()
        if row is None:
            return None, None
        if now_ms - int(row[1]) > self._resume_ms:
            self.wipe(conn, holder)
            return None, UserFacingError("service.draft.expired", minutes=self._resume_ms // 60_000)
        try:
            data = canonical.loads(self._sealer.open(bytes(row[0]), self._context(holder)))
            return ServiceDraft.from_json(dict(data)), None
        except (KioskError, KeyError, TypeError, ValueError):
            self.wipe(conn, holder)  # a draft that does not open is of no use to anyone
            return None, UserFacingError("service.draft.unreadable")
