"""`lxt-sync`: the kiosk's sync daemon — outbox → MQTT, acks → SQLite — and its composition root.

One thread (this module's loop, named `sync`) owns the database connection; the `sync-link` thread owns the
MQTT socket. They meet only through the event queue (link → daemon) and `MqttLink.publish` (daemon → link).
The daemon tells systemd it is ready once both run, and pings the watchdog only while both are alive.
"""

from __future__ import annotations

import argparse
import json
import logging
import queue
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from kiosk.clock import SystemClock, TimeService, to_ms
from kiosk.config import Settings, load_settings, with_overlay
from kiosk.credentials import deliveries as credential_deliveries
from kiosk.credentials.wallet import Wallet
from kiosk.errors import ConfigError, KioskError
from kiosk.identity.device import KEY_FILE, DeviceIdentity, load_identity
from kiosk.ports import Clock
from kiosk.store import deliveries, outbox
from kiosk.store.db import Database
from sync import notify
from sync.downlink import DownHandler, Resync
from sync.keys import load_county_key
from sync.link import Connected, Disconnected, LinkConfig, LinkEvent, Message, MqttLink, PubAck, PubAcks, TlsFiles
from sync.pump import OutboxPump
from sync.status import SyncStatus
from sync.topics import KioskTopics

logger = logging.getLogger(__name__)

SOFTWARE_VERSION = "0.1.0"
TICK_S = 0.05
# The time floor is persisted and the status row touched this often; readers call a row older than
# kiosk.store.deliveries.LINK_STALE_MS stale (lxt-sync is not running).
HEARTBEAT_S = 20.0
TELEMETRY_S = 60.0
# The round-trip probe: a tiny QoS 1 message on up/telemetry whose PUBACK time is the RTT the technician sees.
RTT_PROBE_S = 20.0
PUBACK_FLUSH_S = 0.25
# Messages handed to paho and not yet PUBACKed: paho puts `inflight_window` of them on the wire and sends the
# next one on each PUBACK without waiting for this thread.
LINK_QUEUE = 512


def link_config(settings: Settings, device: DeviceIdentity, topics: KioskTopics) -> LinkConfig:
    s = settings.sync
    tls = None
    if s.tls:
        paths = settings.paths
        tls = TlsFiles(
            ca=s.ca_file or paths.county_dir / "ca.pem",
            cert=s.cert_file or paths.secrets_dir / "device.crt",
            key=paths.secrets_dir / KEY_FILE,
        )
        for f in (tls.ca, tls.cert, tls.key):
            if not f.exists():
                raise ConfigError(f"TLS is on but {f} is missing (see docs/operations-pki.md)")
    return LinkConfig(
        host=s.broker_host,
        port=s.broker_port,
        client_id=f"{device.county_id}-{device.kiosk_id}",
        state_topic=topics.up_state,
        subscriptions=tuple(topics.subscriptions()),
        keepalive_s=s.keepalive_s,
        tls=tls,
        backoff_min_s=s.reconnect_min_s,
        backoff_max_s=s.reconnect_max_s,
        max_inflight=s.inflight_window,
        max_queued=LINK_QUEUE,
    )


def _remote(settings: Settings, db: Database) -> Settings:
    """The settings with the county's remote overlay on top (an overlay that no longer validates is ignored)."""
    overlay = deliveries.config_overlay(db.conn)
    if not overlay:
        return settings
    try:
        return with_overlay(settings, overlay)
    except ConfigError as exc:
        logger.error("the remote configuration is not valid any more and is ignored: %s", exc)
        return settings


