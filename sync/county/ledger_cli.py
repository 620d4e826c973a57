"""`lxt-county ledger …`: verify the chain, show a block, make the county ledger key."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import ConfigError, KioskError
from kiosk.tx.verify import PublicKey
from sync.county.ledger import LedgerReader
from sync.keys import load_county_key


def public_key_path(private_path: Path) -> Path:
    """Where the public half of a county key lives: `ledger.pem` → `ledger.pub.pem`."""
    return private_path.with_suffix(".pub.pem")


def generate_county_key(path: Path, suite: str = "ed25519") -> PublicKey:
    """Write a new PKCS#8 private key (0600, never overwriting) and its public key next to it."""
    s = get_suite(suite)
    raw = s.generate()
    signer = s.signer(raw)
    pem = s.private_key_pem(raw)
    public_pem = _public_pem(signer)
    signer.wipe()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: an existing county key is never replaced by accident (every kiosk has pinned it).
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise ConfigError(f"{path} already exists; refusing to replace a county key") from exc
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public_key_path(path).write_bytes(public_pem)
    return PublicKey(signer.suite.name, signer.public_key)


def _public_pem(signer: Signer) -> bytes:
    if signer.suite.name == "ed25519":
        key: Any = ed25519.Ed25519PublicKey.from_public_bytes(signer.public_key)
    else:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), signer.public_key)
    return bytes(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def load_county_signer(path: Path) -> Signer:
    """The county ledger key the bridge signs block headers with, from its PEM file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path} is not a readable unencrypted PEM private key") from exc
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return get_suite("ed25519").signer(key.private_bytes_raw())
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return get_suite("ecdsa-p256").signer(key.private_numbers().private_value.to_bytes(32, "big"))
    raise ConfigError(f"{path} is a key of a kind the county ledger does not use")


# --- commands --------------------------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    reader = LedgerReader(args.ledger, load_county_key(args.county_key))
    try:
        v = reader.verify()
    finally:
        reader.close()
    if v.ok:
        top = f"heights 0–{v.blocks - 1}" if v.blocks else "no blocks yet"
        print(f"ok: {v.blocks} blocks ({top}), {v.tx_count} transactions, {v.pending} pending", file=out)
        return 0
    print(f"BAD block {v.bad_height}: {v.reason} ({v.blocks} blocks before it verify)", file=out)
    return 1


def cmd_show(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    key = load_county_key(args.county_key) if args.county_key else None
    reader = LedgerReader(args.ledger, key)
    try:
        block = reader.block(args.height)
    finally:
        reader.close()
    if block is None:
        print(f"no block at height {args.height}", file=out)
        return 1
    shown = {
        "height": block.height,
        "hash": block.hash,
        "header": block.header.to_json(),
        "sig": block.sig.to_json(),
        "tx": list(block.tx_ids),
    }
    print(json.dumps(shown, indent=2, ensure_ascii=False), file=out)
    return 0


def cmd_keygen(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    key = generate_county_key(args.out, args.suite)
    print(f"wrote {args.out} (0600) and {public_key_path(args.out)} ({key.suite})", file=out)
    return 0


def add_ledger_commands(subparsers: Any) -> None:
    """Add `ledger verify|show|keygen` to an argparse sub-parser set (the `lxt-county` entry point's)."""
    ledger = subparsers.add_parser("ledger", help="the county ledger: verify, show a block, make its key")
    sub = ledger.add_subparsers(dest="ledger_command", required=True)
    verify = sub.add_parser("verify", help="re-walk every block; exit 1 naming the first bad one")
    verify.add_argument("--ledger", type=Path, required=True, help="the ledger's SQLite file")
    verify.add_argument("--county-key", type=Path, required=True, help="the county ledger public key (PEM)")
    verify.set_defaults(func=cmd_verify)
    show = sub.add_parser("show", help="print one block: header, hash, signature, transaction ids")
    show.add_argument("--ledger", type=Path, required=True, help="the ledger's SQLite file")
    show.add_argument("--height", type=int, required=True, help="the block's height (0 is the first)")
    show.add_argument("--county-key", type=Path, default=None, help="the county ledger public key (PEM)")
    show.set_defaults(func=cmd_show)
    keygen = sub.add_parser("keygen", help="make the county ledger key pair")
    keygen.add_argument("--out", type=Path, required=True, help="private key file; the public one goes beside it")
    keygen.add_argument("--suite", default="ed25519", choices=["ed25519", "ecdsa-p256"])
    keygen.set_defaults(func=cmd_keygen)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lxt-county")
    add_ledger_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KioskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
