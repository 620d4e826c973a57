"""Faults on the sync path, each ending with every transaction committed exactly once and every receipt verified."""

from __future__ import annotations

import random
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from kiosk.crypto import canonical
from sync.topics import KioskTopics
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import County, Kiosk, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def world(tmp_path: Path) -> tuple[County, Kiosk]:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    return county, kiosk


def _exactly_once(county: County, kiosk: Kiosk, ids: list[str]) -> None:
    assert kiosk.states() == {"committed": len(ids)}
    assert kiosk.verify_receipts() == len(ids)
    assert county.tx_count() == len(ids)
    assert county.committed() == set(ids)
    verdict = county.verify()
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr


def test_broker_restart_mid_drain(mosquitto: Mosquitto, world: tuple[County, Kiosk]) -> None:
    county, kiosk = world
    ids = kiosk.enqueue(300)
    bridge = county.bridge(mosquitto)
    sync = kiosk.sync(mosquitto, LXT_SYNC__MAX_UNACKED="16")
    try:
        wait_for("the drain to start", lambda: kiosk.states().get("committed", 0) > 10)
        before = kiosk.states().get("committed", 0)
        mosquitto.restart()
        wait_for("every transaction committed after the restart", lambda: kiosk.all_committed(len(ids)))
    finally:
        sync.stop()
        bridge.stop()
    assert before < len(ids), "the restart came after the drain; make the backlog larger"
    _exactly_once(county, kiosk, ids)


def test_broker_unreachable_for_a_while_then_back(mosquitto: Mosquitto, world: tuple[County, Kiosk]) -> None:
    county, kiosk = world
    first = kiosk.enqueue(20)
    bridge = county.bridge(mosquitto)
    sync = kiosk.sync(mosquitto)
    try:
        wait_for("the first batch", lambda: kiosk.all_committed(len(first)))
        mosquitto.stop()
        later = kiosk.enqueue(30)  # the villager keeps working offline
        time.sleep(3)  # several reconnect attempts fail meanwhile
        assert sync.alive() and bridge.alive()
        assert kiosk.states().get("queued", 0) == 30
        mosquitto.start()
        wait_for("the offline work committed once the link is back", lambda: kiosk.all_committed(50))
    finally:
        sync.stop()
        bridge.stop()
    _exactly_once(county, kiosk, first + later)


def test_a_frozen_broker_then_back(mosquitto: Mosquitto, world: tuple[County, Kiosk]) -> None:
    county, kiosk = world
    ids = kiosk.enqueue(40)
    bridge = county.bridge(mosquitto)
    sync = kiosk.sync(mosquitto, LXT_SYNC__KEEPALIVE_S="5")
    try:
        wait_for("some committed", lambda: kiosk.states().get("committed", 0) > 0)
        mosquitto.pause()
        time.sleep(2)
        mosquitto.resume()
        wait_for("all committed after the freeze", lambda: kiosk.all_committed(len(ids)))
    finally:
        sync.stop()
        bridge.stop()
    _exactly_once(county, kiosk, ids)


@pytest.mark.slow
def test_lxt_sync_killed_at_random_moments(mosquitto: Mosquitto, world: tuple[County, Kiosk]) -> None:
    county, kiosk = world
    rng = random.Random(20261124)
    ids = kiosk.enqueue(400)
    bridge = county.bridge(mosquitto)
    try:
        for _ in range(20):
            sync = kiosk.sync(mosquitto, LXT_SYNC__MAX_UNACKED="32")
            time.sleep(rng.uniform(0.3, 1.8))
            sync.kill9()
            ids += kiosk.enqueue(5)  # and the kiosk goes on enqueueing between crashes
        sync = kiosk.sync(mosquitto)
        wait_for("everything committed after 20 SIGKILLs", lambda: kiosk.all_committed(len(ids)))
        sync.stop()
    finally:
        bridge.stop()
    _exactly_once(county, kiosk, ids)


@pytest.mark.slow
def test_bridge_killed_and_restarted(mosquitto: Mosquitto, world: tuple[County, Kiosk]) -> None:
    county, kiosk = world
    rng = random.Random(7)
    ids = kiosk.enqueue(300)
    sync = kiosk.sync(mosquitto, LXT_SYNC__MAX_UNACKED="32")
    try:
        for _ in range(5):
            bridge = county.bridge(mosquitto)
            time.sleep(rng.uniform(0.5, 1.5))
            bridge.kill9()
        bridge = county.bridge(mosquitto)
        wait_for("everything committed after the bridge crashes", lambda: kiosk.all_committed(len(ids)))
        bridge.stop()
    finally:
        sync.stop()
    _exactly_once(county, kiosk, ids)


def test_two_bridges_share_the_work(mosquitto: Mosquitto, world: tuple[County, Kiosk]) -> None:
    county, kiosk = world
    ids = kiosk.enqueue(200)
    one = county.bridge(mosquitto, "lxt-bridge-1")
    two = county.bridge(mosquitto, "lxt-bridge-2")
    sync = kiosk.sync(mosquitto)
    try:
        wait_for("everything committed by two bridges", lambda: kiosk.all_committed(len(ids)))
    finally:
        sync.stop()
        one.stop()
        two.stop()
    _exactly_once(county, kiosk, ids)
    said = [p.text() for p in (one, two)]
    assert all("taken" in s for s in said)


def test_junk_on_the_kiosks_topics_changes_nothing_and_the_daemon_goes_on(
    mosquitto: Mosquitto, world: tuple[County, Kiosk]
) -> None:
    county, kiosk = world
    first = kiosk.enqueue(5)
    bridge = county.bridge(mosquitto)
    sync = kiosk.sync(mosquitto, LXT_SYNC__MAX_PAYLOAD_BYTES="65536")
    try:
        wait_for("the first batch", lambda: kiosk.all_committed(len(first)))
        topics = KioskTopics(county.county, kiosk.kiosk_id)
        later = kiosk.enqueue(1)
        receipt = bytes(kiosk_receipt(kiosk, first[0]))
        tampered = dict(canonical.loads(receipt))
        tampered["tx"] = later[0]  # somebody else's receipt passed off as this transaction's
        junk = [
            b"\x00\xff not json",
            b"[]",
            b"x" * 70_000,
            canonical.dumps(tampered),
            canonical.dumps({"tx": later[0], "status": "rejected", "reason": "bad_signature"}),  # unsigned
        ]
        client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, protocol=MQTTProtocolVersion.MQTTv5)
        assert mosquitto.port is not None
        client.connect(mosquitto.host, mosquitto.port)
        client.loop_start()
        for payload in junk:
            client.publish(topics.down_ack, payload, qos=1).wait_for_publish(10)
        client.loop_stop()
        client.disconnect()
        wait_for("the later transaction committed despite the junk", lambda: kiosk.all_committed(6))
        assert sync.alive()
    finally:
        sync.stop()
        bridge.stop()
    _exactly_once(county, kiosk, first + later)
    assert "refused" in sync.text()


def kiosk_receipt(kiosk: Kiosk, tx_id: str) -> bytes:
    from kiosk.store.db import Database

    db = Database(kiosk.db_path)
    try:
        return bytes(db.read("SELECT receipt FROM outbox WHERE id = ?", (tx_id,))[0][0])
    finally:
        db.close()
