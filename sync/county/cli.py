"""`lxt-county`: the county's tools — the bridge, the ledger, the development PKI, the console."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from kiosk.errors import KioskError
from sync.county.bank import add_bank_command
from sync.county.bridge import add_bridge_command
from sync.county.console_cli import add_console_commands
from sync.county.credit_cli import add_credit_command
from sync.county.creds_cli import add_credential_commands
from sync.county.ledger_cli import add_ledger_commands
from sync.county.office import add_office_command
from sync.county.pension_office import add_pension_office_command
from sync.county.pki_cli import add_pki_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lxt-county", description=__doc__)
    parser.add_argument("--log-level", default=os.environ.get("LXT_COUNTY_LOG_LEVEL", "INFO"))
    sub = parser.add_subparsers(dest="command", required=True)
    add_bridge_command(sub)
    add_ledger_commands(sub)
    add_pki_commands(sub)
    add_console_commands(sub)
    add_credential_commands(sub)
    add_bank_command(sub)
    add_pension_office_command(sub)
    add_credit_command(sub)
    add_office_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except KioskError as exc:
        print(f"lxt-county: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
