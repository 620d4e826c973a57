"""Credentials the county delivers through the inbox, taken into the wallet by lxt-sync as they arrive.

Runs inside the transaction that stored the inbox item (or applied a trust or status broadcast), so a delivery
lands in the wallet while the touchscreen app is closed and nothing is half done after a crash. Each item is
handled once: kept in the wallet (audit `credential.received`), or refused with its reason (audit
`credential.refused`; the inbox row stays, handled, so the refusal and what was refused can be looked at). Until
the first trust list has arrived nothing is judged: an issuer cannot be trusted before the list that names it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass

from kiosk.credentials import sdjwt, status, trust
from kiosk.credentials.errors import CredentialError, MalformedCredential, NotBoundToHolder
from kiosk.credentials.wallet import INBOX_KIND, Holder, IssuerKeys, Source, Wallet, accept_credential
from kiosk.identity import did as didm
from kiosk.ports import ClockReading
from kiosk.store import audit, deliveries
from kiosk.store.audit import AuditAction

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Refused:
    item_id: str
    reason: str  # the Refusal value, e.g. "bad_signature"
    ts_ms: int


def holder_of(conn: sqlite3.Connection, did: str) -> Holder:
    """The villager enrolled on this kiosk under `did`, with their current key; NotBoundToHolder otherwise."""
    if conn.execute("SELECT 1 FROM person WHERE did = ?", (did,)).fetchone() is None:
        raise NotBoundToHolder("the holder is not a villager enrolled on this kiosk")
    rows = conn.execute("SELECT event FROM did_event WHERE did = ? ORDER BY n", (did,)).fetchall()
    state = didm.resolve(did, [didm.KeyEvent.from_json(json.loads(bytes(r[0]))) for r in rows])
    return Holder(did, state.suite, state.public_key)


def take(conn: sqlite3.Connection, wallet: Wallet, when: ClockReading, now_ms: int) -> int:
    """Import every unhandled credential delivery, inside the caller's transaction; returns how many were handled."""
    trusted = trust.load(conn)
    if trusted is None:
        return 0
    keys, lists = IssuerKeys(trusted, None), status.load(conn)
    items = deliveries.inbox(conn, INBOX_KIND, unhandled=True)
    for item in items:
        payload = item.payload if isinstance(item.payload, dict) else {}
        did, token = payload.get("holder"), payload.get("sd_jwt")
        conn.execute("SAVEPOINT delivery")  # a refusal undoes only this item's partial work
        try:
            if not isinstance(did, str) or not isinstance(token, str):
                raise MalformedCredential("the delivery needs holder and sd_jwt as text")
            entry = accept_credential(
                conn,
                wallet,
                token,
                holder_of(conn, did),
                keys,
                lists,
                now_ms=now_ms,
                source=Source.INBOX,
                max_bytes=sdjwt.MAX_CREDENTIAL_BYTES,
            )
            conn.execute("RELEASE delivery")
            detail = {"item": item.id, "vct": entry.vct}
            audit.append(conn, when, AuditAction.CREDENTIAL_RECEIVED, "county", did, detail)
        except CredentialError as exc:
            conn.execute("ROLLBACK TO delivery")
            conn.execute("RELEASE delivery")
            logger.warning("a delivered credential was refused: %s", exc.reason.value)
            detail = {"item": item.id, "reason": exc.reason.value, "why": exc.detail[:200]}
            audit.append(conn, when, AuditAction.CREDENTIAL_REFUSED, "county", str(did)[:120], detail)
        deliveries.mark_handled(conn, item.id, now_ms)
    return len(items)


def refused(conn: sqlite3.Connection) -> list[Refused]:
    """Every delivery refused so far, with its reason (from the audit log, which keeps them for good)."""
    rows = conn.execute(
        "SELECT ts_ms, detail FROM audit WHERE action = ? ORDER BY seq", (AuditAction.CREDENTIAL_REFUSED.value,)
    ).fetchall()
    out = []
    for ts_ms, detail in rows:
        data = json.loads(detail)
        out.append(Refused(str(data.get("item", "")), str(data.get("reason", "")), int(ts_ms)))
    return out
