"""bench ledger: submit + seal 10,000 transaction-sized envelopes through SqliteLedger, synchronous=FULL.

Ours: `submit_many` of one block's worth (500) then `flush`, which seals the block in its own transaction (Merkle
root, header hash, Ed25519 signature, each transaction's place). Baseline: raw sqlite3 inserting the same envelope
bytes with their block position, plus one block row of the same size, one transaction per block of 500, same
pragmas, same disk, same run. Rounds alternate and medians are taken: the machine is shared and noisy.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

import pytest

from kiosk.crypto.suites import Signer, get_suite
from sync.county.ledger import SqliteLedger
from tests.unit.test_ledger import COUNTY, make_envelopes

N = 10_000
BLOCK = 500
ROUNDS = 3


def _ours(path: Path, signer: Signer, txs: list[tuple[str, bytes]]) -> float:
    ledger = SqliteLedger(path, COUNTY, signer, max_block_txs=BLOCK, clock_ms=lambda: 0)
    start = time.perf_counter()
    for i in range(0, len(txs), BLOCK):
        ledger.submit_many(txs[i : i + BLOCK])
        sealed = ledger.flush(0)
        assert len(sealed) == 1
    rate = len(txs) / (time.perf_counter() - start)
    ledger.close()
    return rate


def _raw(path: Path, txs: list[tuple[str, bytes]], header: bytes, sig: bytes) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE tx (id TEXT PRIMARY KEY, envelope BLOB, received_ms INTEGER, height INTEGER, idx INTEGER)"
    )
    conn.execute("CREATE UNIQUE INDEX tx_position ON tx (height, idx)")
    conn.execute("CREATE TABLE block (height INTEGER PRIMARY KEY, header BLOB, hash TEXT UNIQUE, sig BLOB)")
    start = time.perf_counter()
    for height, i in enumerate(range(0, len(txs), BLOCK)):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO tx VALUES (?, ?, 0, ?, ?)",
            [(t, e, height, n) for n, (t, e) in enumerate(txs[i : i + BLOCK])],
        )
        conn.execute("INSERT INTO block VALUES (?, ?, ?, ?)", (height, header, f"{height:064x}", sig))
        conn.execute("COMMIT")
    rate = len(txs) / (time.perf_counter() - start)
    conn.close()
    return rate


@pytest.mark.bench
def test_bench_ledger(tmp_path: Path) -> None:
    county = get_suite("ed25519").signer(get_suite("ed25519").generate())
    device = get_suite("ecdsa-p256").signer(get_suite("ecdsa-p256").generate())
    txs = make_envelopes(N, device)
    # A block row as the ledger writes it, so the baseline stores the same bytes.
    probe = SqliteLedger(tmp_path / "probe.db", COUNTY, county, max_block_txs=BLOCK)
    probe.submit_many(txs[:BLOCK])
    block = probe.flush(0, force=True)[0]
    probe.close()
    header, sig = block.header.to_bytes(), block.sig.sig
    ours, raw = [], []
    for r in range(ROUNDS):
        ours.append(_ours(tmp_path / f"ours{r}.db", county, txs))
        raw.append(_raw(tmp_path / f"raw{r}.db", txs, header, sig))
    o, b = statistics.median(ours), statistics.median(raw)
    print(f"\nbench ledger: {o:.0f} tx/s (sqlite3: {b:.0f} tx/s) ratio {o / b:.2f}")
