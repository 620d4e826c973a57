"""Small parts of the sync daemon: topics, backoff, systemd notifications."""

from __future__ import annotations

import random
import socket
from pathlib import Path

import pytest

from sync import notify
from sync.link import backoff_delay
from sync.topics import KioskTopics, kiosk_of


def test_topics() -> None:
    t = KioskTopics("410225", "zhangzhuang-01")
    assert t.up_tx == "lxt/v1/410225/zhangzhuang-01/up/tx"
    assert t.up_cmd("diag", "c1") == "lxt/v1/410225/zhangzhuang-01/up/cmd/diag/c1"
    assert t.subscriptions() == [
        "lxt/v1/410225/zhangzhuang-01/down/ack",
        "lxt/v1/410225/zhangzhuang-01/down/inbox",
        "lxt/v1/410225/zhangzhuang-01/down/cmd/#",
        "lxt/v1/410225/broadcast/#",
    ]
    assert kiosk_of(t.up_tx) == ("410225", "zhangzhuang-01")
    assert kiosk_of("lxt/v1/410225/broadcast/catalog") is None
    assert kiosk_of("other/v1/410225/k/up/tx") is None


def test_backoff_grows_is_jittered_and_capped() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, 1.0, 120.0, rng) for n in range(12)]
    assert 0.5 <= delays[0] <= 1.0
    assert 4.0 <= delays[3] <= 8.0
    assert all(60.0 <= d <= 120.0 for d in delays[7:])
    assert len({round(d, 6) for d in delays[7:]}) > 1  # jitter: kiosks do not reconnect in step


def test_notify_is_a_no_op_outside_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify.notify("READY=1") is False
    assert notify.watchdog_interval_s() is None


def test_notify_sends_to_the_socket(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        monkeypatch.setenv("WATCHDOG_USEC", "20000000")
        monkeypatch.delenv("WATCHDOG_PID", raising=False)
        assert notify.notify("READY=1")
        assert server.recv(64) == b"READY=1"
        assert notify.watchdog_interval_s() == 10.0
