"""A villager's service requests and their status, as the office reported it through the inbox.

The office answers with inbox deliveries of kind `service_status` (docs/protocol.md): `{request, did, status,
at_ms, reason?, materials?}`. The history of a request is every such delivery for it, oldest first; its status
is the newest one's, or `submitted` while nothing has come back yet.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.applications.status import event_words, inbox_history

logger = logging.getLogger(__name__)

INBOX_KIND = "service_status"


class ServiceStatus(StrEnum):
    SUBMITTED = "submitted"  # queued here; the office has not answered yet
    RECEIVED = "received"
    MORE_MATERIALS = "more_materials"
    APPROVED = "approved"  # an application granted (e.g. the disability allowance)
    ISSUED = "issued"  # a document issued (e.g. the tax certificate)
    REJECTED = "rejected"


ZH: Mapping[ServiceStatus, str] = {
    ServiceStatus.SUBMITTED: "已提交，等待办理部门接收",
    ServiceStatus.RECEIVED: "办理部门已收到",
    ServiceStatus.MORE_MATERIALS: "需要补充材料",
    ServiceStatus.APPROVED: "已批准",
    ServiceStatus.ISSUED: "已办结，证明已开具",
    ServiceStatus.REJECTED: "未通过",
}
FINAL = frozenset({ServiceStatus.APPROVED, ServiceStatus.ISSUED, ServiceStatus.REJECTED})


@dataclass(frozen=True, slots=True)
class ServiceEvent:
    status: ServiceStatus
    at_ms: int
    reason: str = ""
    materials: tuple[str, ...] = ()

    def words(self) -> str:
        """The event in plain words: "已批准", "未通过（不是本县户籍）", "需要补充材料：残疾人证"."""
        return event_words(ZH[self.status], self.materials, self.reason)


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    number: str
    holder: str
    tx_id: str
    office_name: str
    service: str
    service_name: str
    created_ms: int
    history: tuple[ServiceEvent, ...]

    @property
    def status(self) -> ServiceStatus:
        return self.history[-1].status if self.history else ServiceStatus.SUBMITTED

    @property
    def finished(self) -> bool:
        return self.status in FINAL


def parse_event(payload: Any) -> tuple[str, str, ServiceEvent] | None:
    """(request, did, event) of one inbox payload, or None (logged) if it is not a service status."""
    if not isinstance(payload, Mapping):
        return None
    try:
        status = ServiceStatus(str(payload.get("status")))
    except ValueError:
        logger.warning("a service status delivery with an unknown status was ignored")
        return None
    req, did, at = payload.get("request"), payload.get("did"), payload.get("at_ms")
    reason, mats = payload.get("reason", ""), payload.get("materials", [])
    if not isinstance(req, str) or not isinstance(did, str) or not isinstance(reason, str):
        logger.warning("a malformed service status delivery was ignored")
        return None
    if isinstance(at, bool) or not isinstance(at, int):
        logger.warning("a service status delivery without a time was ignored")
        return None
    if not isinstance(mats, list) or not all(isinstance(m, str) for m in mats):
        logger.warning("a service status delivery with malformed materials was ignored")
        return None
    return req, did, ServiceEvent(status, at, reason[:200], tuple(m[:30] for m in mats[:6]))


def history(conn: sqlite3.Connection) -> dict[tuple[str, str], list[ServiceEvent]]:
    """Every service status event held, by (request, did), oldest first (kiosk/applications/status.py)."""
    return inbox_history(conn, INBOX_KIND, parse_event)


def requests(conn: sqlite3.Connection, holder: str) -> list[ServiceRequest]:
    """The villager's requests, newest first, each with its history (only events naming this holder)."""
    events = history(conn)
    rows = conn.execute(
        "SELECT number, holder, tx_id, office_name, service, service_name, created_ms FROM service_request "
        "WHERE holder = ? ORDER BY created_ms DESC, number",
        (holder,),
    ).fetchall()
    return [
        ServiceRequest(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            int(r[6]),
            tuple(events.get((str(r[0]), str(r[1])), [])),
        )
        for r in rows
    ]
