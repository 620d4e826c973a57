"""`lxt-county credit`: compute credit profiles with the scorecard and deliver them to the kiosks' inboxes."""

from __future__ import annotations

import argparse
import json
import secrets
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError
from sync.county.credit import INBOX_KIND, load_scorecard, profiles, read_ledger, read_records
from sync.county.ledger import LedgerReader, wall_ms


def run_credit(args: argparse.Namespace) -> int:
    card = load_scorecard(args.scorecard)
    records = read_records(args.records)
    now = wall_ms()
    ledger = LedgerReader(args.ledger)
    try:
        facts = read_ledger(ledger, now // 1000)
    finally:
        ledger.close()
    made = profiles(card, records, facts, args.did or None)
    items: list[tuple[str, dict[str, Any]]] = []
    for kiosk, profile in made:
        body: dict[str, Any] = {
            "id": secrets.token_hex(16),
            "kind": INBOX_KIND,
            "kiosk": kiosk,
            "payload": profile.payload(card, now),
        }
        items.append((kiosk, body))
    if not args.dry_run:
        _deliver(args, items)
    for kiosk, body in items:
        p: dict[str, Any] = body["payload"]
        line = {"did": p["did"], "kiosk": kiosk, "line_fen": p["line_fen"], "points": p["points"]}
        print(json.dumps(body if args.dry_run else line, ensure_ascii=False), flush=True)
    return 0


def _deliver(args: argparse.Namespace, items: list[tuple[str, dict[str, Any]]]) -> None:
    from kiosk.tx.notice import NoticeKind, sign_notice
    from sync.county.console_cli import Broker, _done, _publish
    from sync.county.ledger_cli import load_county_signer
    from sync.topics import KioskTopics

    if args.county_key is None:
        raise ConfigError("--county-key is needed to sign the inbox items (or --dry-run)")
    signer = load_county_signer(args.county_key)
    client = Broker.of(args).connect()
    try:
        for kiosk, body in items:
            raw = sign_notice(NoticeKind.INBOX, args.county, wall_ms(), body, signer)
            _publish(client, KioskTopics(args.county, kiosk).down_inbox, raw, retain=False)
    finally:
        _done(client)


def add_credit_command(subparsers: Any) -> None:
    from sync.county.console_cli import _broker_args

    p = subparsers.add_parser("credit", help="compute credit profiles with the scorecard and send them to kiosks")
    p.add_argument("--ledger", type=Path, required=True)
    p.add_argument("--records", type=Path, help="the county's registers (JSON; see sync/county/credit.py)")
    p.add_argument("--scorecard", type=Path, help="a scorecard TOML (default: the packaged one)")
    p.add_argument("--did", action="append", default=[], help="only this villager (repeat); default: everyone")
    p.add_argument("--county-key", type=Path, help="the county ledger private key (PEM), to sign the inbox items")
    p.add_argument("--dry-run", action="store_true", help="print the inbox items, send nothing")
    _broker_args(p)
    p.set_defaults(func=run_credit)
