"""A county party that reads sealed ledger blocks and answers through kiosks' inboxes (the simulated bank, the
service office, the pension office): its cursor over the ledger and its `lxt-county` run loop, shared by all three.

Each party keeps the height of the last block it read in its own state file, so a later pass answers only what
was sealed since; what it does with a transaction, and what it answers, is the party's own (`handle`, `scan`).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.tx import envelope as envm
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county.console_cli import Broker, _broker_args, _done, _publish
from sync.county.ledger import LedgerReader, wall_ms
from sync.county.ledger_cli import load_county_signer
from sync.topics import KioskTopics


@dataclass(frozen=True, slots=True)
class InboxAnswer:
    kiosk: str
    payload: dict[str, Any]  # the inbox payload of the party's kind (loan_status, service_status)


class LedgerCursor:
    """Where a party is in the ledger: the last sealed block it read, in the `cursor` table of its state file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._db.execute("CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), height INTEGER)")

    def scan(
        self, ledger: LedgerReader, types: Iterable[str], handle: Callable[[envm.Envelope], Iterable[InboxAnswer]]
    ) -> list[InboxAnswer]:
        """`handle` every transaction of `types` in the blocks not read yet, in ledger order; their answers."""
        wanted = frozenset(types)
        row = self._db.execute("SELECT height FROM cursor WHERE id = 1").fetchone()
        start = 0 if row is None else int(row[0]) + 1
        out: list[InboxAnswer] = []
        # height() counts the sealed blocks: the last one is height() - 1; reading on to height() would move the
        # cursor past the block sealed next, and that block would never be read
        for height in range(start, ledger.height()):
            for _idx, _tx, raw in ledger.envelopes(height):
                env = envm.parse(raw)
                if env.type in wanted:
                    out.extend(handle(env))
            self._db.execute("INSERT OR REPLACE INTO cursor (id, height) VALUES (1, ?)", (height,))
        return out


class LedgerParty(Protocol):
    def scan(self, ledger: LedgerReader, now_ms: int) -> Sequence[InboxAnswer]: ...

    def close(self) -> None: ...


def add_broker_args(p: argparse.ArgumentParser) -> None:
    _broker_args(p)
    p.add_argument("--county-key", type=Path, required=True, help="the county ledger private key (PEM)")


def add_loop_args(p: argparse.ArgumentParser) -> None:
    """The options every party's loop takes, after the party's own."""
    p.add_argument("--once", action="store_true", help="one pass over the ledger, then exit")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between passes")
    add_broker_args(p)


def run_party(args: argparse.Namespace, party: LedgerParty, inbox_kind: str, number_key: str) -> int:
    """Pass over the ledger every `--interval` seconds (once with `--once`), each answer signed by the county and
    published to its kiosk's inbox; one line of JSON per answer on stdout, the number under `number_key` and the
    status (what the demo and the tests read). The party is closed at the end."""
    signer = load_county_signer(args.county_key)
    client = Broker.of(args).connect()
    try:
        while True:
            ledger = LedgerReader(args.ledger)
            try:
                answers = party.scan(ledger, wall_ms())
            finally:
                ledger.close()
            for a in answers:
                body = {"id": secrets.token_hex(16), "kind": inbox_kind, "kiosk": a.kiosk, "payload": a.payload}
                raw = sign_notice(NoticeKind.INBOX, args.county, wall_ms(), body, signer)
                _publish(client, KioskTopics(args.county, a.kiosk).down_inbox, raw, retain=False)
                print(json.dumps({number_key: a.payload[number_key], "status": a.payload["status"]}), flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    finally:
        _done(client)
        party.close()
