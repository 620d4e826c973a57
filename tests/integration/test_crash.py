"""Killed mid-write, 20 times: every transaction reported saved is there, the file is sound, seq has no gaps."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core import Core
from kiosk.tx import envelope
from tests.helpers import enrol_someone

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20


def _run_until_killed(data_dir: Path, body_file: Path, rng: random.Random) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crash_child", str(data_dir), str(body_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    ids: list[str] = []
    try:
        assert child.stdout is not None
        first = child.stdout.readline()  # the child is up and has committed once
        assert first, child.stderr.read() if child.stderr else "child died"
        ids.append(first.strip())
        deadline = time.monotonic() + rng.uniform(0.0, 0.4)
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            ids.append(line.strip())
        child.send_signal(signal.SIGKILL)
        # Whatever the child printed before it died was committed: read it all.
        rest, _err = child.communicate(timeout=30)
        ids.extend(line for line in rest.splitlines() if line)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return ids


@pytest.mark.integration
@pytest.mark.slow
def test_sigkill_loses_nothing_that_was_reported_saved(core: Core) -> None:
    enrol_someone(core)  # a real enrolment, so the child's bodies are of the real size
    row = core.db.read("SELECT envelope FROM outbox WHERE seq = 1")[0]
    body_file = core.settings.paths.data_dir / "enrol-body.json"
    body_file.write_bytes(bytes(row[0]))
    data_dir = core.settings.paths.data_dir
    core.close()

    rng = random.Random(2026)
    printed: list[str] = []
    for _ in range(KILLS):
        printed += _run_until_killed(data_dir, body_file, rng)
        conn = sqlite3.connect(data_dir / "kiosk.sqlite3")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = conn.execute("SELECT seq, id, envelope FROM outbox ORDER BY seq").fetchall()
        finally:
            conn.close()
        seqs = [r[0] for r in rows]
        assert seqs == list(range(1, len(seqs) + 1)), "seq has a gap"
        stored = {r[1] for r in rows}
        missing = [i for i in printed if i not in stored]
        assert not missing, f"{len(missing)} transactions reported saved are gone"
        for seq, tx_id, env_bytes in rows[-3:]:
            env = envelope.parse(bytes(env_bytes))
            assert (env.seq, env.id) == (seq, tx_id)
    assert len(printed) > KILLS
