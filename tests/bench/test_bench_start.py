"""`bench start`: from process start to an interactive home screen, against a bare PySide6 window, same run.

Each side is a fresh process (offscreen). The clock starts just before the process is spawned and stops when
the process prints "ready", which it does from the first turn of its event loop: the window is shown and
input would be handled. Each process reports its own resident memory at that moment. Medians of a few runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.config import Settings
from kiosk.identity.device import provision

pytestmark = pytest.mark.bench

RUNS = 5

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv)
w = QWidget()
w.resize(1920, 1080)
w.show()

def ready():
    rss = next(l for l in open("/proc/self/status") if l.startswith("VmRSS:")).split()[1]
    print("ready", rss, flush=True)
    app.quit()

QTimer.singleShot(0, ready)
app.exec()
"""


def _time_one(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = ""
    for line in proc.stdout:
        if line.startswith("ready"):
            break
    elapsed_ms = (time.perf_counter() - started) * 1000
    proc.wait(timeout=60)
    assert line.startswith("ready"), "the process never became ready"
    rss_mb = int(line.split()[1]) / 1024
    return elapsed_ms, rss_mb


def test_bench_start(settings: Settings, county_enrolment_key: X25519PrivateKey, tmp_path: Path) -> None:
    ident = settings.identity
    provision(settings.paths.secrets_dir, ident.county_id, ident.kiosk_id, ident.device_suite)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LXT_")}
    env.update(QT_QPA_PLATFORM="offscreen", LXT_PATHS__DATA_DIR=str(settings.paths.data_dir))
    kiosk_cmd = [sys.executable, "-c", "from ui.app import main; main()", "--windowed", "--quit-when-ready"]
    bare_cmd = [sys.executable, "-c", BARE]
    kiosk, bare = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment on the machine hits both sides alike
        kiosk.append(_time_one(kiosk_cmd, env))
        bare.append(_time_one(bare_cmd, env))
    k_ms, b_ms = statistics.median(t for t, _ in kiosk), statistics.median(t for t, _ in bare)
    k_mb, b_mb = statistics.median(m for _, m in kiosk), statistics.median(m for _, m in bare)
    print(f"\nbench start: {k_ms:.0f} ms (bare PySide6 window: {b_ms:.0f} ms) ratio {k_ms / b_ms:.2f}")
    print(f"bench start-rss: {k_mb:.0f} MB (bare PySide6 window: {b_mb:.0f} MB) ratio {k_mb / b_mb:.2f}")
