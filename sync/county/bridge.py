"""`lxt-county bridge`: kiosks' transactions from MQTT into the county ledger, receipts back.

Several bridges may run side by side: they share one subscription (`$share/<group>/…/up/tx`), so the broker
gives each message to one of them, and they share the ledger and registry files (both safe across processes).
Each bridge connects with a clean session, so a stopped bridge is simply out of the group. The paho thread only
enqueues; the main thread takes messages in batches (one ledger write per batch), seals
blocks when they are due, and publishes the acks. An ack lost on the way (a crash, a broken link) costs nothing:
the kiosk sends the transaction again and gets the same receipt.
"""

from __future__ import annotations

import argparse
import logging
import queue
import signal
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from sync import notify
from sync.county.credstore import CredentialOffice
from sync.county.intake import Intake, Outgoing
from sync.county.issuer import EnrolmentIssuer
from sync.county.ledger import SqliteLedger, wall_ms
from sync.county.ledger_cli import load_county_signer
from sync.county.registry import KioskRegistry
from sync.county.verifier_inbox import VerifierRelay
from sync.topics import PREFIX

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True, slots=True)
class BridgeConfig:
    county: str
    host: str
    port: int
    client_id: str
    group: str = "lxt-bridge"
    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None
    keepalive_s: int = 30
    max_payload_bytes: int = 262_144

    @property
    def subscription(self) -> str:
        return f"$share/{self.group}/{PREFIX}/{self.county}/+/up/tx"


class Bridge:
    def __init__(
        self,
        cfg: BridgeConfig,
        intake: Intake,
        issuer: EnrolmentIssuer | None = None,
        relay: VerifierRelay | None = None,
    ) -> None:
        self.cfg = cfg
        self.intake = intake
        self.issuer = issuer
        self.relay = relay  # committed presentation.deliver into the verifiers' inbox (sync/county/verifier_inbox.py)
        self._delivering: list[tuple[str, mqtt.MQTTMessageInfo]] = []
        self._inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=cfg.client_id,
            protocol=MQTTProtocolVersion.MQTTv5,
        )
        if cfg.ca is not None:
            self._client.tls_set(
                ca_certs=str(cfg.ca),
                certfile=None if cfg.cert is None else str(cfg.cert),
                keyfile=None if cfg.key is None else str(cfg.key),
                cert_reqs=ssl.CERT_REQUIRED,
            )
        self._client.reconnect_delay_set(1, 30)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message

    # --- paho callbacks: only enqueue or flag ----------------------------------------------------------

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            logger.error("the broker refused the bridge: %s", reason)
            return
        client.subscribe(self.cfg.subscription, qos=1)
        if self.issuer is not None:  # every bridge hears every kiosk's presence (not shared)
            client.subscribe(f"{PREFIX}/{self.cfg.county}/+/up/state", qos=1)
        self._connected.set()
        logger.info("bridge connected; subscribed to %s", self.cfg.subscription)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self._connected.clear()
        if not self._stop.is_set():
            logger.warning("bridge disconnected: %s", reason)

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._inbox.put((msg.topic, bytes(msg.payload)))

    # --- the main thread -------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def _send(self, out: list[Outgoing]) -> None:
        for o in out:
            # Not connected: paho keeps QoS 1 messages until it reconnects; if the process dies first the
            # kiosk's resend brings the same receipt back, so nothing depends on this send.
            self._client.publish(o.topic, o.payload, qos=1)

    def _take_batch(self, wait_s: float) -> list[tuple[str, bytes]]:
        try:
            first = self._inbox.get(timeout=wait_s)
        except queue.Empty:
            return []
        batch = [first]
        while len(batch) < BATCH:
            try:
                batch.append(self._inbox.get_nowait())
            except queue.Empty:
                break
        return batch

    def step(self, wait_s: float) -> int:
        """Take what has arrived, record it, seal what is due, send the acks. Returns messages handled."""
        batch = self._take_batch(wait_s)
        taken: list[tuple[str, bytes]] = []
        out: list[Outgoing] = []
        for topic, payload in batch:
            if topic.endswith("/up/state"):
                if self.issuer is not None:
                    self.issuer.on_state(topic, payload)
                continue
            acks, take = self.intake.accept(topic, payload)
            out.extend(acks)
            if take is not None:
                taken.append(take)
        self.intake.submit(taken)
        out.extend(self.intake.seal(wall_ms()))
        self._send(out)
        if self.issuer is not None:
            self._issue()
        if self.relay is not None:
            self.relay.scan(wall_ms())
        return len(batch)

    def _issue(self) -> None:
        """Credentials for what was committed, delivered while their kiosk is online (sync/county/issuer.py)."""
        assert self.issuer is not None  # noqa: S101 - only called with one
        now = wall_ms()
        self.issuer.scan(now)
        still = []
        for tx, info in self._delivering:
            if info.is_published():
                self.issuer.delivered(tx, now)
            elif info.rc == mqtt.MQTT_ERR_SUCCESS:
                still.append((tx, info))
        self._delivering = still
        if self.connected:
            for tx, o in self.issuer.due(now):
                self._delivering.append((tx, self._client.publish(o.topic, o.payload, qos=1)))

    def run(self) -> None:
        # A clean session each time: the broker keeps nothing for a bridge that is gone. (A persistent session
        # would, and a shared subscription goes on handing an offline member its share, so a retired bridge
        # would swallow half the traffic until its session expired.) What was in flight to a bridge that
        # died is sent again by its kiosk after the ack timeout.
        self._client.connect_async(self.cfg.host, self.cfg.port, self.cfg.keepalive_s, clean_start=True)
        self._client.loop_start()
        notify.notify("READY=1")
        watchdog = notify.watchdog_interval_s()
        last_ping = 0.0
        tick = max(0.005, self.intake.ledger.max_block_ms / 2000)
        try:
            while not self._stop.is_set():
                self.step(tick)
                if watchdog and time.monotonic() - last_ping >= watchdog:
                    notify.notify("WATCHDOG=1")
                    last_ping = time.monotonic()
            # Drain: whatever was already received is recorded and answered before leaving.
            while self.step(0.0):
                pass
            self._send(self.intake.seal(wall_ms(), force=True))
        finally:
            notify.notify("STOPPING=1")
            deadline = time.monotonic() + 2.0
            while self._client.want_write() and time.monotonic() < deadline:
                time.sleep(0.02)
            self._client.disconnect()
            self._client.loop_stop()

    def stop(self, *_args: object) -> None:
        self._stop.set()


