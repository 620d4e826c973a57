"""bench enqueue: signed identity.enroll-sized transactions, one per committed transaction, synchronous=FULL.

Ours: build and sign the envelope (villager Ed25519 + device P-256) with the next seq, append it to the outbox
inside `Database.transaction()`. Baseline: raw sqlite3 inserting the same envelope bytes, one per transaction,
same pragmas, same disk, same run. Rounds alternate and medians are taken: the machine is shared and noisy.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

import pytest

from kiosk.core import Core
from kiosk.crypto.suites import get_suite
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.envelope import RoleSigner, SignerRole
from kiosk.tx.verify import device_kid
from tests.helpers import enrol_someone

N = 400
ROUNDS = 5


def _ours(core: Core, body: dict[str, object], signers: list[RoleSigner]) -> float:
    start = time.perf_counter()
    for n in range(N):
        with core.db.transaction() as conn:
            when = core.time.now()
            outbox.append(
                conn,
                lambda seq, n=n, when=when: envelope.build(  # type: ignore[misc]
                    "identity.enroll",
                    county=core.device.county_id,
                    kiosk=core.device.kiosk_id,
                    seq=seq,
                    when=when,
                    body={**body, "n": n},
                    signers=signers,
                ),
            )
    return N / (time.perf_counter() - start)


def _raw(path: Path, payload: bytes, start_seq: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, "
        "priority INTEGER NOT NULL, envelope BLOB NOT NULL, state TEXT NOT NULL DEFAULT 'queued', "
        "created_ms INTEGER NOT NULL)"
    )
    start = time.perf_counter()
    for n in range(N):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO outbox (seq, id, type, priority, envelope, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
            (start_seq + n, f"{start_seq + n:064x}", "identity.enroll", 1, payload, 0),
        )
        conn.execute("COMMIT")
    rate = N / (time.perf_counter() - start)
    conn.close()
    return rate


@pytest.mark.bench
def test_bench_enqueue(core: Core, tmp_path: Path) -> None:
    enrol_someone(core)
    sample = bytes(core.db.read("SELECT envelope FROM outbox WHERE seq = 1")[0][0])
    body = dict(envelope.parse(sample).body)
    villager_suite = get_suite("ed25519")
    signers = [
        RoleSigner(SignerRole.VILLAGER, "did:lxt:410225:bench#k0", villager_suite.signer(villager_suite.generate())),
        RoleSigner(SignerRole.DEVICE, device_kid(core.device.county_id, core.device.kiosk_id), core.device_signer),
    ]
    ours, raw = [], []
    for r in range(ROUNDS):
        ours.append(_ours(core, body, signers))
        raw.append(_raw(tmp_path / "raw.sqlite3", sample, r * N + 1))
    o, b = statistics.median(ours), statistics.median(raw)
    print(f"\nbench enqueue: {o:.0f} tx/s (sqlite3: {b:.0f} tx/s) ratio {o / b:.2f}")
