"""`lxt-provision`: give a new kiosk its device secret and key, and install the county's enrolment key."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from kiosk.clock import SystemClock, TimeService
from kiosk.config import load_settings
from kiosk.errors import KioskError
from kiosk.identity.device import provision
from kiosk.identity.evidence import load_public_key
from kiosk.ports import Clock
from kiosk.store import audit
from kiosk.store.db import Database


def run(argv: list[str] | None, clock: Clock) -> int:
    parser = argparse.ArgumentParser(prog="lxt-provision", description=__doc__)
    parser.add_argument("--config", type=Path, help="settings file (default: $LXT_CONFIG or /etc/lxt/kiosk.toml)")
    parser.add_argument("--county-enrolment-key", type=Path, help="the county's X25519 enrolment public key to install")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        ident = settings.identity
        if args.county_enrolment_key:
            load_public_key(args.county_enrolment_key)  # refuse a file that is not a key before anything is made
        device = provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
        if args.county_enrolment_key:
            target = settings.paths.enrolment_key_file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.county_enrolment_key, target)
        db = Database(settings.paths.database)
        time = TimeService.load(clock, db.conn)
        with db.transaction() as conn:
            audit.append(
                conn, time.now(), audit.AuditAction.PROVISIONED, device.kid, device.kid, {"suite": device.suite}
            )
            time.persist(conn)
        db.close()
    except KioskError as exc:
        print(f"lxt-provision: {exc}", file=sys.stderr)
        return 2
    print(f"provisioned {device.kid} ({device.suite}); secrets in {settings.paths.secrets_dir}")
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:], SystemClock()))
