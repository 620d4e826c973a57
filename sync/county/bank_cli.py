"""`lxt-county bank`: run the simulated bank against the ledger and deliver its answers to kiosks' inboxes."""

from __future__ import annotations

import argparse
import json

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.errors import ConfigError
from kiosk.loans.catalog import parse_catalog
from kiosk.loans.status import INBOX_KIND
from sync.county.bank import SimulatedBank, load_issuers
from sync.county.party import run_party


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
    return run_party(args, _bank(args), INBOX_KIND, "application")
