"""Presentation requests the county delivered to a villager through the kiosk's inbox, waiting for an answer.

A verifier may send its signed request to a villager's kiosk (`lxt-county request --to-did DID --inbox KIOSK`)
instead of showing a QR: lxt-sync stores it as an inbox item of kind `presentation_request`, payload
`{"holder": DID, "request": "<compact request>"}`, item id the first 32 hex of the request id. The share screen
offers the villager's pending ones. A request is pending while it verifies against the current trust list, has
not expired, and has not been answered (answering marks its item handled, in the database transaction that
queues the answer). Qt-free; every function reads inside the caller's connection.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from kiosk.credentials.errors import CredentialError
from kiosk.credentials.request import PresentationRequest, parse_request, request_id
from kiosk.credentials.trust import TrustList
from kiosk.store import deliveries

logger = logging.getLogger(__name__)

INBOX_KIND = "presentation_request"
MAX_OFFERED = 4  # the share screen offers at most this many, newest first


@dataclass(frozen=True, slots=True)
class PendingRequest:
    item_id: str
    received_ms: int
    request: PresentationRequest

    @property
    def token(self) -> str:
        return self.request.token


def item_id_of(token: str) -> str:
    """The inbox item id a request is delivered under: the same for every retry, so it is stored once."""
    return request_id(token)[:32]


def pending(
    conn: sqlite3.Connection, did: str, trust: TrustList, *, now_s: int, limit: int = MAX_OFFERED
) -> list[PendingRequest]:
    """The villager's unanswered, unexpired requests that verify, newest first, at most `limit`."""
    out: list[PendingRequest] = []
    items = deliveries.inbox(conn, INBOX_KIND, unhandled=True)
    for item in sorted(items, key=lambda i: i.received_ms, reverse=True):
        payload = item.payload if isinstance(item.payload, dict) else {}
        token = payload.get("request")
        if payload.get("holder") != did or not isinstance(token, str):
            continue
        try:
            found = parse_request(token, trust, now_s=now_s)
        except CredentialError as exc:  # expired, or a verifier the list no longer allows: not offered
            logger.info("an inbox request is not offered: %s", exc.reason.value)
            continue
        out.append(PendingRequest(item.id, item.received_ms, found))
        if len(out) >= limit:
            break
    return out


def mark_answered(conn: sqlite3.Connection, token: str, now_ms: int) -> bool:
    """Inside the transaction that queues the answer: the request's inbox item (if it came so) is handled."""
    return deliveries.mark_handled(conn, item_id_of(token), now_ms)
