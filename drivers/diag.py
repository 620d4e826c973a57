"""`lxt-diag`: the field technician's command line — what is wrong with this kiosk, in one look.

Reads the database and the secrets folder; never prints personal data or secrets.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import sqlite_utils

from drivers.diag_card import add_card_command
from drivers.diag_devices import add_device_commands
from kiosk.config import Settings, describe_settings, load_settings
from kiosk.diagnostics import store_status
from kiosk.errors import KioskError
from kiosk.identity.device import load_identity
from kiosk.store import audit
from kiosk.store.db import Database


def _cmd_audit_verify(settings: Settings, _args: argparse.Namespace) -> int:
    db = Database(settings.paths.database)
    try:
        verdict = audit.verify(db.conn)
    finally:
        db.close()
    if verdict.ok:
        print(f"audit log ok: {verdict.checked} entries, chain intact")
        return 0
    print(f"audit log BROKEN at entry {verdict.first_broken}: {verdict.reason}")
    print(f"the {verdict.checked} entries before it are intact")
    return 1


def _status(settings: Settings) -> dict[str, Any]:
    db = Database(settings.paths.database)
    try:
        status = store_status(db)  # the same reading the touchscreen's diagnostics show
    finally:
        db.close()
    try:
        status["device"] = load_identity(settings.paths.secrets_dir).kid
    except KioskError as exc:
        status["device"] = f"not provisioned ({exc})"
    tables = sqlite_utils.Database(settings.paths.database)
    status["tables"] = {t.name: t.count for t in tables.tables}
    tables.close()
    return status


def _cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    status = _status(settings)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        for key, value in status.items():
            print(f"{key:20} {value}")
    return 0 if status["audit_ok"] and status["integrity"] == "ok" else 1


def _cmd_config(_settings: Settings, _args: argparse.Namespace) -> int:
    for key, type_name, default, description in describe_settings():
        print(f"{key:36} {type_name:12} {default:24} {description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lxt-diag", description=__doc__)
    parser.add_argument("--config", type=Path, help="settings file (default: $LXT_CONFIG or /etc/lxt/kiosk.toml)")
    sub = parser.add_subparsers(dest="command", required=True)
    status = sub.add_parser("status", help="database, outbox, audit and device in one look")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(run=_cmd_status)
    audit_cmd = sub.add_parser("audit", help="the audit log")
    audit_sub = audit_cmd.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the hash chain; name the first broken entry").set_defaults(
        run=_cmd_audit_verify
    )
    sub.add_parser("config", help="every setting with its type, default and description").set_defaults(run=_cmd_config)
    add_device_commands(sub)
    add_card_command(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        code = int(args.run(settings, args))
    except KioskError as exc:
        print(f"lxt-diag: {exc}", file=sys.stderr)
        code = 2
    sys.exit(code)