def add_bridge_command(subparsers: Any) -> None:
    p = subparsers.add_parser("bridge", help="take kiosks' transactions into the ledger and send receipts")
    p.add_argument("--county", required=True, help="six-digit county code")
    p.add_argument("--ledger", type=Path, required=True, help="the ledger's SQLite file (made if missing)")
    p.add_argument("--registry", type=Path, required=True, help="the kiosk registry's SQLite file")
    p.add_argument("--county-key", type=Path, required=True, help="the county ledger private key (PEM)")
    p.add_argument("--host", default="127.0.0.1", help="the broker")
    p.add_argument("--port", type=int, default=8883, help="the broker's port")
    p.add_argument("--client-id", default="lxt-bridge-1", help="unique per bridge (its certificate's name with TLS)")
    p.add_argument("--group", default="lxt-bridge", help="shared-subscription group of the bridges")
    p.add_argument("--ca", type=Path, help="CA certificate: turns TLS on")
    p.add_argument("--cert", type=Path, help="the bridge's client certificate")
    p.add_argument("--key", type=Path, help="the bridge's client key")
    p.add_argument("--max-block-txs", type=int, default=500, help="seal a block at this many transactions")
    p.add_argument("--max-block-ms", type=int, default=200, help="or once the oldest pending waited this long")
    p.add_argument("--max-payload-bytes", type=int, default=262_144, help="larger transactions are rejected")
    p.add_argument(
        "--credentials",
        type=Path,
        help="the credential office (lxt-county issuer): turns on the real-name credential for each enrolment "
        "and the verifiers' inbox for presentations delivered through the county",
    )
    p.set_defaults(func=cmd_bridge)


def cmd_bridge(args: argparse.Namespace) -> int:
    signer = load_county_signer(args.county_key)
    ledger = SqliteLedger(
        args.ledger, args.county, signer, max_block_txs=args.max_block_txs, max_block_ms=args.max_block_ms
    )
    registry = KioskRegistry(args.registry)
    cfg = BridgeConfig(
        county=args.county,
        host=args.host,
        port=args.port,
        client_id=args.client_id,
        group=args.group,
        ca=args.ca,
        cert=args.cert,
        key=args.key,
        max_payload_bytes=args.max_payload_bytes,
    )
    office = None if args.credentials is None else CredentialOffice(args.credentials, args.county)
    issuer = None if office is None else EnrolmentIssuer(office, ledger, signer, args.county)
    relay = None if office is None else VerifierRelay(office, ledger)
    intake = Intake(args.county, ledger, registry, signer, max_payload_bytes=args.max_payload_bytes)
    bridge = Bridge(cfg, intake, issuer, relay)

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        bridge.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logger.info("bridge %s for county %s on %s:%d", cfg.client_id, cfg.county, cfg.host, cfg.port)
    try:
        bridge.run()
    finally:
        c = bridge.intake.counters
        logger.info(
            "bridge stopped: %d taken, %d duplicates, %d rejected, %d held, %d dropped, %d acks",
            c.taken,
            c.duplicates,
            c.rejected,
            c.held,
            c.dropped,
            c.acked,
        )
        ledger.close()
        registry.close()
        if office is not None:
            office.close()
    return 0
