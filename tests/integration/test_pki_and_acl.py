"""The county broker as generated: mutual TLS with county certificates and the per-kiosk ACL, on a real mosquitto."""

from __future__ import annotations

import queue
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from sync.county.broker_config import MESSAGE_SIZE_LIMIT
from sync.county.pki import BRIDGE_NAME, PkiFiles, init_pki
from tests.integration.mosquitto import ClientTls, Mosquitto

pytestmark = pytest.mark.integration

COUNTY = "410225"
WAIT_S = 5.0
# Long enough for a message in flight on loopback to arrive; used only where we expect nothing.
QUIET_S = 0.5
NOT_AUTHORIZED = 0x87
PACKET_TOO_LARGE = 0x95


def topic(kiosk: str, rest: str) -> str:
    return f"lxt/v1/{COUNTY}/{kiosk}/{rest}"


@dataclass
class Client:
    """A paho 2.x MQTT 5 client whose callbacks only record, for tests to wait on."""

    paho: mqtt.Client
    connected: threading.Event = field(default_factory=threading.Event)
    gone: threading.Event = field(default_factory=threading.Event)
    connack: list[str] = field(default_factory=list)
    messages: queue.Queue[mqtt.MQTTMessage] = field(default_factory=queue.Queue)
    pubacks: dict[int, int] = field(default_factory=dict)
    acked: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, t: str, payload: bytes, *, retain: bool = False) -> int:
        info = self.paho.publish(t, payload, qos=1, retain=retain)
        return info.mid

    def puback(self, mid: int) -> int | None:
        """The PUBACK reason code, or None if the connection went before one came."""
        with self.acked:
            self.acked.wait_for(lambda: mid in self.pubacks or self.gone.is_set(), WAIT_S)
            return self.pubacks.get(mid)

    def subscribe(self, t: str) -> None:
        done = threading.Event()
        self.paho.on_subscribe = lambda *_a: done.set()
        self.paho.subscribe(t, qos=1)
        assert done.wait(WAIT_S), f"no SUBACK for {t}"

    def next_message(self, timeout: float = WAIT_S) -> mqtt.MQTTMessage | None:
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.paho.disconnect()
        self.paho.loop_stop()


