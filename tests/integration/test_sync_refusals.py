"""A running `lxt-sync` refuses what it must — through the real broker, not a unit under test — and goes on:
expired, not-yet-valid, mis-targeted, unknown-operation, unsigned and forged commands; an older broadcast
and one with a bad signature; malformed and oversized payloads on every down topic. Each refusal is audited,
nothing changes, and a good command sent afterwards is still applied. Also the systemd protocol of the real
process: READY=1 once it runs, WATCHDOG=1 pings, STOPPING=1 on SIGTERM.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from kiosk.crypto.suites import Signer, get_suite
from kiosk.store import deliveries
from kiosk.store.db import Database
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county.ledger_cli import load_county_signer
from sync.topics import KioskTopics
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import County, Kiosk, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Observer:
    """A plain MQTT client that publishes what the county would (or a forger) and records the kiosk's answers."""

    def __init__(self, broker: Mosquitto, topics: KioskTopics) -> None:
        self.answers: dict[str, dict[str, Any]] = {}
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv5)
        self.client.on_message = self._on_message
        assert broker.port is not None
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self.client.subscribe(f"{topics.base}/up/cmd/#", qos=1)
        time.sleep(0.2)

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            body = json.loads(msg.payload)
        except ValueError:
            return
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            self.answers[body["id"]] = body

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(10)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def command(
    county: str, signer: Signer, target: str, seq: int, *, op: str = "diag", shift_ms: int = 0
) -> tuple[str, bytes]:
    now = int(time.time() * 1000) + shift_ms
    cmd_id = secrets.token_hex(8)
    body = {
        "id": cmd_id,
        "target": target,
        "cmd_seq": seq,
        "not_before": now - 1000,
        "expires": now + 60_000,
        "op": op,
        "args": {},
    }
    return cmd_id, sign_notice(NoticeKind.COMMAND, county, int(time.time() * 1000), body, signer)


def broadcast(county: str, signer: Signer, kind: str, version: int, payload: dict[str, Any]) -> bytes:
    body = {"kind": kind, "version": version, "payload": payload}
    return sign_notice(NoticeKind.BROADCAST, county, int(time.time() * 1000), body, signer)


def _audit_refusals(kiosk: Kiosk) -> int:
    db = Database(kiosk.db_path)
    try:
        return int(db.read("SELECT COUNT(*) FROM audit WHERE action LIKE '%refused'")[0][0])
    finally:
        db.close()


def _held(kiosk: Kiosk) -> tuple[dict[str, int], int]:
    db = Database(kiosk.db_path)
    try:
        return deliveries.broadcast_versions(db.conn), deliveries.last_cmd_seq(db.conn)
    finally:
        db.close()


