"""Sync benchmarks against one mosquitto in one run: pump, end-to-end, backlog (RSS growth), bridge.

- pump: the kiosk daemon (in this process) taking 5,000 queued `identity.enroll` transactions from SQLite to
  PUBACKed and marked `published`, against raw paho publishing the same payloads at QoS 1 with the same
  in-flight window. Target ratio ≥ 0.7.
- end-to-end: the same, all the way to `committed` with verified receipts, through a real `lxt-county bridge`
  process, against the same raw rate. Target ratio ≥ 0.25.
- backlog: 100,000 transactions drained by a real `lxt-sync` process; its peak RSS (VmHWM) minus its RSS when
  idle with the backlog queued, against the 50 MB target; and the drain rate against raw paho.
- bridge: the county intake verifying, recording and sealing 5,000 transactions (in this process), against
  raw cryptography verifying the same two signatures per transaction plus raw sqlite3 inserting the same bytes.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from kiosk.clock import SystemClock
from kiosk.config import load_settings
from kiosk.crypto import canonical
from kiosk.crypto.encoding import unb64u
from kiosk.tx.envelope import signing_message
from sync.county.intake import Intake
from sync.county.ledger import SqliteLedger
from sync.county.ledger_cli import load_county_signer
from sync.county.registry import KioskRegistry
from sync.daemon import SyncDaemon
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import County, Kiosk, wait_for

pytestmark = [pytest.mark.bench, pytest.mark.integration]

N = 20_000
BACKLOG = 100_000
WINDOW = 64


def _line(name: str, value: float, unit: str, base_name: str, base: float, base_unit: str, ratio: float) -> None:
    print(f"\nbench {name}: {value:.1f} {unit} ({base_name}: {base:.1f} {base_unit}) ratio {ratio:.2f}")


def raw_paho_rate(broker: Mosquitto, topic: str, payloads: list[bytes]) -> float:
    """Raw paho at QoS 1: publish every payload with the pump's in-flight window, until the last PUBACK."""
    done = threading.Event()
    connected = threading.Event()
    acked = [0]

    def on_publish(*_a: object) -> None:
        acked[0] += 1
        if acked[0] == len(payloads):
            done.set()

    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv5)
    client.max_inflight_messages_set(WINDOW)
    client.max_queued_messages_set(0)
    client.on_publish = on_publish
    client.on_connect = lambda *_a: connected.set()
    assert broker.port is not None
    client.connect(broker.host, broker.port)
    client.loop_start()
    assert connected.wait(10)
    start = time.perf_counter()
    for p in payloads:
        client.publish(topic, p, qos=1)
    assert done.wait(300)
    rate = len(payloads) / (time.perf_counter() - start)
    client.loop_stop()
    client.disconnect()
    return rate


def _count(db_path: Path, state: str) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE state = ?", (state,)).fetchone()[0])
    finally:
        conn.close()


def daemon_rate(kiosk: Kiosk, broker: Mosquitto, state: str, n: int, **env: str) -> float:
    """Run the real SyncDaemon in this process until n rows reach `state`; rows per second."""
    settings = load_settings(None, {**os.environ, **kiosk.env(broker, **env)})
    daemon = SyncDaemon(settings, SystemClock())
    thread = threading.Thread(target=daemon.run, name="bench-sync")
    thread.start()
    try:
        while not daemon.link.connected:  # the raw client's time also starts once it is connected
            time.sleep(0.001)
        start = time.perf_counter()
        # Watch the daemon's own counter, which costs nothing, and count rows in the database only once it says
        # the work may be done: a COUNT(*) over the outbox every few milliseconds is a table scan that would
        # take CPU from the daemon (the raw client's side counts PUBACKs in a callback, also for free).
        pump = daemon.pump
        counter: Callable[[], int] = (lambda: pump.published) if state == "published" else (lambda: pump.committed)
        while counter() < n:
            time.sleep(0.002)
        while _count(kiosk.db_path, state) < n:
            time.sleep(0.005)
        return n / (time.perf_counter() - start)
    finally:
        daemon.stop()
        thread.join(30)


