"""The typed draft of a loan application, and its sealed copy that lets an interrupted session resume.

One draft per villager (table `loan_draft`), kept by the store shared with service requests
(kiosk/applications/drafts.py): sealed under the device secret and bound to its holder, wiped once older than
`loans.draft_resume_s` (`loan.draft.expired`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.applications.drafts import DraftKind, Page, SealedDraftStore, pages_from_json, pages_to_json

__all__ = ["DraftStore", "LoanDraft", "LoanStep", "Page"]


class LoanStep(StrEnum):
    PRODUCT = "product"  # 1. choose a product
    DETAILS = "details"  # 2. its details in plain words
    FORM = "form"  # 3. purpose, amount, term (basic information pre-filled)
    ATTACH = "attach"  # 4. credentials by selective disclosure, paper materials photographed
    CONFIRM = "confirm"  # 5. the preview of what the bank will see, confirmed with the PIN
    DONE = "done"
    CANCELLED = "cancelled"


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
            "pages": pages_to_json(self.pages),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoanDraft:
        pages = pages_from_json(data["pages"])
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


class DraftStore(SealedDraftStore[LoanDraft]):
    """Save, load and wipe the one loan draft of each villager."""

    def __init__(self, device_secret: bytes, resume_s: int) -> None:
        super().__init__(DraftKind.LOAN, device_secret, resume_s, LoanDraft.from_json)