def test_a_running_daemon_refuses_bad_commands_and_broadcasts_and_goes_on(tmp_path: Path, mosquitto: Mosquitto) -> None:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    signer = load_county_signer(county.key)
    ed = get_suite("ed25519")
    forger = ed.signer(ed.generate())
    topics = KioskTopics(county.county, kiosk.kiosk_id)
    cmd_topic = f"{topics.base}/down/cmd"
    bcast = f"lxt/v1/{county.county}/broadcast"
    sync = kiosk.sync(mosquitto, LXT_SYNC__MAX_PAYLOAD_BYTES="65536")
    observer = Observer(mosquitto, topics)
    try:
        wait_for("lxt-sync online", lambda: "link up" in sync.text())
        good_id, good = command(county.county, signer, kiosk.kiosk_id, 5)
        observer.publish(f"{cmd_topic}/diag", good)
        wait_for("the first good command answered", lambda: good_id in observer.answers)
        assert observer.answers[good_id]["status"] == "done"
        observer.publish(f"{bcast}/catalog", broadcast(county.county, signer, "catalog", 3, {"products": []}))
        wait_for("the catalog applied", lambda: _held(kiosk)[0].get("catalog") == 3)
        before = _audit_refusals(kiosk)

        answered = {
            "expired": command(county.county, signer, kiosk.kiosk_id, 6, shift_ms=-3_600_000),
            "not yet valid": command(county.county, signer, kiosk.kiosk_id, 7, shift_ms=3_600_000),
            "another kiosk": command(county.county, signer, "other-kiosk-02", 8),
            "replayed": command(county.county, signer, kiosk.kiosk_id, 5),
            "stale": command(county.county, signer, kiosk.kiosk_id, 4),
        }
        for _why, (_cmd_id, raw) in answered.items():
            observer.publish(f"{cmd_topic}/diag", raw)
        unknown_id, unknown = command(county.county, signer, kiosk.kiosk_id, 9, op="format-disk")
        observer.publish(f"{cmd_topic}/format-disk", unknown)
        forged_id, forged = command(county.county, forger, kiosk.kiosk_id, 10)
        silent = [
            (f"{cmd_topic}/diag", forged),
            (f"{cmd_topic}/diag", b"\x00\xff not json"),
            (f"{cmd_topic}/diag", b"[]"),
            (f"{cmd_topic}/diag", json.dumps({"v": 1, "kind": "cmd", "body": {"id": "ab" * 8}}).encode()),
            (f"{cmd_topic}/diag", b"{" + b" " * 70_000 + b"}"),
            (f"{bcast}/catalog", broadcast(county.county, signer, "catalog", 2, {"products": ["older"]})),
            (f"{bcast}/catalog", broadcast(county.county, forger, "catalog", 9, {"products": ["forged"]})),
            (f"{bcast}/trust", broadcast(county.county, signer, "catalog", 10, {"products": ["wrong topic"]})),
            (f"{bcast}/catalog", b"not a notice"),
            (f"{topics.down_inbox}", b"{}"),
            (f"{topics.down_inbox}", b"x" * 70_000),
        ]
        for topic, raw in silent:
            observer.publish(topic, raw)

        wait_for(
            "every answerable refusal answered",
            lambda: all(i in observer.answers for i, _ in answered.values()) and unknown_id in observer.answers,
        )
        reasons = {why: observer.answers[i]["result"]["reason"] for why, (i, _) in answered.items()}
        assert "expired" in reasons["expired"]
        assert "not valid yet" in reasons["not yet valid"]
        assert "another kiosk" in reasons["another kiosk"]
        assert "already used" in reasons["replayed"] and "already used" in reasons["stale"]
        assert all(observer.answers[i]["status"] == "refused" for i, _ in answered.values())
        assert observer.answers[unknown_id]["status"] == "refused"

        # A good command after all that is applied: the daemon is alive and in order.
        after_id, after = command(county.county, signer, kiosk.kiosk_id, 11)
        observer.publish(f"{cmd_topic}/diag", after)
        wait_for("a good command after the refusals", lambda: after_id in observer.answers)
        assert observer.answers[after_id]["status"] == "done"
        assert forged_id not in observer.answers  # a forgery gets no answer: its id cannot be trusted
        assert sync.alive()
        versions, last_seq = _held(kiosk)
        assert versions == {"catalog": 3}
        assert last_seq == 11
        # Five answered, the unknown op, forged, three malformed commands, the older, forged, misfiled and
        # junk broadcasts, and the empty inbox item; the oversized ones are dropped before parsing (logged).
        assert _audit_refusals(kiosk) - before >= 14
        assert "over the limit" in sync.text()
    finally:
        observer.close()
        sync.stop()


def test_lxt_sync_speaks_the_systemd_notify_protocol(tmp_path: Path, mosquitto: Mosquitto) -> None:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(30)
    got: list[str] = []
    # WATCHDOG_PID must name the daemon itself; Proc starts it directly, so the pid is known only after the
    # start. The daemon accepts a missing WATCHDOG_PID (systemd may leave it out), which is what we use here.
    sync = kiosk.sync(mosquitto, NOTIFY_SOCKET=str(path), WATCHDOG_USEC="1000000")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and got.count("WATCHDOG=1") < 2:
            got.extend(sock.recv(4096).decode().split("\n"))
        assert got[0] == "READY=1"
        assert got.count("WATCHDOG=1") >= 2
        assert sync.stop() == 0
        sock.settimeout(5)
        rest = sock.recv(4096).decode()
        while "STOPPING=1" not in rest:
            rest = sock.recv(4096).decode()
        assert "STOPPING=1" in rest
    finally:
        sync.stop()
        sock.close()