def connect(port: int, tls: ClientTls | None, *, client_id: str = "", cert: bool = True) -> Client:
    """Connect and return at once: the caller waits on `connected` or `gone` (TLS refusal comes late)."""
    paho = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5
    )
    c = Client(paho)
    if tls is not None:
        if cert:
            paho.tls_set(ca_certs=str(tls.ca), certfile=str(tls.cert), keyfile=str(tls.key))
        else:
            paho.tls_set(ca_certs=str(tls.ca), cert_reqs=ssl.CERT_REQUIRED)

    def on_connect(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        c.connack.append(str(reason))
        if reason.is_failure:
            c.gone.set()
        else:
            c.connected.set()

    def on_disconnect(_c: Any, _u: Any, _f: Any, _r: Any, _p: Any) -> None:
        with c.acked:
            c.gone.set()
            c.acked.notify_all()

    def on_publish(_c: Any, _u: Any, mid: int, reason: Any, _p: Any) -> None:
        with c.acked:
            c.pubacks[mid] = reason.value
            c.acked.notify_all()

    paho.on_connect = on_connect
    paho.on_disconnect = on_disconnect
    paho.on_publish = on_publish
    paho.on_message = lambda _c, _u, m: c.messages.put(m)
    paho.reconnect_delay_set(60, 60)  # a refused or dropped client must stay down for the assertions
    try:
        paho.connect("127.0.0.1", port)
    except (ssl.SSLError, OSError):
        c.gone.set()
        return c
    paho.loop_start()
    return c


def online(port: int, tls: ClientTls | None, client_id: str = "") -> Client:
    c = connect(port, tls, client_id=client_id)
    assert c.connected.wait(WAIT_S), f"could not connect: {c.connack}"
    return c


@pytest.fixture
def broker(mosquitto_tls: Mosquitto) -> Mosquitto:
    return mosquitto_tls


@pytest.fixture
def kiosk1(broker: Mosquitto, tmp_path: Path) -> ClientTls:
    return broker.enrol_kiosk(tmp_path / "k1", "kiosk-1")


@pytest.fixture
def kiosk2(broker: Mosquitto, tmp_path: Path) -> ClientTls:
    return broker.enrol_kiosk(tmp_path / "k2", "kiosk-2")


@pytest.fixture
def observer(broker: Mosquitto) -> Any:
    """Sees everything through the plain loopback listener (no ACL there), to prove what was not delivered."""
    assert broker.port is not None
    c = online(broker.port, None)
    c.subscribe("lxt/#")
    yield c
    c.close()


def accepted(code: int | None) -> bool:
    """A PUBACK below 0x80 is success (0x10 "no matching subscribers" included)."""
    return code is not None and code < 0x80


def assert_nothing(c: Client) -> None:
    m = c.next_message(QUIET_S)
    assert m is None, f"unexpected delivery on {m.topic if m else ''}"


def test_kiosk_publishes_its_own_tx_and_the_bridge_receives_it_through_a_shared_subscription(
    broker: Mosquitto, kiosk1: ClientTls
) -> None:
    assert broker.tls_port is not None
    bridge = online(broker.tls_port, broker.service_tls())
    bridge.subscribe(f"$share/bridge/lxt/v1/{COUNTY}/+/up/tx")
    kiosk = online(broker.tls_port, kiosk1)
    try:
        assert accepted(kiosk.puback(kiosk.publish(topic("kiosk-1", "up/tx"), b"tx-1")))
        m = bridge.next_message()
        assert m is not None
        assert (m.topic, m.payload) == (topic("kiosk-1", "up/tx"), b"tx-1")
    finally:
        kiosk.close()
        bridge.close()


@pytest.mark.parametrize(
    "target",
    [
        topic("kiosk-2", "up/tx"),  # impersonate another kiosk
        topic("kiosk-1", "down/ack"),  # forge the county's ack to itself
        f"lxt/v1/{COUNTY}/broadcast/trust",  # push a trust list to every kiosk
        "lxt/v1/411421/kiosk-1/up/tx",  # another county's tree
    ],
)
def test_kiosk_publishing_outside_its_own_up_is_refused_and_not_delivered(
    broker: Mosquitto, kiosk1: ClientTls, observer: Client, target: str
) -> None:
    assert broker.tls_port is not None
    kiosk = online(broker.tls_port, kiosk1)
    try:
        assert kiosk.puback(kiosk.publish(target, b"forged")) == NOT_AUTHORIZED
        assert_nothing(observer)
        # mosquitto 2.0.11 then closes the connection: a kiosk that keeps re-sending a denied message
        # reconnects in a loop, so the daemon must treat 0x87 as a rejection, never as "send again".
        assert kiosk.gone.wait(WAIT_S), "mosquitto no longer drops a client after a denied PUBLISH: update the docs"
    finally:
        kiosk.close()


def test_kiosk_reads_only_its_own_down_even_when_it_subscribes_to_another(
    broker: Mosquitto, kiosk1: ClientTls, kiosk2: ClientTls
) -> None:
    assert broker.tls_port is not None
    bridge = online(broker.tls_port, broker.service_tls())
    snoop = online(broker.tls_port, kiosk1)
    owner = online(broker.tls_port, kiosk2)
    try:
        # mosquitto grants the SUBSCRIBE and filters each message at delivery: nothing arrives.
        snoop.subscribe(topic("kiosk-2", "down/#"))
        snoop.subscribe("#")
        owner.subscribe(topic("kiosk-2", "down/#"))
        assert accepted(bridge.puback(bridge.publish(topic("kiosk-2", "down/ack"), b"ack", retain=True)))
        m = owner.next_message()
        assert m is not None
        assert m.topic == topic("kiosk-2", "down/ack")
        assert_nothing(snoop)
        # Retained messages are checked at delivery too.
        snoop.subscribe(topic("kiosk-2", "down/ack"))
        assert_nothing(snoop)
    finally:
        for c in (snoop, owner, bridge):
            c.close()


def test_client_without_certificate_is_refused(broker: Mosquitto, kiosk1: ClientTls) -> None:
    assert broker.tls_port is not None
    c = connect(broker.tls_port, kiosk1, cert=False)
    try:
        assert c.gone.wait(WAIT_S)
        assert not c.connected.is_set()
    finally:
        c.close()


def test_certificate_from_another_ca_is_refused(broker: Mosquitto, tmp_path: Path) -> None:
    assert broker.tls_port is not None
    other = PkiFiles(tmp_path / "other-ca")
    init_pki(other, COUNTY)
    # The other CA's bridge certificate, presented with our CA as trust anchor for the server.
    tls = ClientTls(broker.service_tls().ca, other.service_cert(BRIDGE_NAME), other.service_key(BRIDGE_NAME))
    c = connect(broker.tls_port, tls)
    try:
        assert c.gone.wait(WAIT_S)
        assert not c.connected.is_set()
    finally:
        c.close()


def test_oversized_payload_is_refused(broker: Mosquitto, kiosk1: ClientTls, observer: Client) -> None:
    assert broker.tls_port is not None
    kiosk = online(broker.tls_port, kiosk1)
    try:
        assert kiosk.puback(kiosk.publish(topic("kiosk-1", "up/tx"), b"z" * (MESSAGE_SIZE_LIMIT + 1))) in (
            None,
            PACKET_TOO_LARGE,
        )
        assert_nothing(observer)
        # mosquitto 2.0.11 answers PUBACK 0x95 and closes the connection; paho often sees only the close.
        assert kiosk.gone.wait(WAIT_S)
        # A payload at the limit still passes, on a new connection.
        again = online(broker.tls_port, kiosk1)
        assert accepted(again.puback(again.publish(topic("kiosk-1", "up/tx"), b"z" * MESSAGE_SIZE_LIMIT)))
        m = observer.next_message()
        assert m is not None
        assert len(m.payload) == MESSAGE_SIZE_LIMIT
        again.close()
    finally:
        kiosk.close()


def test_retained_broadcast_survives_a_broker_restart(broker: Mosquitto, kiosk1: ClientTls) -> None:
    assert broker.tls_port is not None
    bridge = online(broker.tls_port, broker.service_tls())
    assert accepted(bridge.puback(bridge.publish(f"lxt/v1/{COUNTY}/broadcast/config", b"cfg-v7", retain=True)))
    bridge.close()
    port = broker.tls_port
    broker.restart()
    assert broker.tls_port == port
    kiosk = online(broker.tls_port, kiosk1)
    try:
        kiosk.subscribe(f"lxt/v1/{COUNTY}/broadcast/#")
        m = kiosk.next_message()
        assert m is not None
        assert (m.payload, m.retain) == (b"cfg-v7", True)
    finally:
        kiosk.close()


def test_a_kiosk_cannot_take_over_the_bridge_session_by_its_client_id(broker: Mosquitto, kiosk1: ClientTls) -> None:
    assert broker.tls_port is not None
    bridge = online(broker.tls_port, broker.service_tls(), client_id="bridge-1")
    intruder = online(broker.tls_port, kiosk1, client_id=BRIDGE_NAME)
    try:
        # use_username_as_clientid: the broker renamed the intruder to its CN, so the bridge stays connected.
        assert not bridge.gone.wait(QUIET_S)
        assert "as kiosk-1 (p5" in broker.log()
    finally:
        intruder.close()
        bridge.close()


def test_plain_broker_pause_resume_and_restart(mosquitto: Mosquitto) -> None:
    assert mosquitto.port is not None
    sub = online(mosquitto.port, None)
    sub.subscribe("t/#")
    pub = online(mosquitto.port, None)
    try:
        mosquitto.pause()
        late = connect(mosquitto.port, None)
        assert not late.connected.wait(QUIET_S), "a paused broker answered"
        mosquitto.resume()
        assert late.connected.wait(WAIT_S)
        late.close()
        assert accepted(pub.puback(pub.publish("t/1", b"one")))
        m = sub.next_message()
        assert m is not None
        assert m.payload == b"one"
        port = mosquitto.port
        mosquitto.restart()
        assert mosquitto.port == port
        assert online(port, None).connected.is_set()
    finally:
        sub.close()
        pub.close()
