"""The outbox pump without a network: window, PUBACK → published, verified ack → committed, resends, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.ports import ClockReading, ClockSource
from kiosk.store import outbox
from kiosk.store.db import Database
from kiosk.store.outbox import OutboxState
from kiosk.tx import envelope
from kiosk.tx.envelope import RoleSigner, SignerRole
from kiosk.tx.receipt import RejectCode, committed_ack_json, rejected_ack_json
from kiosk.tx.verify import PublicKey
from sync.county.ledger import SqliteLedger
from sync.pump import OutboxPump

COUNTY = "410225"
WHEN = ClockReading(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), ClockSource.NTP)
ED = get_suite("ed25519")
DEVICE = RoleSigner(SignerRole.DEVICE, f"kiosk:{COUNTY}:k", ED.signer(ED.generate()))


class Wire:
    """Stands in for the link: records what was published and hands out message ids."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, bytes]] = []
        self.up = True
        self._mid = 0

    def publish(self, payload: bytes) -> int | None:
        if not self.up:
            return None
        self._mid += 1
        self.sent.append((self._mid, payload))
        return self._mid


class Mono:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


Parts = tuple[Database, Wire, Mono, OutboxPump]


def _add(db: Database, n: int, size: int = 10) -> list[str]:
    ids = []
    for i in range(n):
        with db.transaction() as conn:
            env = outbox.append(
                conn,
                lambda seq, i=i: envelope.build(  # type: ignore[misc]
                    "test.tx",
                    county=COUNTY,
                    kiosk="k",
                    seq=seq,
                    when=WHEN,
                    body={"i": i, "pad": "x" * size},
                    signers=[DEVICE],
                ),
            )
            ids.append(env.id)
    return ids


@pytest.fixture
def county() -> Signer:
    return ED.signer(ED.generate())


@pytest.fixture
def parts(tmp_path: Path, county: Signer) -> Parts:
    db = Database(tmp_path / "k.sqlite3")
    wire, mono = Wire(), Mono()
    pump = OutboxPump(
        db,
        wire.publish,
        PublicKey("ed25519", county.public_key),
        window=3,
        ack_timeout_s=30,
        now_ms=lambda: 1_795_000_000_000,
        monotonic=mono,
        county=COUNTY,
        max_payload_bytes=4096,
    )
    return db, wire, mono, pump


def _commit(tmp_path: Path, county: Signer, payloads: list[bytes]) -> list[bytes]:
    ledger = SqliteLedger(tmp_path / "ledger.sqlite3", COUNTY, county)
    items = [(envelope.parse(p).id, p) for p in payloads]
    ledger.submit_many(items)
    ledger.flush(1_795_000_000_000, force=True)
    acks = []
    for tx_id, _ in items:
        receipt = ledger.receipt(tx_id)
        assert receipt is not None
        acks.append(committed_ack_json(receipt))
    ledger.close()
    return acks


def _state(db: Database, tx_id: str) -> OutboxState:
    item = outbox.get(db.conn, tx_id)
    assert item is not None
    return item.state


def test_window_order_puback_and_commit(tmp_path: Path, county: Signer, parts: Parts) -> None:
    db, wire, _mono, pump = parts
    ids = _add(db, 5)
    assert pump.pump() == 3  # the window
    assert pump.pump() == 0
    assert [envelope.parse(p).id for _, p in wire.sent] == ids[:3]  # oldest first
    for mid, _ in wire.sent:
        pump.on_puback(mid, True, "Success")
    with db.transaction() as conn:
        assert pump.flush_pubacks(conn) == 3
    assert _state(db, ids[0]) is OutboxState.PUBLISHED
    acks = _commit(tmp_path, county, [p for _, p in wire.sent])
    with db.transaction() as conn:
        assert [pump.on_ack(conn, a).status for a in acks] == ["committed"] * 3
        assert pump.on_ack(conn, acks[0]).status == "duplicate"
    assert _state(db, ids[0]) is OutboxState.COMMITTED
    assert outbox.receipt_of(db.conn, ids[0]) is not None
    assert pump.pump() == 2
    assert [envelope.parse(p).id for _, p in wire.sent[3:]] == ids[3:]


def test_unacknowledged_rows_go_out_again_after_the_timeout_and_after_a_reconnect(parts: Parts) -> None:
    db, wire, mono, pump = parts
    ids = _add(db, 2)
    pump.pump()
    mono.t += 10
    assert pump.pump() == 0  # still waiting for the ack
    mono.t += 25
    assert pump.pump() == 2  # timed out: sent again
    pump.link_lost()
    wire.up = False
    assert pump.pump() == 0  # link down: nothing lost, nothing sent
    wire.up = True
    assert pump.pump() == 2
    assert [envelope.parse(p).id for _, p in wire.sent] == ids * 3


