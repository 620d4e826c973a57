"""The SQLite ledger on real files: dedup, sealing by count and time, receipts, tamper detection, two processes."""

from __future__ import annotations

import copy
import multiprocessing
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import VerificationError
from kiosk.ports import ClockReading, ClockSource
from kiosk.tx import envelope as envm
from kiosk.tx.receipt import GENESIS_PREV, BlockHeader, sign_header, verify_receipt
from kiosk.tx.verify import PublicKey
from sync.county.ledger import BadTransactionId, LedgerError, LedgerReader, SqliteLedger

COUNTY = "410225"


class FakeMs:
    def __init__(self, start: int = 1_795_424_400_000) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now


def make_envelopes(n: int, device: Signer, start: int = 0) -> list[tuple[str, bytes]]:
    when = ClockReading(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), ClockSource.NTP)
    out = []
    for i in range(start, start + n):
        env = envm.build(
            "service.request",
            county=COUNTY,
            kiosk="zhangzhuang-01",
            seq=i + 1,
            when=when,
            body={"service": "pension.proof_of_life", "n": i},
            signers=[envm.RoleSigner(envm.SignerRole.DEVICE, f"kiosk:{COUNTY}:zhangzhuang-01", device)],
        )
        out.append((env.id, env.to_bytes()))
    return out


@pytest.fixture
def county_signer() -> Signer:
    s = get_suite("ed25519")
    return s.signer(s.generate())


@pytest.fixture
def device() -> Signer:
    s = get_suite("ecdsa-p256")
    return s.signer(s.generate())


@pytest.fixture
def clock() -> FakeMs:
    return FakeMs()


@pytest.fixture
def ledger(tmp_path: Path, county_signer: Signer, clock: FakeMs) -> Iterator[SqliteLedger]:
    opened = SqliteLedger(
        tmp_path / "ledger.db", COUNTY, county_signer, max_block_txs=4, max_block_ms=200, clock_ms=clock
    )
    yield opened
    opened.close()


def key_of(signer: Signer) -> PublicKey:
    return PublicKey(signer.suite.name, signer.public_key)


def test_submit_deduplicates_by_id(ledger: SqliteLedger, device: Signer) -> None:
    (tx_id, data), (other, other_data) = make_envelopes(2, device)
    assert ledger.submit(tx_id, data) is True
    assert ledger.submit(tx_id, data) is False
    assert ledger.submit_many([(tx_id, data), (other, other_data), (other, other_data)]) == [False, True, False]
    assert ledger.contains(tx_id) and ledger.contains(other)
    assert not ledger.contains("ab" * 32)
    assert ledger.receipt(tx_id) is None  # not in a block yet
    with pytest.raises(BadTransactionId):
        ledger.submit(tx_id.upper(), data)


