"""`lxt-county office`: run the simulated service office against the ledger, answers to kiosks' inboxes."""

from __future__ import annotations

import argparse
import json
import secrets
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.errors import ConfigError
from kiosk.services.catalog import parse_services
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county.bank import load_issuers
from sync.county.bank_cli import add_broker_args
from sync.county.console_cli import Broker, _done, _publish
from sync.county.ledger import LedgerReader, wall_ms
from sync.county.ledger_cli import load_county_signer
from sync.county.office import INBOX_KIND, SimulatedServiceOffice
from sync.topics import KioskTopics


def add_office_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ledger", type=Path, required=True)
    p.add_argument("--office-state", type=Path, default=Path("county/office.sqlite3"))
    p.add_argument("--catalog", type=Path, required=True, help="the services catalog payload JSON the county published")
    p.add_argument("--catalog-version", type=int, default=1)
    p.add_argument(
        "--office-key",
        action="append",
        default=[],
        metavar="OFFICE=FILE",
        help="an office's X25519 private key (raw 32 bytes); repeat for each office this process stands for",
    )
    p.add_argument("--trust", type=Path, required=True, help="JSON list of trusted issuers {issuer, kid, jwk}")
    p.add_argument("--once", action="store_true", help="one pass over the ledger, then exit")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between passes")
    add_broker_args(p)
    p.set_defaults(func=run_office)


def _keys(pairs: list[str]) -> dict[str, X25519PrivateKey]:
    out = {}
    for pair in pairs:
        office, sep, file = pair.partition("=")
        if not sep or not office or not file:
            raise ConfigError(f"--office-key takes OFFICE=FILE, not {pair[:80]!r}")
        out[office] = X25519PrivateKey.from_private_bytes(Path(file).read_bytes())
    return out


def _office(args: argparse.Namespace) -> SimulatedServiceOffice:
    try:
        keys = _keys(args.office_key)
        catalog = parse_services(json.loads(args.catalog.read_text(encoding="utf-8")), args.catalog_version)
        issuers = load_issuers(args.trust)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"the office cannot start: {exc}") from exc
    if not keys:
        raise ConfigError("the office needs the key of at least one office (--office-key OFFICE=FILE)")
    args.office_state.parent.mkdir(parents=True, exist_ok=True)
    return SimulatedServiceOffice(args.office_state, keys=keys, catalog=catalog, issuer_jwks=issuers)


def run_office(args: argparse.Namespace) -> int:
    office = _office(args)
    signer = load_county_signer(args.county_key)
    client = Broker.of(args).connect()
    try:
        while True:
            ledger = LedgerReader(args.ledger)
            try:
                answers = office.scan(ledger, wall_ms())
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
                print(json.dumps({"request": a.payload["request"], "status": a.payload["status"]}), flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    finally:
        _done(client)
        office.close()
