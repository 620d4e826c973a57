"""`lxt-county console …`: register kiosks, publish broadcasts, deliver to an inbox, send commands, see the fleet.

Everything the console sends is a notice signed with the county ledger key (kiosk/tx/notice.py). What it must
remember between runs — the next `cmd_seq` per kiosk and the newest version of each broadcast — lives in its own
small SQLite file (`--state`), so two runs never reuse a sequence number.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sqlite3
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from kiosk.crypto import canonical
from kiosk.errors import ConfigError, KioskError, SyncError
from kiosk.techpass import ALL_KIOSKS, issue_tech_pass, new_pass_id
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county.ledger import wall_ms
from sync.county.ledger_cli import load_county_signer
from sync.county.registry import KioskRegistry, check_name, key_text, read_device_info
from sync.topics import PREFIX, KioskTopics

CONNECT_TIMEOUT_S = 10.0


# --- the console's memory ----------------------------------------------------------------------------------


class ConsoleState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS cmd_seq (kiosk TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
        self._conn.execute("CREATE TABLE IF NOT EXISTS broadcast (kind TEXT PRIMARY KEY, version INTEGER NOT NULL)")

    def _next(self, table: str, key_col: str, val_col: str, key: str) -> int:
        self._conn.execute("BEGIN IMMEDIATE")
        row = self._conn.execute(f"SELECT {val_col} FROM {table} WHERE {key_col} = ?", (key,)).fetchone()  # noqa: S608
        value = (row[0] if row else 0) + 1
        self._conn.execute(
            f"INSERT INTO {table} ({key_col}, {val_col}) VALUES (?, ?) "  # noqa: S608
            f"ON CONFLICT ({key_col}) DO UPDATE SET {val_col} = excluded.{val_col}",
            (key, value),
        )
        self._conn.execute("COMMIT")
        return int(value)

    def next_cmd_seq(self, kiosk: str) -> int:
        return self._next("cmd_seq", "kiosk", "seq", kiosk)

    def next_version(self, kind: str) -> int:
        return self._next("broadcast", "kind", "version", kind)

    def close(self) -> None:
        self._conn.close()


# --- the broker ------------------------------------------------------------------------------------------


@dataclass
class Broker:
    host: str
    port: int
    ca: Path | None
    cert: Path | None
    key: Path | None
    client_id: str

    @classmethod
    def of(cls, args: argparse.Namespace) -> Broker:
        return cls(args.host, args.port, args.ca, args.cert, args.key, args.client_id)

    def connect(self) -> mqtt.Client:
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=f"{self.client_id}-{secrets.token_hex(3)}",
            protocol=MQTTProtocolVersion.MQTTv5,
        )
        if self.ca is not None:
            client.tls_set(
                ca_certs=str(self.ca),
                certfile=None if self.cert is None else str(self.cert),
                keyfile=None if self.key is None else str(self.key),
                cert_reqs=ssl.CERT_REQUIRED,
            )
        up = threading.Event()
        client.on_connect = lambda *_a: up.set()
        try:
            client.connect(self.host, self.port)
        except OSError as exc:
            raise SyncError(f"cannot reach the broker at {self.host}:{self.port}: {exc}") from exc
        client.loop_start()
        if not up.wait(CONNECT_TIMEOUT_S):
            client.loop_stop()
            raise SyncError(f"the broker at {self.host}:{self.port} did not accept the console")
        return client


def _publish(client: mqtt.Client, topic: str, payload: bytes, *, retain: bool) -> None:
    info = client.publish(topic, payload, qos=1, retain=retain)
    info.wait_for_publish(CONNECT_TIMEOUT_S)
    if not info.is_published():
        raise SyncError(f"the broker did not take the message for {topic}")


def _done(client: mqtt.Client) -> None:
    client.disconnect()
    client.loop_stop()


# --- commands ----------------------------------------------------------------------------------------------


def cmd_register(args: argparse.Namespace) -> int:
    county, kiosk, key = read_device_info(args.device_json)
    registry = KioskRegistry(args.registry)
    try:
        changed = registry.register(county, kiosk, key, wall_ms(), replace=args.replace)
    finally:
        registry.close()
    print(f"{'registered' if changed else 'already registered'}: {county}/{kiosk} {key_text(key)}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    registry = KioskRegistry(args.registry)
    try:
        changed = registry.revoke(check_name(args.county, "county"), check_name(args.kiosk, "kiosk"), wall_ms())
    finally:
        registry.close()
    print(f"{'revoked' if changed else 'not registered or already revoked'}: {args.county}/{args.kiosk}")
    return 0 if changed else 1


def _load_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        value = json.loads(text)
        canonical.dumps(value)  # integers only, no floats: as it will be signed
    except (OSError, ValueError, KioskError) as exc:
        raise ConfigError(f"{path}: not a JSON document the county can sign: {exc}") from exc
    return value


def cmd_publish(args: argparse.Namespace) -> int:
    check_name(args.kind, "broadcast kind")
    payload = _load_json(args.file)
    signer = load_county_signer(args.county_key)
    state = ConsoleState(args.state)
    try:
        version = state.next_version(args.kind)
    finally:
        state.close()
    body = {"kind": args.kind, "version": version, "payload": payload}
    raw = sign_notice(NoticeKind.BROADCAST, args.county, wall_ms(), body, signer)
    client = Broker.of(args).connect()
    try:
        _publish(client, f"{PREFIX}/{args.county}/broadcast/{args.kind}", raw, retain=True)
    finally:
        _done(client)
    print(json.dumps({"kind": args.kind, "version": version, "bytes": len(raw)}))
    return 0


def cmd_inbox(args: argparse.Namespace) -> int:
    check_name(args.kiosk, "kiosk")
    body = {"id": secrets.token_hex(16), "kind": args.kind, "kiosk": args.kiosk, "payload": _load_json(args.file)}
    raw = sign_notice(NoticeKind.INBOX, args.county, wall_ms(), body, load_county_signer(args.county_key))
    client = Broker.of(args).connect()
    try:
        _publish(client, KioskTopics(args.county, args.kiosk).down_inbox, raw, retain=False)
    finally:
        _done(client)
    print(json.dumps({"id": body["id"], "kiosk": args.kiosk, "kind": args.kind}))
    return 0


def cmd_command(args: argparse.Namespace) -> int:
    check_name(args.kiosk, "kiosk")
    try:
        cmd_args = json.loads(args.args) if args.args else {}
    except ValueError as exc:
        raise ConfigError(f"--args is not JSON: {exc}") from exc
    signer = load_county_signer(args.county_key)
    state = ConsoleState(args.state)
    try:
        seq = state.next_cmd_seq(args.kiosk)
    finally:
        state.close()
    now = wall_ms()
    cmd_id = secrets.token_hex(8)
    body = {
        "id": cmd_id,
        "target": args.kiosk,
        "cmd_seq": seq,
        "not_before": now,
        "expires": now + int(args.valid * 1000),
        "op": args.op,
        "args": cmd_args,
    }
    topics = KioskTopics(args.county, args.kiosk)
    answered = threading.Event()
    reply: dict[str, Any] = {}

    def on_message(_c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        reply.update(json.loads(msg.payload))
        answered.set()

    client = Broker.of(args).connect()
    try:
        client.on_message = on_message
        client.subscribe(topics.up_cmd(args.op, cmd_id), qos=1)
        time.sleep(0.2)  # the subscription is in place before the kiosk can answer
        raw = sign_notice(NoticeKind.COMMAND, args.county, now, body, signer)
        _publish(client, f"{topics.base}/down/cmd/{args.op}", raw, retain=False)
        got = answered.wait(args.wait)
    finally:
        _done(client)
    if not got:
        print(json.dumps({"id": cmd_id, "cmd_seq": seq, "status": "no answer", "hint": "the kiosk may be offline"}))
        return 1
    print(json.dumps(reply, ensure_ascii=False))
    return 0 if reply.get("status") == "done" else 1


def cmd_fleet(args: argparse.Namespace) -> int:
    seen: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()

    def on_message(_c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        kiosk = msg.topic.split("/")[3]
        try:
            state = json.loads(msg.payload)
        except ValueError:
            state = {"online": False, "error": "unreadable state"}
        with lock:
            seen[kiosk] = state

    client = Broker.of(args).connect()
    try:
        client.on_message = on_message
        client.subscribe(f"{PREFIX}/{args.county}/+/up/state", qos=1)
        time.sleep(args.wait)  # the retained states arrive at once; wait a moment for all of them
    finally:
        _done(client)
    if args.registry is not None:
        registry = KioskRegistry(args.registry)
        try:
            for record in registry.kiosks(args.county):
                seen.setdefault(record.kiosk, {"online": False, "never_seen": True})
        finally:
            registry.close()
    for kiosk in sorted(seen):
        s = seen[kiosk]
        status = "online " if s.get("online") else "offline"
        last = s.get("time_ms")
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(last / 1000)) if isinstance(last, int) else "-"
        print(
            f"{kiosk:24} {status} session={s.get('session', '-')} outbox={s.get('outbox_depth', '-')} "
            f"last_seen={when} sw={s.get('sw', '-')}{' (never seen)' if s.get('never_seen') else ''}"
        )
    return 0


def cmd_tech_pass(args: argparse.Namespace) -> int:
    """A technician's pass: printed as JSON, and as a QR PNG with --png, to show to the kiosk camera."""
    if not 1 <= args.days <= 92:
        raise ConfigError("--days must be 1 to 92: a pass is for a visit")
    kiosks = [check_name(k, "kiosk") for k in args.kiosk] or [ALL_KIOSKS]
    now = wall_ms()
    expires = now + args.days * 86_400_000
    pass_id = new_pass_id()
    signer = load_county_signer(args.county_key)
    try:
        raw = issue_tech_pass(signer, args.county, args.name, kiosks, now, expires, pass_id)
    except ValueError as exc:
        raise ConfigError(f"cannot issue this pass: {exc}") from exc
    if args.png is not None:
        import segno  # only this command draws QR codes

        # Byte mode, medium error correction: the kiosk's zbar reads raw bytes (drivers/qr.py).
        segno.make(raw, error="m", micro=False).save(str(args.png), scale=args.scale, border=4)
    summary = {"pass_id": pass_id, "county": args.county, "kiosks": kiosks, "expires_ms": expires}
    print(json.dumps(summary, ensure_ascii=False))
    print(raw.decode("utf-8"))
    return 0


