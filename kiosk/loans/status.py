"""A villager's loan applications and their status, as the bank reported it through the inbox.

The bank answers with inbox deliveries of kind `loan_status` (docs/protocol.md): `{application, did, status,
at_ms, amount_fen?, reason?, materials?}`. The history of an application is every such delivery for it, oldest
first; its status is the newest one's, or `submitted` while nothing has come back yet.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.applications.status import event_words, inbox_history
from kiosk.loans.money import format_fen

logger = logging.getLogger(__name__)

INBOX_KIND = "loan_status"


class LoanStatus(StrEnum):
    SUBMITTED = "submitted"  # queued here; the bank has not answered yet
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    MORE_MATERIALS = "more_materials"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISBURSED = "disbursed"
    WITHDRAWN = "withdrawn"


ZH: Mapping[LoanStatus, str] = {
    LoanStatus.SUBMITTED: "已提交，等待银行接收",
    LoanStatus.RECEIVED: "银行已收到",
    LoanStatus.UNDER_REVIEW: "银行审核中",
    LoanStatus.MORE_MATERIALS: "需要补充材料",
    LoanStatus.APPROVED: "已批准",
    LoanStatus.REJECTED: "未通过",
    LoanStatus.DISBURSED: "已放款",
    LoanStatus.WITHDRAWN: "已撤回",
}
FINAL = frozenset({LoanStatus.REJECTED, LoanStatus.DISBURSED, LoanStatus.WITHDRAWN})


@dataclass(frozen=True, slots=True)
class StatusEvent:
    status: LoanStatus
    at_ms: int
    amount_fen: int | None = None
    reason: str = ""
    materials: tuple[str, ...] = ()

    def words(self) -> str:
        """The event in plain words: "已批准：3万元", "未通过：年龄不符合", "需要补充材料：营业执照"."""
        head = ZH[self.status] if self.amount_fen is None else f"{ZH[self.status]}：{format_fen(self.amount_fen)}"
        return event_words(head, self.materials, self.reason)


@dataclass(frozen=True, slots=True)
class Application:
    number: str
    holder: str
    tx_id: str
    bank_name: str
    product_name: str
    amount_fen: int
    term_months: int
    created_ms: int
    withdrawn: bool
    history: tuple[StatusEvent, ...]

    @property
    def status(self) -> LoanStatus:
        if self.history:
            return self.history[-1].status
        return LoanStatus.WITHDRAWN if self.withdrawn else LoanStatus.SUBMITTED

    @property
    def can_withdraw(self) -> bool:
        return not self.withdrawn and self.status not in FINAL and self.status is not LoanStatus.APPROVED


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_event(payload: Any) -> tuple[str, str, StatusEvent] | None:
    """(application, did, event) of one inbox payload, or None (logged) if it is not a loan status."""
    if not isinstance(payload, Mapping):
        return None
    try:
        status = LoanStatus(str(payload.get("status")))
    except ValueError:
        logger.warning("a loan status delivery with an unknown status was ignored")
        return None
    app, did, at = payload.get("application"), payload.get("did"), _int(payload.get("at_ms"))
    reason, mats = payload.get("reason", ""), payload.get("materials", [])
    if not isinstance(app, str) or not isinstance(did, str) or at is None or not isinstance(reason, str):
        logger.warning("a malformed loan status delivery was ignored")
        return None
    if not isinstance(mats, list) or not all(isinstance(m, str) for m in mats):
        return None
    return app, did, StatusEvent(status, at, _int(payload.get("amount_fen")), reason[:200], tuple(mats))


def history(conn: sqlite3.Connection) -> dict[tuple[str, str], list[StatusEvent]]:
    """Every loan status event held, by (application, did), oldest first (kiosk/applications/status.py)."""
    return inbox_history(conn, INBOX_KIND, parse_event)


_COLUMNS = (
    "number, holder, tx_id, bank_name, product_name, amount_fen, term_months, created_ms, withdraw_tx IS NOT NULL"
)


def applications(conn: sqlite3.Connection, holder: str) -> list[Application]:
    """The villager's applications, newest first, each with its history (only events naming this holder)."""
    events = history(conn)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM loan_application WHERE holder = ? ORDER BY created_ms DESC, number",  # noqa: S608
        (holder,),
    ).fetchall()
    out = []
    for r in rows:
        number, did = str(r[0]), str(r[1])
        out.append(
            Application(
                number,
                did,
                str(r[2]),
                str(r[3]),
                str(r[4]),
                int(r[5]),
                int(r[6]),
                int(r[7]),
                bool(r[8]),
                tuple(events.get((number, did), [])),
            )
        )
    return out