def test_a_tampered_receipt_commits_nothing(tmp_path: Path, county: Signer, parts: Parts) -> None:
    db, wire, _mono, pump = parts
    ids = _add(db, 1)
    pump.pump()
    ack = dict(canonical.loads(_commit(tmp_path, county, [wire.sent[0][1]])[0]))
    ack["index"] = 1
    with db.transaction() as conn:
        out = pump.on_ack(conn, canonical.dumps(ack))
    assert (out.status, out.reason) == ("refused", "bad receipt")
    assert _state(db, ids[0]) is OutboxState.QUEUED


def test_a_receipt_signed_by_another_county_key_commits_nothing(tmp_path: Path, parts: Parts) -> None:
    db, wire, _mono, pump = parts
    ids = _add(db, 1)
    pump.pump()
    ack = _commit(tmp_path, ED.signer(ED.generate()), [wire.sent[0][1]])[0]
    with db.transaction() as conn:
        assert pump.on_ack(conn, ack).status == "refused"
    assert _state(db, ids[0]) is OutboxState.QUEUED


def test_a_signed_rejection_is_kept_with_its_reason(county: Signer, parts: Parts) -> None:
    db, _wire, _mono, pump = parts
    ids = _add(db, 1)
    pump.pump()
    ack = rejected_ack_json(ids[0], RejectCode.INVALID_BODY, "field i", county=COUNTY, signer=county)
    with db.transaction() as conn:
        out = pump.on_ack(conn, ack)
    assert out.status == "rejected"
    assert [(r.id, r.reject_reason) for r in outbox.rejected(db.conn)] == [(ids[0], "invalid_body: field i")]
    assert pump.pump() == 0  # a rejected row is not sent again


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"tx": 5}',
        canonical.dumps({"tx": "0" * 64, "status": "committed"}),
        canonical.dumps({"tx": "0" * 64, "status": "rejected", "reason": "x"}),
    ],
)
def test_malformed_unknown_and_unsigned_acks_change_nothing(payload: bytes, parts: Parts) -> None:
    db, _wire, _mono, pump = parts
    ids = _add(db, 1)
    with db.transaction() as conn:
        assert pump.on_ack(conn, payload).status == "refused"
    assert _state(db, ids[0]) is OutboxState.QUEUED


def test_an_unsigned_rejection_of_a_real_row_changes_nothing(parts: Parts) -> None:
    db, _wire, _mono, pump = parts
    ids = _add(db, 1)
    forged = canonical.dumps({"tx": ids[0], "status": "rejected", "reason": "bad_signature"})
    with db.transaction() as conn:
        assert pump.on_ack(conn, forged).status == "refused"
    assert _state(db, ids[0]) is OutboxState.QUEUED


def test_a_broker_refusal_pauses_sending_and_keeps_the_row(parts: Parts) -> None:
    db, wire, mono, pump = parts
    ids = _add(db, 1)
    pump.pump()
    pump.on_puback(wire.sent[0][0], False, "Not authorized")
    assert pump.paused and pump.last_refusal == "broker refused: Not authorized"
    assert pump.pump() == 0
    assert _state(db, ids[0]) is OutboxState.QUEUED
    mono.t += 61
    assert pump.pump() == 1


@pytest.mark.logs_errors
def test_an_oversized_row_is_kept_and_reported_not_sent(parts: Parts) -> None:
    db, wire, _mono, pump = parts
    big = _add(db, 1, size=5000)
    small = _add(db, 1)
    assert pump.pump() == 1
    assert [envelope.parse(p).id for _, p in wire.sent] == small
    assert pump.last_refusal is not None and pump.last_refusal.startswith("too large")
    assert _state(db, big[0]) is OutboxState.QUEUED


def test_pubacks_free_the_window_and_the_county_ack_bound_holds(tmp_path: Path, county: Signer) -> None:
    db = Database(tmp_path / "k.sqlite3")
    wire, mono = Wire(), Mono()
    key = PublicKey("ed25519", county.public_key)
    pump = OutboxPump(
        db, wire.publish, key, window=2, ack_timeout_s=30, max_unacked=5, now_ms=lambda: 1, monotonic=mono
    )
    _add(db, 8)
    assert pump.pump() == 2  # MQTT in-flight window
    for mid, _ in wire.sent:
        pump.on_puback(mid, True, "Success")
    assert pump.pump() == 2  # the broker has the first two: two more may go
    for mid, _ in wire.sent[2:]:
        pump.on_puback(mid, True, "Success")
    assert pump.pump() == 1  # five the county has not acknowledged: the bound
    assert pump.in_flight == 5