class SyncDaemon:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.device = load_identity(settings.paths.secrets_dir)
        self.db = Database(settings.paths.database)
        settings = _remote(settings, self.db)
        self.settings = settings
        logging.getLogger().setLevel(settings.logging.level)  # the county may have changed it remotely
        self.time = TimeService.load(clock, self.db.conn)
        self.topics = KioskTopics(self.device.county_id, self.device.kiosk_id)
        self.status = SyncStatus(self.db)
        self.events: queue.Queue[LinkEvent] = queue.Queue()
        county_key = load_county_key(settings.sync.county_ledger_key or settings.paths.county_dir / "ledger.pub")
        self.link = MqttLink(link_config(settings, self.device, self.topics), self.events, self.status.session())
        self.pump = OutboxPump(
            self.db,
            lambda payload: self.link.publish(self.topics.up_tx, payload),
            county_key,
            window=LINK_QUEUE,
            ack_timeout_s=settings.sync.ack_timeout_s,
            max_unacked=settings.sync.max_unacked,
            now_ms=lambda: to_ms(self.time.now().at),
            monotonic=self.time.monotonic,
            county=self.device.county_id,
            max_payload_bytes=settings.sync.max_payload_bytes,
            refusal_pause_s=settings.sync.reconnect_max_s,
        )
        wallet = Wallet(self.db, self.device.secret)
        self.down = DownHandler(
            settings,
            county_key,
            self.device.county_id,
            self.device.kiosk_id,
            self.time,
            software=SOFTWARE_VERSION,
            take_credentials=lambda conn: credential_deliveries.take(
                conn, wallet, self.time.now(), to_ms(self.time.now().at)
            ),
        )
        self._started = time.monotonic()
        self._last_telemetry = 0.0
        self._probe_mid: int | None = None  # the probe waiting for its PUBACK
        self._probe_sent = 0.0
        self._last_probe: float | None = None
        self._stop = threading.Event()
        self._max_payload = settings.sync.max_payload_bytes

    # --- events ----------------------------------------------------------------------------------

    def _handle(self, event: LinkEvent, acks: list[bytes]) -> None:
        if isinstance(event, PubAcks):
            for one in event.acks:
                self._handle(one, acks)
        elif isinstance(event, PubAck):
            if event.mid == self._probe_mid:
                self._probe_answered(event.ok)
            else:
                self.pump.on_puback(event.mid, event.ok, event.reason)
        elif isinstance(event, Message):
            if len(event.payload) > self._max_payload:
                logger.warning("refused a %d-byte message on %s: over the limit", len(event.payload), event.topic)
            elif event.topic == self.topics.down_ack:
                acks.append(event.payload)  # handled together below: one transaction (one fsync) for all
            else:
                self._on_message(event)
        elif isinstance(event, Connected):
            self._on_connected(event)
        elif isinstance(event, Disconnected):
            self.pump.link_lost()
            self._probe_mid, self._last_probe = None, None  # measure again as soon as the next session is up
            with self.db.transaction() as conn:
                self.status.went_offline(conn, event.reason, to_ms(self.time.now().at))
            logger.info("link down: %s", event.reason)

    def _on_acks(self, conn: sqlite3.Connection, acks: list[bytes]) -> None:
        settled = 0
        for payload in acks:
            outcome = self.pump.on_ack(conn, payload)
            settled += outcome.status in ("committed", "rejected")
        if settled:
            self.status.acked(conn, to_ms(self.time.now().at))

    def _on_connected(self, event: Connected) -> None:
        now = to_ms(self.time.now().at)
        with self.db.transaction() as conn:
            self.status.went_online(conn, event.session, self.settings.sync.broker_host, now)
            depth = outbox.depth(conn)
        birth = {
            "online": True,
            "session": event.session,
            "county": self.device.county_id,
            "kiosk": self.device.kiosk_id,
            "sw": SOFTWARE_VERSION,
            "outbox_depth": depth,
            "time_ms": now,
        }
        self.link.publish(self.topics.up_state, json.dumps(birth).encode(), retain=True)
        logger.info("link up (session %d), %d transactions to send", event.session, depth)

    def _on_message(self, msg: Message) -> None:
        if not self.down.handles(msg.topic):
            logger.warning("ignored a message on a topic this kiosk does not take: %s", msg.topic[-80:])
            return
        with self.db.transaction() as conn:
            effects = self.down.handle(conn, msg.topic, msg.payload)
        for effect in effects:
            if isinstance(effect, Resync):
                self.pump.resync()
            else:
                # After the commit: the reply states what is now true. If the link drops first the county
                # asks again, and the kiosk's record of the command answers the same.
                self.link.publish(effect.topic, effect.payload, retain=effect.retain)

    def _telemetry(self) -> None:
        """A small health report now and then, at QoS 0: the first thing dropped when the link is busy."""
        now = time.monotonic()
        if now - self._last_telemetry < TELEMETRY_S or self.pump.in_flight > self.settings.sync.inflight_window // 2:
            return
        self._last_telemetry = now
        report = {
            "uptime_s": int(now - self._started),
            "outbox_depth": outbox.depth(self.db.conn),
            "in_flight": self.pump.in_flight,
            "sent": self.pump.sent,
            "committed": self.pump.committed,
            "rejected": self.pump.rejected,
            "refusal": self.pump.last_refusal,
        }
        self.link.publish(self.topics.up_telemetry, json.dumps(report).encode(), qos=0)

    def _probe(self) -> None:
        """Send the RTT probe every RTT_PROBE_S (the first right after connecting), one at a time."""
        now = time.monotonic()
        if self._probe_mid is not None or (self._last_probe is not None and now - self._last_probe < RTT_PROBE_S):
            return
        self._last_probe = now
        self._probe_sent = now
        self._probe_mid = self.link.publish(self.topics.up_telemetry, b'{"probe":1}', qos=1)

    def _probe_answered(self, ok: bool) -> None:
        self._probe_mid = None
        if not ok:
            return
        rtt_ms = round((time.monotonic() - self._probe_sent) * 1000)
        with self.db.transaction() as conn:
            self.status.round_trip(conn, rtt_ms, to_ms(self.time.now().at))

    # --- the loop ---------------------------------------------------------------------------------

    def _drain_events(self, acks: list[bytes]) -> None:
        try:
            event: LinkEvent | None = self.events.get(timeout=TICK_S)
        except queue.Empty:
            return
        while event is not None:
            self._handle(event, acks)
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                event = None

    def run(self) -> None:
        self.link.start()
        notify.notify("READY=1")
        watchdog = notify.watchdog_interval_s()
        last_ping = last_floor = 0.0
        last_flush = 0.0
        while not self._stop.is_set():
            acks: list[bytes] = []
            self._drain_events(acks)
            now = time.monotonic()
            flush = self.pump.pubacks_waiting and (now - last_flush > PUBACK_FLUSH_S or self.pump.unpubacked == 0)
            floor = now - last_floor > HEARTBEAT_S
            if acks or flush or floor:
                # One transaction (one fsync) for the turn's acks, the PUBACKs of the last moments (`published`
                # is informational: a crash before it is written only means a resend) and the time floor.
                with self.db.transaction() as conn:
                    self._on_acks(conn, acks)
                    if flush or acks:
                        self.pump.flush_pubacks(conn)
                        last_flush = now
                    if floor:
                        self.time.persist(conn)
                        self.status.heartbeat(conn, to_ms(self.time.now().at))
                        last_floor = now
            if self.link.connected:
                self.pump.pump()
                self._telemetry()
                self._probe()
            if watchdog and self.link.alive and time.monotonic() - last_ping >= watchdog:
                notify.notify("WATCHDOG=1")
                last_ping = time.monotonic()
        notify.notify("STOPPING=1")
        self.link.stop()
        last: list[bytes] = []
        self._drain_events(last)
        with self.db.transaction() as conn:
            self._on_acks(conn, last)
            self.pump.flush_pubacks(conn)
            self.status.went_offline(conn, "stopped", to_ms(self.time.now().at))
            self.time.persist(conn)
        self.db.close()

    def stop(self, *_args: object) -> None:
        self._stop.set()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="lxt-sync", description=__doc__)
    parser.add_argument("--config", type=Path, help="settings file (default: $LXT_CONFIG or /etc/lxt/kiosk.toml)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        logging.basicConfig(level=settings.logging.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        daemon = SyncDaemon(settings, SystemClock())
    except KioskError as exc:
        print(f"lxt-sync: {exc}", file=sys.stderr)
        sys.exit(2)

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        daemon.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    daemon.run()
