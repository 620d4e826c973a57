"""The typed draft of a loan application, and its sealed copy that lets an interrupted session resume.

One draft per villager (table `loan_draft`), sealed under the device secret and bound to its holder, so a
copied blob opens for no one else. A draft older than `loans.draft_resume_s` is wiped the next time it is
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


class LoanStep(StrEnum):
    PRODUCT = "product"  # 1. choose a product
    DETAILS = "details"  # 2. its details in plain words
    FORM = "form"  # 3. purpose, amount, term (basic information pre-filled)
    ATTACH = "attach"  # 4. credentials by selective disclosure, paper materials photographed
    CONFIRM = "confirm"  # 5. the preview of what the bank will see, confirmed with the PIN
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True, repr=False)
class Page:
    """A photographed paper material that passed the quality check."""

    jpeg: bytes
    sharpness: int

    def __repr__(self) -> str:
        return f"Page({len(self.jpeg)} bytes)"


@dataclass(slots=True, repr=False)
class LoanDraft:
    step: LoanStep = LoanStep.PRODUCT
    started_ms: int = 0
    catalog_version: int = 0
    product: str = ""
    purpose: str = ""
    amount_fen: int = 0
    term_months: int = 0
    credentials: dict[str, str] = field(default_factory=dict)  # vct → credential id in the wallet
    pages: dict[str, Page] = field(default_factory=dict)  # material id → page

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "started_ms": self.started_ms,
            "catalog_version": self.catalog_version,
            "product": self.product,
            "purpose": self.purpose,
            "amount_fen": self.amount_fen,
            "term_months": self.term_months,
            "credentials": dict(self.credentials),
            "pages": {k: {"jpeg": b64u(p.jpeg), "sharpness": p.sharpness} for k, p in self.pages.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoanDraft:
        pages = {str(k): Page(unb64u(str(v["jpeg"])), int(v["sharpness"])) for k, v in dict(data["pages"]).items()}
        return cls(
            LoanStep(data["step"]),
            int(data["started_ms"]),
            int(data["catalog_version"]),
            str(data["product"]),
            str(data["purpose"]),
            int(data["amount_fen"]),
            int(data["term_months"]),
            {str(k): str(v) for k, v in dict(data["credentials"]).items()},
            pages,
        )

    def wipe(self) -> None:
        self.pages.clear()
        self.credentials.clear()
        self.purpose = self.product = ""
        self.amount_fen = self.term_months = 0

    def __repr__(self) -> str:
        return f"LoanDraft({self.step.value}, ***)"


class DraftStore:
    """Save, load and wipe the one draft of each villager."""

    def __init__(self, device_secret: bytes, resume_s: int) -> None:
        self._sealer = Sealer(device_secret, "loan-draft")
        self._resume_ms = resume_s * 1000

    @staticmethod
    def _context(holder: str) -> str:
        return f"loan_draft:{holder}"

    def save(self, conn: sqlite3.Connection, holder: str, draft: LoanDraft, now_ms: int) -> None:
        sealed = self._sealer.seal(canonical.dumps(draft.to_json()), self._context(holder))
        conn.execute(
            "INSERT INTO loan_draft (holder, sealed, started_ms, updated_ms) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (holder) DO UPDATE SET sealed = excluded.sealed, updated_ms = excluded.updated_ms",
            (holder, sealed, draft.started_ms, now_ms),
        )

    def wipe(self, conn: sqlite3.Connection, holder: str) -> bool:
        return conn.execute("DELETE FROM loan_draft WHERE holder = ?", (holder,)).rowcount == 1

    def load(
        self, conn: sqlite3.Connection, holder: str, now_ms: int
    ) -> tuple[LoanDraft | None, UserFacingError | None]:
        """The villager's draft, or None. Past the time limit (or unopenable) it is wiped and the second item says
        why, for the caller to raise once its transaction has committed the wipe."""
        row = conn.execute("SELECT sealed, updated_ms FROM loan_draft WHERE holder = ?", (holder,)).fetchone()
        if row is None:
            return None, None
        if now_ms - int(row[1]) > self._resume_ms:
            self.wipe(conn, holder)
            return None, UserFacingError("loan.draft.expired", minutes=self._resume_ms // 60_000)
        try:
            data = canonical.loads(self._sealer.open(bytes(row[0]), self._context(holder)))
            return LoanDraft.from_json(dict(data)), None
        except (KioskError, KeyError, TypeError, ValueError):
            self.wipe(conn, holder)  # a draft that does not open is of no use to anyone
            return None, UserFacingError("loan.draft.unreadable")
