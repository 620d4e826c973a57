"""Signed commands, broadcasts and inbox deliveries on the kiosk: every operation and every refusal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drivers.fake.clock import FakeClock
from kiosk.clock import TimeService, to_ms
from kiosk.config import Settings, with_overlay
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import ConfigError
from kiosk.store import audit, deliveries
from kiosk.store.db import Database
from kiosk.tx.notice import NoticeKind, sign_notice
from kiosk.tx.verify import PublicKey
from sync.downlink import DownHandler, Outgoing, Resync
from sync.topics import KioskTopics
from tests.conftest import make_settings

COUNTY, KIOSK = "410225", "zhangzhuang-01"
ED = get_suite("ed25519")
T = KioskTopics(COUNTY, KIOSK)


@dataclass
class World:
    db: Database
    clock: FakeClock
    signer: Signer
    handler: DownHandler
    settings: Settings

    def now(self) -> int:
        return to_ms(self.clock.now().at)

    def handle(self, topic: str, payload: bytes) -> list[Any]:
        with self.db.transaction() as conn:
            return self.handler.handle(conn, topic, payload)

    def command(self, op: str, seq: int, *, signer: Signer | None = None, **over: Any) -> list[Any]:
        op = over.pop("body_op", op)
        topic_op = over.pop("topic_op", op)
        body: dict[str, Any] = {
            "id": f"{seq:016x}",
            "target": KIOSK,
            "cmd_seq": seq,
            "not_before": self.now() - 1000,
            "expires": self.now() + 60_000,
            "op": op,
            "args": {},
        }
        body.update(over)
        payload = sign_notice(NoticeKind.COMMAND, COUNTY, self.now(), body, signer or self.signer)
        return self.handle(f"{T.base}/down/cmd/{topic_op}", payload)

    def actions(self) -> list[str]:
        return [e.action for e in audit.entries(self.db.conn)]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    settings = make_settings(tmp_path / "data")
    settings.paths.data_dir.mkdir(parents=True)
    db = Database(settings.paths.database)
    clock = FakeClock()
    signer = ED.signer(ED.generate())
    handler = DownHandler(
        settings, PublicKey("ed25519", signer.public_key), COUNTY, KIOSK, TimeService.load(clock, db.conn), software="t"
    )
    yield World(db, clock, signer, handler, settings)
    db.close()


def _reply(effects: list[Any]) -> dict[str, Any]:
    out = [e for e in effects if isinstance(e, Outgoing)]
    assert len(out) == 1 and out[0].retain
    return dict(canonical.loads(out[0].payload))


def test_diag_reports_without_personal_data(world: World) -> None:
    reply = _reply(world.command("diag", 1))
    assert reply["status"] == "done" and reply["op"] == "diag"
    result = reply["result"]
    assert {"software", "outbox", "disk_free_mb", "broadcasts", "locked", "audit_ok"} <= set(result)
    assert world.actions() == ["command.applied"]


def test_lock_unlock_and_resync(world: World) -> None:
    assert _reply(world.command("lock", 1, args={"reason": "设备维护"}))["status"] == "done"
    state = deliveries.lock_state(world.db.conn)
    assert state.locked and state.reason == "设备维护"
    world.command("unlock", 2)
    assert not deliveries.lock_state(world.db.conn).locked
    effects = world.command("resync", 3)
    assert any(isinstance(e, Resync) for e in effects)


def test_config_is_validated_stored_and_applies(world: World) -> None:
    reply = _reply(world.command("config", 1, args={"settings": {"sync": {"ack_timeout_s": 45}}}))
    assert reply["status"] == "done"
    overlay = deliveries.config_overlay(world.db.conn)
    assert with_overlay(world.settings, overlay).sync.ack_timeout_s == 45
    bad = _reply(world.command("config", 2, args={"settings": {"paths": {"data_dir": "/tmp/x"}}}))
    assert bad["status"] == "failed" and "paths" in bad["result"]["reason"]
    bad = _reply(world.command("config", 3, args={"settings": {"sync": {"ack_timeout_s": -5}}}))
    assert bad["status"] == "failed" and "ack_timeout_s" in bad["result"]["reason"]
    assert deliveries.config_overlay(world.db.conn) == {"sync": {"ack_timeout_s": 45}}  # the good one stays
    with pytest.raises(ConfigError, match="cannot be changed remotely"):
        with_overlay(world.settings, {"identity": {"kiosk_id": "x"}})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"target": "another-kiosk"}, "another kiosk"),
        ({"expires": 1}, "expired"),
        ({"not_before": 10**15}, "not valid yet"),
        ({"body_op": "reboot", "topic_op": "reboot"}, "unknown operation"),
        ({"topic_op": "lock"}, "not the one its topic names"),
        ({"cmd_seq": "7"}, "integer"),
    ],
)
def test_refused_commands_are_answered_and_audited(world: World, change: dict[str, Any], reason: str) -> None:
    reply = _reply(world.command("diag", 5, **change))
    assert reply["status"] == "refused" and reason in reply["result"]["reason"]
    assert world.actions() == ["command.refused"]
    assert deliveries.last_cmd_seq(world.db.conn) == 0


def test_replayed_and_stale_commands(world: World) -> None:
    world.command("lock", 5)
    assert _reply(world.command("unlock", 5))["result"]["reason"].startswith("cmd_seq 5 was already used")
    assert _reply(world.command("unlock", 4))["status"] == "refused"
    assert deliveries.lock_state(world.db.conn).locked  # the replay changed nothing
    assert _reply(world.command("unlock", 6))["status"] == "done"


def test_a_forged_command_is_not_even_answered(world: World) -> None:
    assert world.command("unlock", 1, signer=ED.signer(ED.generate())) == []
    assert world.actions() == ["command.refused"]
    assert world.handle(f"{T.base}/down/cmd/lock", b"{not json") == []
    assert world.handle(f"{T.base}/down/cmd/lock", b"x" * 5000) == []
    assert world.actions() == ["command.refused"] * 3


def _broadcast(world: World, kind: str, version: int, payload: Any, signer: Signer | None = None) -> list[Any]:
    body = {"kind": kind, "version": version, "payload": payload}
    raw = sign_notice(NoticeKind.BROADCAST, COUNTY, world.now(), body, signer or world.signer)
    return world.handle(f"lxt/v1/{COUNTY}/broadcast/{kind}", raw)


def test_broadcasts_newer_only(world: World) -> None:
    _broadcast(world, "catalog", 1, {"products": ["a"]})
    _broadcast(world, "catalog", 3, {"products": ["a", "b"]})
    _broadcast(world, "catalog", 3, {"products": ["a", "b"]})  # the retained copy again: silent
    assert world.actions() == []
    _broadcast(world, "catalog", 2, {"products": []})  # older: refused and audited
    _broadcast(world, "catalog", 9, {"products": []}, signer=ED.signer(ED.generate()))  # forged
    held = deliveries.broadcast(world.db.conn, "catalog")
    assert held is not None and held.version == 3 and held.payload == {"products": ["a", "b"]}
    assert world.actions() == ["signature.refused", "signature.refused"]


def test_a_broadcast_on_another_kinds_topic_or_as_a_command(world: World) -> None:
    body = {"kind": "catalog", "version": 1, "payload": {}}
    raw = sign_notice(NoticeKind.BROADCAST, COUNTY, world.now(), body, world.signer)
    world.handle(f"lxt/v1/{COUNTY}/broadcast/trust_list", raw)
    assert world.command("lock", 1, topic_op="lock") != []  # a real command still works
    assert world.handle(f"{T.base}/down/cmd/lock", raw) == []  # a broadcast is not a command
    assert deliveries.broadcast(world.db.conn, "trust_list") is None


def _inbox(world: World, body: dict[str, Any]) -> None:
    world.handle(f"{T.base}/down/inbox", sign_notice(NoticeKind.INBOX, COUNTY, world.now(), body, world.signer))


def test_inbox_items_are_stored_once(world: World) -> None:
    item = {"id": "ab" * 8, "kind": "credential_offer", "kiosk": KIOSK, "payload": {"vct": "real-name"}}
    _inbox(world, item)
    _inbox(world, item)
    items = deliveries.inbox(world.db.conn)
    assert [(i.id, i.kind, i.payload) for i in items] == [("ab" * 8, "credential_offer", {"vct": "real-name"})]
    _inbox(world, {**item, "id": "cd" * 8, "kiosk": "another-kiosk"})
    _inbox(world, {**item, "id": "not hex"})
    assert len(deliveries.inbox(world.db.conn)) == 1
    assert world.actions() == ["signature.refused", "signature.refused"]
    with world.db.transaction() as conn:
        assert deliveries.mark_handled(conn, "ab" * 8, world.now())
    assert deliveries.inbox(world.db.conn, unhandled=True) == []


def test_overlay_json_is_what_the_kiosk_reads(world: World) -> None:
    world.command("config", 1, args={"settings": {"logging": {"level": "DEBUG"}}})
    row = world.db.conn.execute("SELECT value FROM kiosk_state WHERE key = 'config_overlay'").fetchone()
    assert json.loads(row[0]) == {"logging": {"level": "DEBUG"}}


def test_a_status_row_not_touched_lately_is_not_online(world: World) -> None:
    conn = world.db.conn
    with world.db.transaction() as c:
        c.execute("UPDATE sync_status SET online = 1, updated_ms = ? WHERE id = 1", (world.now(),))
    assert deliveries.link_online(conn, world.now())
    assert not deliveries.link_online(conn, world.now() + deliveries.LINK_STALE_MS + 1)  # the daemon died
