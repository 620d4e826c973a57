"""The MQTT link to the county: one paho client, driven by one `sync-link` thread, reporting by events.

paho's callbacks only put events on a queue; the daemon's single database thread consumes them. The
link reconnects by itself with jittered exponential backoff (no two kiosks of a village hammering a
restarting broker in step), sets the retained last-will on `up/state` for each session, and subscribes to
the kiosk's own topics on every connect (clean start: the outbox, not the broker session, is the truth).
"""

from __future__ import annotations

import json
import logging
import queue
import random
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion

logger = logging.getLogger(__name__)

CONNACK_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class TlsFiles:
    ca: Path
    cert: Path
    key: Path


@dataclass(frozen=True, slots=True)
class LinkConfig:
    host: str
    port: int
    client_id: str
    state_topic: str
    subscriptions: tuple[str, ...]
    keepalive_s: int = 30
    tls: TlsFiles | None = None
    backoff_min_s: float = 1.0
    backoff_max_s: float = 120.0
    max_inflight: int = 64  # QoS 1 messages on the wire without PUBACK (paho paces the rest)
    max_queued: int = 1000  # messages paho may hold beyond that; publish refuses more


# --- events, in the order the daemon sees them ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Connected:
    session: int


@dataclass(frozen=True, slots=True)
class Disconnected:
    reason: str


@dataclass(frozen=True, slots=True)
class PubAck:
    mid: int
    ok: bool
    reason: str


@dataclass(frozen=True, slots=True)
class PubAcks:
    """The PUBACKs of one turn of the link thread, in order: one event (one wake-up of the daemon) for many."""

    acks: tuple[PubAck, ...]


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: bytes
    retained: bool


LinkEvent = Connected | Disconnected | PubAck | PubAcks | Message


def backoff_delay(attempt: int, low: float, high: float, rng: random.Random) -> float:
    """Exponential backoff with jitter: somewhere in [cap/2, cap], cap = low * 2**attempt, at most `high`."""
    cap = min(high, low * (2 ** min(attempt, 30)))
    return rng.uniform(cap / 2, cap)


class MqttLink:
    def __init__(self, config: LinkConfig, events: queue.Queue[LinkEvent], session: int = 0) -> None:
        self._cfg = config
        self._events = events
        self._session = session
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._rng = random.Random()  # noqa: S311 - jitter, not secrecy
        self._thread: threading.Thread | None = None
        # paho calls on_publish on the link thread, or on the daemon's when a publish writes at once (QoS 0):
        # a deque, whose append and popleft are atomic, so no PUBACK is lost between the two.
        self._pubacks: deque[PubAck] = deque()
        self._client = self._make_client()

    # --- paho set-up and callbacks (they only enqueue) -----------------------------------------

    def _make_client(self) -> mqtt.Client:
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=self._cfg.client_id,
            protocol=MQTTProtocolVersion.MQTTv5,
        )
        if self._cfg.tls is not None:
            t = self._cfg.tls
            client.tls_set(ca_certs=str(t.ca), certfile=str(t.cert), keyfile=str(t.key), cert_reqs=ssl.CERT_REQUIRED)
        # paho keeps the wire full by itself (sending the next queued message on each PUBACK, in its own
        # thread); our outbox stays the source of truth, so paho's queue is bounded and small.
        client.max_inflight_messages_set(self._cfg.max_inflight)
        client.max_queued_messages_set(self._cfg.max_queued)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        client.on_message = self._on_message
        return client

    def _put(self, event: LinkEvent) -> None:
        """Every other event goes after the PUBACKs gathered before it, so the daemon sees them in order."""
        self._flush_pubacks()
        self._events.put(event)

    def _flush_pubacks(self) -> None:
        batch: list[PubAck] = []
        try:
            while True:
                batch.append(self._pubacks.popleft())
        except IndexError:
            pass
        if batch:
            self._events.put(PubAcks(tuple(batch)))

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            self._put(Disconnected(f"refused: {reason}"))
            return
        for topic in self._cfg.subscriptions:
            client.subscribe(topic, qos=1)
        self._connected.set()
        self._put(Connected(self._session))

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        if was:
            self._put(Disconnected(str(reason)))

    def _on_publish(self, _c: mqtt.Client, _u: Any, mid: int, reason: Any, _p: Any) -> None:
        # Gathered and handed over once per turn of the loop: a wake-up of the daemon thread per PUBACK made
        # the two threads trade the GIL thousands of times a second while a backlog drains.
        self._pubacks.append(PubAck(mid, not reason.is_failure, str(reason)))

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._put(Message(msg.topic, bytes(msg.payload), bool(msg.retain)))

    # --- the link thread ---------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-link", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    @property
    def session(self) -> int:
        return self._session

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            if self._connect_once():
                attempt = 0
                self._serve()
            else:
                attempt += 1
            if not self._stop.is_set():
                self._stop.wait(backoff_delay(attempt, self._cfg.backoff_min_s, self._cfg.backoff_max_s, self._rng))

    def _connect_once(self) -> bool:
        self._session += 1
        will = json.dumps({"online": False, "session": self._session}).encode()
        self._client.will_set(self._cfg.state_topic, will, qos=1, retain=True)
        try:
            rc = self._client.connect(self._cfg.host, self._cfg.port, self._cfg.keepalive_s, clean_start=True)
        except (OSError, ssl.SSLError, ValueError) as exc:
            self._put(Disconnected(f"connect failed: {type(exc).__name__}: {exc}"))
            return False
        if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            self._put(Disconnected(f"connect failed: {rc}"))
            return False
        deadline = time.monotonic() + CONNACK_TIMEOUT_S
        while not self._connected.is_set() and time.monotonic() < deadline and not self._stop.is_set():
            if self._client.loop(0.1) != MQTTErrorCode.MQTT_ERR_SUCCESS:
                break
        if not self._connected.is_set():
            self._client.disconnect()
            return False
        return True

    def _serve(self) -> None:
        while not self._stop.is_set():
            rc = self._client.loop(0.1)
            self._flush_pubacks()
            if rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                self._on_disconnect(self._client, None, None, rc, None)
                return

    # --- used by the daemon thread -------------------------------------------------------------------

    def publish(self, topic: str, payload: bytes, *, retain: bool = False, qos: int = 1) -> int | None:
        """Publish (QoS 1 unless said); the message id, or None when not connected (the caller keeps it)."""
        if not self._connected.is_set():
            return None
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return None
        return int(info.mid)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Say goodbye cleanly (a retained offline state, then DISCONNECT, so no last will is sent)."""
        if self._connected.is_set():
            gone = json.dumps({"online": False, "session": self._session, "clean": True}).encode()
            info = self._client.publish(self._cfg.state_topic, gone, qos=1, retain=True)
            deadline = time.monotonic() + timeout_s / 2
            while not info.is_published() and time.monotonic() < deadline and self._connected.is_set():
                time.sleep(0.02)
            self._client.disconnect()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
