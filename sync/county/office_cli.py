"""`lxt-county office`: run the simulated service office against the ledger, answers to kiosks' inboxes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.errors import ConfigError
from kiosk.services.catalog import parse_services
from sync.county.bank import load_issuers
from sync.county.office import INBOX_KIND, SimulatedServiceOffice
from sync.county.party import add_loop_args, run_party


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
    add_loop_args(p)
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
    return run_party(args, _office(args), INBOX_KIND, "request")