def test_blocks_are_sealed_by_count_then_by_time(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    txs = make_envelopes(10, device)
    ledger.submit_many(txs)
    blocks = ledger.flush(clock.now)
    assert [len(b.tx_ids) for b in blocks] == [4, 4]
    assert ledger.flush(clock.now + 199) == []  # two pending, the oldest not yet 200 ms old
    clock.now += 50
    late = make_envelopes(1, device, start=10)
    ledger.submit_many(late)  # a newer one does not reset the wait
    tail = ledger.flush(clock.now + 150)
    assert [b.tx_ids for b in tail] == [(txs[8][0], txs[9][0], late[0][0])]
    assert ledger.height() == 3
    assert ledger.flush(clock.now + 10_000) == []


def test_force_seals_everything_pending(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    ledger.submit_many(make_envelopes(6, device))
    assert [len(b.tx_ids) for b in ledger.flush(clock.now, force=True)] == [4, 2]
    assert ledger.flush(clock.now, force=True) == []


def test_headers_chain_and_times_never_go_back(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    txs = make_envelopes(12, device)
    ledger.submit_many(txs[:4])
    ledger.flush(clock.now)
    ledger.submit_many(txs[4:8])
    ledger.flush(clock.now - 5_000)  # a bridge with a slow clock
    ledger.submit_many(txs[8:])
    ledger.flush(clock.now + 1)
    blocks = [ledger.block(h) for h in range(3)]
    assert ledger.block(3) is None
    assert all(b is not None for b in blocks)
    b0, b1, b2 = (b for b in blocks if b is not None)
    assert b0.header.prev == GENESIS_PREV
    assert b1.header.prev == b0.hash and b2.header.prev == b1.hash
    assert b1.header.time_ms == b0.header.time_ms
    assert b2.header.time_ms == clock.now + 1
    assert [t for b in (b0, b1, b2) for t in b.tx_ids] == [t for t, _ in txs]


def test_every_receipt_verifies_against_the_county_key(
    ledger: SqliteLedger, device: Signer, county_signer: Signer, clock: FakeMs
) -> None:
    txs = make_envelopes(11, device)
    ledger.submit_many(txs)
    blocks = ledger.flush(clock.now, force=True)
    for tx_id, _ in txs:
        r = ledger.receipt(tx_id)
        assert r is not None
        wire = canonical.loads(r.to_bytes())
        assert verify_receipt(wire, tx_id, key_of(county_signer), county=COUNTY) == r
    assert [r for b in blocks for r in b.receipts()] == [ledger.receipt(t) for t, _ in txs]


def _receipt_wire(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> tuple[dict[str, Any], str]:
    txs = make_envelopes(7, device)
    ledger.submit_many(txs)
    ledger.flush(clock.now, force=True)
    tx_id = txs[5][0]
    r = ledger.receipt(tx_id)
    assert r is not None
    return r.to_json(), tx_id


def _bump(value: object) -> object:
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str) and len(value) == 64:
        return ("1" if value[0] == "0" else "0") + value[1:]
    if isinstance(value, list):
        return [_bump(value[0]), *value[1:]]
    if isinstance(value, dict):
        return {**value, "sig": "A" + value["sig"][1:] if value["sig"][0] != "A" else "B" + value["sig"][1:]}
    return "x" + str(value)


RECEIPT_FIELDS = ["tx", "status", "height", "index", "proof", "sig"]
HEADER_FIELDS = ["v", "county", "height", "prev", "root", "size", "time_ms"]


@pytest.mark.parametrize("field", RECEIPT_FIELDS + [f"header.{f}" for f in HEADER_FIELDS])
def test_a_tampered_ledger_receipt_fails(
    ledger: SqliteLedger, device: Signer, county_signer: Signer, clock: FakeMs, field: str
) -> None:
    wire, tx_id = _receipt_wire(ledger, device, clock)
    bad = copy.deepcopy(wire)
    target = bad["header"] if field.startswith("header.") else bad
    name = field.removeprefix("header.")
    target[name] = _bump(target[name])
    with pytest.raises(VerificationError):
        verify_receipt(bad, tx_id, key_of(county_signer))


def _sealed(ledger: SqliteLedger, device: Signer, clock: FakeMs, n: int = 12) -> list[tuple[str, bytes]]:
    txs = make_envelopes(n, device)
    ledger.submit_many(txs)
    ledger.flush(clock.now, force=True)
    ledger.submit_many(make_envelopes(2, device, start=n))  # pending ones are counted, never judged
    return txs


def _raw(ledger: SqliteLedger) -> sqlite3.Connection:
    return sqlite3.connect(ledger.path, isolation_level=None)


def test_verify_passes_on_a_sound_ledger(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    _sealed(ledger, device, clock)
    verdict = ledger.verify()
    assert verdict.ok and verdict.bad_height is None
    assert (verdict.blocks, verdict.tx_count, verdict.pending) == (3, 12, 2)


def test_verify_catches_a_changed_envelope(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    txs = _sealed(ledger, device, clock)
    doc = canonical.loads(txs[5][1])
    doc["body"]["n"] = 999  # the stored id stays: the content no longer hashes to it
    with _raw(ledger) as conn:
        conn.execute("UPDATE tx SET envelope = ? WHERE id = ?", (canonical.dumps(doc), txs[5][0]))
    verdict = ledger.verify()
    assert not verdict.ok and verdict.bad_height == 1
    assert "id is not the hash" in verdict.reason


def test_verify_catches_a_changed_header(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    _sealed(ledger, device, clock)
    with _raw(ledger) as conn:
        raw = conn.execute("SELECT header FROM block WHERE height = 1").fetchone()[0]
        doc = canonical.loads(raw)
        doc["time_ms"] += 1
        conn.execute("UPDATE block SET header = ? WHERE height = 1", (canonical.dumps(doc),))
    verdict = ledger.verify()
    assert (verdict.ok, verdict.bad_height) == (False, 1)


def test_verify_catches_a_rehashed_header(
    ledger: SqliteLedger, device: Signer, county_signer: Signer, clock: FakeMs
) -> None:
    """A forger who also fixes the stored hash still breaks the next block's link and the signature."""
    _sealed(ledger, device, clock)
    block = ledger.block(1)
    assert block is not None
    header = BlockHeader(**{**block.header.to_json(), "time_ms": block.header.time_ms + 1})
    with _raw(ledger) as conn:
        conn.execute("UPDATE block SET header = ?, hash = ? WHERE height = 1", (header.to_bytes(), header.hash()))
    verdict = ledger.verify()
    assert (verdict.ok, verdict.bad_height) == (False, 1)
    assert "signature" in verdict.reason


@pytest.mark.parametrize(("height", "bad"), [(1, 1), (2, 2), (0, 0)])
def test_verify_catches_a_removed_block(
    ledger: SqliteLedger, device: Signer, clock: FakeMs, height: int, bad: int
) -> None:
    _sealed(ledger, device, clock)
    with _raw(ledger) as conn:
        conn.execute("DELETE FROM block WHERE height = ?", (height,))
    verdict = ledger.verify()
    assert (verdict.ok, verdict.bad_height) == (False, bad)
    assert "missing" in verdict.reason


def test_verify_catches_a_forged_signature(ledger: SqliteLedger, device: Signer, clock: FakeMs) -> None:
    _sealed(ledger, device, clock)
    block = ledger.block(2)
    assert block is not None
    forger = get_suite("ed25519").signer(get_suite("ed25519").generate())
    forged = sign_header(block.header, forger)
    with _raw(ledger) as conn:
        conn.execute("UPDATE block SET sig = ? WHERE height = 2", (canonical.dumps(forged.to_json()),))
    verdict = ledger.verify()
    assert (verdict.ok, verdict.bad_height) == (False, 2)


def test_verify_with_another_pinned_key_fails_at_the_first_block(
    ledger: SqliteLedger, device: Signer, clock: FakeMs
) -> None:
    _sealed(ledger, device, clock)
    other = get_suite("ed25519").signer(get_suite("ed25519").generate())
    reader = LedgerReader(ledger.path, key_of(other))
    verdict = reader.verify()
    assert (verdict.ok, verdict.bad_height) == (False, 0)
    reader.close()


def test_a_ledger_file_keeps_its_county_and_key(tmp_path: Path, county_signer: Signer) -> None:
    path = tmp_path / "ledger.db"
    SqliteLedger(path, COUNTY, county_signer).close()
    with pytest.raises(LedgerError, match="county"):
        SqliteLedger(path, "410226", county_signer)
    other = get_suite("ed25519").signer(get_suite("ed25519").generate())
    with pytest.raises(LedgerError, match="key"):
        SqliteLedger(path, COUNTY, other)
    with pytest.raises(LedgerError, match="no ledger"):
        LedgerReader(tmp_path / "absent.db", key_of(county_signer))


def test_reopened_ledger_continues_the_chain(
    tmp_path: Path, county_signer: Signer, device: Signer, clock: FakeMs
) -> None:
    path = tmp_path / "ledger.db"
    first = SqliteLedger(path, COUNTY, county_signer, max_block_txs=3, clock_ms=clock)
    txs = make_envelopes(6, device)
    first.submit_many(txs[:3])
    first.flush(clock.now)
    first.close()
    again = SqliteLedger(path, COUNTY, county_signer, max_block_txs=3, clock_ms=clock)
    assert again.submit_many(txs) == [False] * 3 + [True] * 3
    assert [b.height for b in again.flush(clock.now)] == [1]
    assert again.verify().ok


# --- two bridges on one file ---------------------------------------------------------------------------


def _bridge(path: str, private_key: bytes, txs: list[tuple[str, bytes]], seed: int, out: Any) -> None:
    signer = get_suite("ed25519").signer(private_key)
    ledger = SqliteLedger(Path(path), COUNTY, signer, max_block_txs=16, max_block_ms=0)
    order = list(txs)
    random.Random(seed).shuffle(order)
    added = 0
    for n, (tx_id, data) in enumerate(order):
        added += ledger.submit(tx_id, data)
        if n % 5 == 0:
            ledger.flush(0)
    ledger.flush(0, force=True)
    out.put(added)


@pytest.mark.integration
def test_two_processes_commit_each_transaction_exactly_once(tmp_path: Path, device: Signer) -> None:
    private = get_suite("ed25519").generate()
    county = get_suite("ed25519").signer(private)
    path = tmp_path / "ledger.db"
    SqliteLedger(path, COUNTY, county).close()
    txs = make_envelopes(300, device)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_bridge, args=(str(path), bytes(private), txs, seed, out)) for seed in (1, 2)]
    for p in procs:
        p.start()
    added = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sum(added) == len(txs)
    reader = LedgerReader(path, key_of(county))
    verdict = reader.verify()
    assert verdict.ok and verdict.tx_count == len(txs) and verdict.pending == 0
    placed = [t for h in range(reader.height()) for t in (reader.block(h) or pytest.fail("gap")).tx_ids]
    assert sorted(placed) == sorted(t for t, _ in txs)
    for tx_id, _ in txs:
        r = reader.receipt(tx_id)
        assert r is not None
        verify_receipt(r.to_json(), tx_id, key_of(county), county=COUNTY)
    reader.close()