# --- the parser ------------------------------------------------------------------------------------------


def _broker_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--county", required=True, help="six-digit county code")
    p.add_argument("--host", default="127.0.0.1", help="the county broker")
    p.add_argument("--port", type=int, default=8883, help="its port")
    p.add_argument("--ca", type=Path, help="CA certificate: turns TLS on")
    p.add_argument("--cert", type=Path, help="the console's client certificate")
    p.add_argument("--key", type=Path, help="the console's client key")
    p.add_argument("--client-id", default="lxt-console", help="MQTT client id prefix")


def _signing_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--county-key", type=Path, required=True, help="the county ledger private key (PEM)")
    p.add_argument("--state", type=Path, default=Path("county/console.sqlite3"), help="the console's own file")


def add_console_commands(subparsers: Any) -> None:
    console = subparsers.add_parser("console", help="kiosks, broadcasts, inbox deliveries, commands, the fleet")
    sub = console.add_subparsers(dest="console_command", required=True)

    p = sub.add_parser("register", help="register a kiosk from its secrets/device.json (public data only)")
    p.add_argument("device_json", type=Path)
    p.add_argument("--registry", type=Path, required=True)
    p.add_argument("--replace", action="store_true", help="replace another device key registered for this kiosk")
    p.set_defaults(func=cmd_register)

    p = sub.add_parser("revoke", help="stop taking a kiosk's transactions")
    p.add_argument("--registry", type=Path, required=True)
    p.add_argument("--county", required=True)
    p.add_argument("--kiosk", required=True)
    p.set_defaults(func=cmd_revoke)

    p = sub.add_parser("publish", help="sign and publish a broadcast (retained), with the next version")
    p.add_argument("kind", help="config, catalog, trust_list, status_list, …")
    p.add_argument("file", help="the JSON payload, or - for standard input")
    _broker_args(p)
    _signing_args(p)
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("inbox", help="sign and deliver a message to one kiosk's inbox")
    p.add_argument("kiosk")
    p.add_argument("kind")
    p.add_argument("file", help="the JSON payload, or - for standard input")
    _broker_args(p)
    _signing_args(p)
    p.set_defaults(func=cmd_inbox)

    p = sub.add_parser("command", help="send a signed command and print the kiosk's answer")
    p.add_argument("kiosk")
    p.add_argument("op", choices=["diag", "config", "lock", "unlock", "resync"])
    p.add_argument("--args", help='the command\'s arguments as JSON, e.g. \'{"reason": "维护"}\'')
    p.add_argument("--valid", type=float, default=600.0, help="seconds the command stays valid")
    p.add_argument("--wait", type=float, default=15.0, help="seconds to wait for the answer")
    _broker_args(p)
    _signing_args(p)
    p.set_defaults(func=cmd_command)

    p = sub.add_parser("tech-pass", help="issue a technician's pass (a signed QR) that opens a kiosk's diagnostics")
    p.add_argument("--county", required=True, help="six-digit county code")
    p.add_argument("--county-key", type=Path, required=True, help="the county ledger private key (PEM)")
    p.add_argument("--name", required=True, help="the technician's name, shown on the kiosk's maintenance banner")
    p.add_argument("--days", type=int, default=1, help="days the pass is valid, from now (1 to 92)")
    p.add_argument("--kiosk", action="append", default=[], help="a kiosk it opens (repeat; default: every kiosk)")
    p.add_argument("--png", type=Path, help="also write the pass as a QR code PNG")
    p.add_argument("--scale", type=int, default=8, help="pixels per QR module in the PNG")
    p.set_defaults(func=cmd_tech_pass)

    p = sub.add_parser("fleet", help="one line per kiosk: online, session, outbox depth, last seen, software")
    p.add_argument("--registry", type=Path, help="also list registered kiosks never seen")
    p.add_argument("--wait", type=float, default=1.0, help="seconds to collect the kiosks' retained states")
    _broker_args(p)
    p.set_defaults(func=cmd_fleet)
