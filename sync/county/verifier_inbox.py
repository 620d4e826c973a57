"""The verifiers' inbox at the county: presentations delivered through the county, relayed without being read.

A villager answering a request with `response: "county"` queues `presentation.deliver` (the presentation and the
request sealed with HPKE to the verifier's `enc` key). Once a block holding one is sealed, the bridge's relay
(`VerifierRelay.scan`, run by `lxt-county bridge --credentials`) files it in the credential office's
`verifier_inbox` table — a cursor in the office, moved in the same write transaction, so two bridges or a
restart never file one twice and a bridge that died after sealing catches up. The county holds only the sealed
blob: the verifier's private key is the only one that opens it.

`lxt-county verifier inbox NAME` opens each unread item with the verifier's key and checks it with
`kiosk.credentials.verifier` against the office's trust and status lists: the request inside must be the
verifier's own (its signature, and the request id the transaction names), and the presentation must answer it
(nonce, audience, exactly the claims asked, an accepted issuer). Times are judged as of the transaction's `ts`,
when the villager made it (signed by them and the kiosk, committed by the county), so a kiosk that was offline
for a while still delivers; revocation is judged by the current status lists.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import dataclass
from typing import Any

from kiosk.credentials import request as requestm
from kiosk.credentials import sdjwt, verifier
from kiosk.credentials.errors import CredentialError, VerifierNotAllowed
from kiosk.credentials.sealed import open_presentation
from kiosk.credentials.status import StatusLists
from kiosk.credentials.trust import TrustList
from kiosk.errors import ConfigError, VerificationError
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import PresentationDeliverBody, validate_body
from sync.county.credstore import CredentialOffice
from sync.county.ledger import LedgerReader, wall_ms

logger = logging.getLogger(__name__)

CURSOR = "presentation_height"  # the next block height whose deliveries are still to be filed
TX_TYPE = "presentation.deliver"


class VerifierRelay:
    def __init__(self, office: CredentialOffice, ledger: LedgerReader) -> None:
        self.office = office
        self.ledger = ledger
        self.relayed = 0

    def scan(self, now_ms: int) -> int:
        """File the deliveries of every block sealed since the cursor; returns how many were filed."""
        filed = 0
        row = self.office.conn.execute("SELECT value FROM meta WHERE key = ?", (CURSOR,)).fetchone()
        if (0 if row is None else int(row[0])) >= self.ledger.height():
            return 0  # nothing new sealed: no write lock taken on the shared office
        while True:
            with self.office.write() as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = ?", (CURSOR,)).fetchone()
                height = 0 if row is None else int(row[0])
                if height >= self.ledger.height():
                    if filed:
                        logger.info("filed %d presentation(s) for verifiers", filed)
                    self.relayed += filed
                    return filed
                for _idx, tx_id, raw in self.ledger.envelopes(height):
                    env = envm.parse(raw)
                    if env.type != TX_TYPE:
                        continue
                    body = validate_body(env.type, env.body)
                    if not isinstance(body, PresentationDeliverBody):
                        raise TypeError("presentation.deliver validated to another body")
                    cur = conn.execute(
                        "INSERT INTO verifier_inbox (tx, verifier, request, did, ts_ms, sealed, relayed_ms) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tx) DO NOTHING",
                        (
                            tx_id,
                            body.verifier,
                            body.request,
                            body.did,
                            env.ts,
                            json.dumps(body.sealed.model_dump()),
                            now_ms,
                        ),
                    )
                    filed += cur.rowcount
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (CURSOR, str(height + 1)),
                )


@dataclass(frozen=True, slots=True)
class InboxRow:
    tx: str
    request: str
    did: str
    ts_ms: int
    sealed: dict[str, Any]


def unread(office: CredentialOffice, verifier_id: str, *, everything: bool = False) -> list[InboxRow]:
    sql = "SELECT tx, request, did, ts_ms, sealed FROM verifier_inbox WHERE verifier = ?"
    if not everything:
        sql += " AND read_ms IS NULL"
    rows = office.conn.execute(sql + " ORDER BY relayed_ms, tx", (verifier_id,)).fetchall()
    return [InboxRow(str(t), str(r), str(d), int(ts), json.loads(s)) for t, r, d, ts, s in rows]


def open_item(
    row: InboxRow, office: CredentialOffice, name: str, trust: TrustList, lists: StatusLists
) -> dict[str, Any]:
    """Open one delivery with the verifier's key and check it; the disclosed claims, or the CredentialError."""
    try:
        opened = open_presentation(row.sealed, office.enc_private(name), row.request)
    except VerificationError as exc:
        raise VerifierNotAllowed(f"does not open: {exc}") from exc
    if requestm.request_id(opened.request) != row.request:
        raise VerifierNotAllowed("the sealed request is not the one the transaction names")
    as_of_s = row.ts_ms // 1000
    req = requestm.parse_request(opened.request, trust, now_s=as_of_s, max_bytes=sdjwt.MAX_CREDENTIAL_BYTES)
    if req.verifier.id != office.party(name).id:
        raise VerifierNotAllowed("the sealed request is another verifier's")
    found = verifier.verify_presentation(
        opened.presentation,
        trust=trust,
        lists=lists,
        nonce=req.payload.nonce,
        aud=req.payload.aud,
        now_s=as_of_s,
        request=req.payload,
        max_bytes=sdjwt.MAX_CREDENTIAL_BYTES,
    )
    return {"purpose": req.payload.purpose, **found.to_json()}


def cmd_inbox(args: argparse.Namespace) -> int:
    """`lxt-county verifier inbox NAME`: one JSON line per delivery; 1 if any was refused."""
    office = CredentialOffice(args.credentials, args.county)
    refused = 0
    try:
        party = office.party(args.name)
        if party.role != "verifier":
            raise ConfigError(f"{args.name} is not a verifier")
        now_ms = wall_ms()
        trust = TrustList.from_json(office.trust_payload(0))
        lists = StatusLists.from_json(office.status_payload(now_ms // 1000))
        for row in unread(office, party.id, everything=args.all):
            head = {"tx": row.tx, "request": row.request, "did": row.did, "ts": row.ts_ms}
            try:
                line = {"ok": True, **head, **open_item(row, office, args.name, trust, lists)}
            except CredentialError as exc:
                refused += 1
                line = {"ok": False, **head, "reason": exc.reason.value, "detail": exc.detail}
            print(json.dumps(line, ensure_ascii=False))
            with office.write() as conn:
                conn.execute("UPDATE verifier_inbox SET read_ms = ? WHERE tx = ? AND read_ms IS NULL", (now_ms, row.tx))
    finally:
        office.close()
    return 1 if refused else 0
