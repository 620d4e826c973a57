"""`lxt-county pki init|issue|show`: the county's development CA, broker files and kiosk enrolment."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.errors import KioskError
from sync.county.broker_config import TLS_PORT, write_broker_files
from sync.county.pki import (
    BRIDGE_NAME,
    DEVICE_DAYS,
    PkiFiles,
    common_name,
    init_pki,
    issue_device_certificate,
    load_ca,
    load_certificate,
    write_certificate,
)


def add_pki_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `pki` with its sub-commands; each sets `func(args) -> int`."""
    pki = subparsers.add_parser("pki", help="development CA, broker configuration and kiosk certificates")
    sub = pki.add_subparsers(dest="pki_command", required=True)

    init = sub.add_parser("init", help="make the CA, broker and bridge certificates, mosquitto.conf and acl")
    init.add_argument("--dir", type=Path, required=True, help="folder for the PKI (made 0700)")
    init.add_argument("--county", required=True, help="six-digit county code, e.g. 410225")
    init.add_argument(
        "--broker-host",
        action="append",
        help="host name or address kiosks dial (repeat); default localhost and 127.0.0.1",
    )
    init.add_argument(
        "--service",
        action="append",
        help=f"county client certificate to make (repeat), default {BRIDGE_NAME}; one per bridge instance",
    )
    init.add_argument("--tls-port", type=int, default=TLS_PORT, help="the broker's mutual-TLS port")
    init.add_argument("--bind", default="0.0.0.0", help="address the TLS listener binds")  # noqa: S104
    init.add_argument("--state-dir", type=Path, help="persistence and pid file; default DIR/state")
    init.add_argument("--run-as", help="user mosquitto runs as when started as root; default: you")
    init.add_argument("--dev-plain-port", type=int, help="ALSO a plain loopback listener, for development only")
    init.set_defaults(func=cmd_init)

    issue = sub.add_parser("issue", help="sign a kiosk's certificate request")
    issue.add_argument("--dir", type=Path, required=True)
    issue.add_argument("--csr", type=Path, required=True, help="the request the kiosk made with its own key")
    issue.add_argument("--kiosk", required=True, help="the kiosk id; must be the request's CN")
    issue.add_argument("--days", type=int, default=DEVICE_DAYS)
    issue.set_defaults(func=cmd_issue)

    show = sub.add_parser("show", help="subjects and expiry of every certificate in the PKI")
    show.add_argument("--dir", type=Path, required=True)
    show.set_defaults(func=cmd_show)


def cmd_init(args: argparse.Namespace) -> int:
    files = PkiFiles(args.dir)
    services = args.service or [BRIDGE_NAME]
    init_pki(files, args.county, args.broker_host or ("localhost", "127.0.0.1"), services)
    cfg = write_broker_files(
        files,
        args.county,
        args.state_dir or files.root / "state",
        tls_port=args.tls_port,
        tls_bind=args.bind,
        dev_plain_port=args.dev_plain_port,
        services=services,
        run_as=args.run_as,
    )
    print(f"CA          {files.ca_cert}  (key {files.ca_key}: keep it offline once kiosks are enrolled)")
    print(f"broker      {files.broker_cert}")
    for name in services:
        print(f"service     {files.service_cert(name)}")
    print(f"mosquitto   {files.mosquitto_conf}  (acl {files.acl}, state {cfg.state_dir})")
    print(f"start with: mosquitto -c {files.mosquitto_conf}")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    files = PkiFiles(args.dir)
    ca = load_ca(files)
    cert = issue_device_certificate(ca, args.csr.read_bytes(), ca.county_id, args.kiosk, args.days)
    target = files.kiosk_cert(args.kiosk)
    write_certificate(target, cert)
    print(f"{target}  CN={args.kiosk}  expires {cert.not_valid_after_utc:%Y-%m-%d}")
    return 0


def _row(role: str, path: Path, now: dt.datetime) -> str:
    cert = load_certificate(path)
    left = (cert.not_valid_after_utc - now).days
    state = "EXPIRED" if left < 0 else f"{left} days left"
    return f"{role:<8} {common_name(cert):<40} {cert.not_valid_after_utc:%Y-%m-%d}  {state:<16} {path}"


def cmd_show(args: argparse.Namespace) -> int:
    files = PkiFiles(args.dir)
    now = dt.datetime.now(dt.UTC)
    rows = [_row("ca", files.ca_cert, now), _row("broker", files.broker_cert, now)]
    rows += [_row("service", p, now) for p in sorted((files.root / "services").glob("*.pem"))]
    rows += [_row("kiosk", p, now) for p in sorted((files.root / "kiosks").glob("*.pem"))]
    print("\n".join(rows))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """For running this module alone (`python -m sync.county.pki_cli pki ...`); lxt-county wires the same."""
    parser = argparse.ArgumentParser(prog="lxt-county")
    add_pki_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KioskError as exc:
        print(f"lxt-county: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
