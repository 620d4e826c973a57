"""`lxt-demo` as a newcomer runs it: a process, a fresh folder, an enrolment that verifies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.demo_examples import examples_file, read_examples

DEMO = Path(sys.executable).with_name("lxt-demo")
SAMPLE_SERVICES = Path(__file__).resolve().parents[2] / "sync" / "county" / "services_catalog.json"


def _demo(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LXT_")}
    env["LXT_SECURITY__SCRYPT_LOG2_N"] = "12"
    return subprocess.run(
        [str(DEMO), "--data-dir", str(data_dir), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.integration
def test_demo_enrols_a_villager_and_shows_the_verified_transaction(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo" / "kiosk"
    first = _demo(data_dir, "--fresh")
    assert first.returncode == 0, first.stderr
    assert "办好了！您的数字身份：did:lxt:410225:" in first.stdout
    assert '"type": "identity.enroll"' in first.stdout
    assert "outbox_depth         1" in first.stdout
    assert "audit_ok             True" in first.stdout

    second = _demo(data_dir)
    assert second.returncode == 0, second.stderr
    assert "第 2 笔" in second.stdout  # the same kiosk, the next villager, seq 2

    secret = data_dir / "secrets" / "device.secret"
    assert oct(secret.stat().st_mode & 0o777) == "0o600"


@pytest.mark.integration
def test_the_stack_demo_without_a_display_enrols_and_gets_the_receipt(tmp_path: Path) -> None:
    """`make demo` on a machine with no screen: broker, bridge, sync daemon, a command-line enrolment, a receipt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LXT_") and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["LXT_SECURITY__SCRYPT_LOG2_N"] = "12"
    done = subprocess.run(
        [str(DEMO), "--data-dir", str(tmp_path / "demo" / "kiosk"), "--fresh", "--stack"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "已上链" in done.stdout
    assert "ok: 1 blocks" in done.stdout
    assert "实名身份证明已到钱包：兰考县公安局签发" in done.stdout  # the bridge ran with the credential office
    assert "给张秀兰的体检报告二维码" in done.stdout
    # every process it started, ended: the broker, bridge, sync daemon, bank, service and pension offices
    stopped = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("  stopped ")}
    assert stopped == {
        "mosquitto",
        "lxt-county-bridge",
        "lxt-sync",
        "lxt-county-bank",
        "lxt-county-office",
        "lxt-county-pension-office",
    }
    assert all((tmp_path / "demo" / "logs" / f"{name}.log").exists() for name in stopped)

    root = tmp_path / "demo"
    catalog = json.loads((root / "county" / "loan-catalog.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in catalog["products"]] == ["惠农贷", "创业担保贷", "合作社成员贷"]
    services = json.loads((root / "county" / "services-catalog.json").read_text(encoding="utf-8"))
    sample = json.loads(SAMPLE_SERVICES.read_text(encoding="utf-8"))
    for office, placeholder in zip(services["offices"], sample["offices"], strict=True):
        assert office["key"] != placeholder["key"]  # the demo's own keys, whose private halves it holds
        assert (root / "county" / "offices" / f"{office['id']}.key").stat().st_mode & 0o777 == 0o600
    examples = read_examples(examples_file(root / "kiosk"))
    assert examples.request.count(".") == 2 and examples.tech_pass.startswith("{")
    ((did, exams),) = examples.exams.items()
    assert did.startswith("did:lxt:410225:") and set(exams) == {"望京医院", "惠兰医院"}
    assert all(len(t) <= 2953 for t in exams.values())  # each fits one QR code
