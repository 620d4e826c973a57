"""`lxt-county bank`: run the simulated bank against the ledger and deliver its answers to kiosks' inboxes."""

from __future__ import annotations

import argparse
import json
import secrets
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.errors import ConfigError
from kiosk.loans.catalog import parse_catalog
from kiosk.loans.status import INBOX_KIND
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county.bank import SimulatedBank, load_issuers
from sync.county.console_cli import Broker, _broker_args, _done, _publish
from sync.county.ledger import LedgerReader, wall_ms
from sync.county.ledger_cli import load_county_signer
from sync.topics import KioskTopics


def add_broker_args(p: argparse.ArgumentParser) -> None:
    _broker_args(p)
    p.add_argument("--county-key", type=Path, required=True, help="the county ledger private key (PEM)")


def _bank(args: argparse.Namespace) -> SimulatedBank:
    try:
        key = X25519PrivateKey.from_private_bytes(args.bank_key.read_bytes())
        catalog = parse_catalog(json.loads(args.catalog.read_text(encoding="utf-8")), args.catalog_version)
        issuers = load_issuers(args.trust)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"the bank cannot start: {exc}") from exc
    args.bank_state.parent.mkdir(parents=True, exist_ok=True)
    return SimulatedBank(args.bank, key, catalog, issuers, args.bank_state)


def run_bank(args: argparse.Namespace) -> int:
    bank = _bank(args)
    signer = load_county_signer(args.county_key)
    client = Broker.of(args).connect()
    try:
        while True:
            ledger = LedgerReader(args.ledger)
            try:
                answers = bank.scan(ledger, wall_ms())
            finally:
                ledger.close()
            for a in answers:
                body: dict[str, Any] = {
                    "id": secrets.token_hex(16),
                    "kind": INBOX_KIND,
                    "kiosk": a.kiosk,
                    "payload": a.payload,
                }
                raw = sign_notice(NoticeKind.INBOX, args.county, wall_ms(), body, signer)
                _publish(client, KioskTopics(args.county, a.kiosk).down_inbox, raw, retain=False)
                print(json.dumps({"application": a.payload["application"], "status": a.payload["status"]}), flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    finally:
        _done(client)
        bank.close()