def test_bench_pump_and_end_to_end(tmp_path: Path, mosquitto: Mosquitto) -> None:
    county = County(tmp_path / "county")
    raws, pumps, e2es = [], [], []
    for r in range(2):
        kiosk = Kiosk(tmp_path / f"kiosk{r}", county, kiosk_id=f"bench-{r}")
        county.register(kiosk)
        kiosk.enqueue_bulk(N)
        payloads = kiosk.envelopes()
        raws.append(raw_paho_rate(mosquitto, f"lxt/v1/{county.county}/bench-{r}/up/tx", payloads))
        # pump: no bridge is running, so nothing is acknowledged; let all of it be in the broker's hands
        pumps.append(daemon_rate(kiosk, mosquitto, "published", N, LXT_SYNC__MAX_UNACKED=str(N)))
        bridge = county.bridge(mosquitto, f"bench-bridge-{r}")
        wait_for("the bridge's subscription", lambda b=bridge: "subscribed" in b.text())  # type: ignore[misc]
        try:
            # end to end: the same rows, now taken by the bridge; the daemon re-sends them and commits
            e2es.append(daemon_rate(kiosk, mosquitto, "committed", N, LXT_SYNC__ACK_TIMEOUT_S="30"))
        finally:
            bridge.stop()
        assert kiosk.verify_receipts() == N
    raw, pump, e2e = statistics.median(raws), statistics.median(pumps), statistics.median(e2es)
    _line("pump", pump, "tx/s", "raw paho QoS 1", raw, "tx/s", pump / raw)
    _line("end-to-end", e2e, "tx/s", "raw paho QoS 1", raw, "tx/s", e2e / raw)


def _rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def test_bench_backlog(tmp_path: Path, mosquitto: Mosquitto) -> None:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    kiosk.enqueue_bulk(BACKLOG)
    raw = raw_paho_rate(mosquitto, f"lxt/v1/{county.county}/raw/up/tx", kiosk.envelopes()[:N])
    mosquitto.stop()  # the daemon starts with its backlog and no link: that is its idle size
    sync = kiosk.sync(mosquitto)
    bridge = None
    try:
        time.sleep(3)
        idle = _rss_kb(sync.pid, "VmRSS")
        mosquitto.start()
        bridge = county.bridge(mosquitto)
        wait_for("the bridge's subscription", lambda: "subscribed" in bridge.text())
        start = time.perf_counter()
        wait_for(
            "the backlog drained", lambda: _count(kiosk.db_path, "committed") == BACKLOG, timeout_s=1800, every_s=1
        )
        rate = BACKLOG / (time.perf_counter() - start)
        peak = _rss_kb(sync.pid, "VmHWM")
    finally:
        sync.stop()
        if bridge is not None:
            bridge.stop()
    growth_mb = (peak - idle) / 1024
    _line("backlog", growth_mb, "MB", "target", 50.0, "MB", growth_mb / 50.0)
    _line("backlog-drain", rate, "tx/s", "raw paho QoS 1", raw, "tx/s", rate / raw)


def _raw_verify_and_insert(path: Path, envelopes: list[bytes]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE tx (id TEXT PRIMARY KEY, envelope BLOB)")
    start = time.perf_counter()
    for i in range(0, len(envelopes), 500):
        rows = []
        for raw in envelopes[i : i + 500]:
            env = canonical.loads(raw)
            for sig, key in zip(env["sigs"], _keys(env), strict=True):
                Ed25519PublicKey.from_public_bytes(key).verify(unb64u(sig["sig"]), signing_message(env["id"]))
            rows.append((env["id"], raw))
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO tx VALUES (?, ?)", rows)
        conn.execute("COMMIT")
    rate = len(envelopes) / (time.perf_counter() - start)
    conn.close()
    return rate


_KEYS: dict[str, bytes] = {}


def _keys(env: dict) -> list[bytes]:  # type: ignore[type-arg]
    return [_KEYS[s["kid"]] for s in env["sigs"]]


def test_bench_bridge(tmp_path: Path) -> None:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    kiosk.enqueue_bulk(N)
    envelopes = kiosk.envelopes()
    first = canonical.loads(envelopes[0])
    body_key = unb64u(first["body"]["inception"]["event"]["key"])
    _KEYS.update({s["kid"]: (body_key if s["role"] == "villager" else kiosk.device.public_key) for s in first["sigs"]})
    topic = f"lxt/v1/{county.county}/{kiosk.kiosk_id}/up/tx"
    ours, raws = [], []
    for r in range(3):
        signer = load_county_signer(county.key)
        ledger = SqliteLedger(tmp_path / f"ledger{r}.sqlite3", county.county, signer)
        registry = KioskRegistry(county.registry)
        intake = Intake(county.county, ledger, registry, signer)
        start = time.perf_counter()
        for i in range(0, N, 500):
            taken = []
            for raw in envelopes[i : i + 500]:
                out, take = intake.accept(topic, raw)
                assert not out and take is not None
                taken.append(take)
            intake.submit(taken)
            intake.seal(0)
        intake.seal(0, force=True)
        ours.append(N / (time.perf_counter() - start))
        assert ledger.verify().ok and ledger.height() >= N // 500
        ledger.close()
        registry.close()
        raws.append(_raw_verify_and_insert(tmp_path / f"raw{r}.sqlite3", envelopes))
    o, b = statistics.median(ours), statistics.median(raws)
    _line("bridge", o, "tx/s", "raw verify + sqlite3", b, "tx/s", o / b)
