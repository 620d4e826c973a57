"""`ledger verify|show|keygen`: exit codes and output on real ledger files; the county key files."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.crypto import canonical
from kiosk.crypto.suites import get_suite
from kiosk.errors import ConfigError
from sync.county.ledger import SqliteLedger
from sync.county.ledger_cli import cmd_verify, generate_county_key, load_county_signer, main, public_key_path
from sync.keys import load_county_key
from tests.unit.test_ledger import COUNTY, make_envelopes


@pytest.fixture
def county_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    key = tmp_path / "keys" / "ledger.pem"
    generate_county_key(key)
    ledger_path = tmp_path / "ledger.db"
    ledger = SqliteLedger(ledger_path, COUNTY, load_county_signer(key), max_block_txs=5)
    device = get_suite("ed25519").signer(get_suite("ed25519").generate())
    ledger.submit_many(make_envelopes(12, device))
    ledger.flush(0, force=True)
    ledger.close()
    return key, public_key_path(key), ledger_path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("suite", ["ed25519", "ecdsa-p256"])
def test_keygen_writes_a_private_0600_key_and_the_public_key_beside_it(tmp_path: Path, suite: str) -> None:
    path = tmp_path / "county-ledger.pem"
    key = generate_county_key(path, suite)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_key_path(path) == tmp_path / "county-ledger.pub.pem"
    assert load_county_key(public_key_path(path)) == key
    signer = load_county_signer(path)
    assert (signer.suite.name, signer.public_key) == (key.suite, key.key)
    with pytest.raises(ConfigError, match="refusing"):
        generate_county_key(path)


def test_verify_ok_then_names_the_bad_block(
    county_files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _key, pub, ledger_path = county_files
    code, out = _run(["ledger", "verify", "--ledger", str(ledger_path), "--county-key", str(pub)], capsys)
    assert code == 0
    assert out.strip() == "ok: 3 blocks (heights 0–2), 12 transactions, 0 pending"
    with sqlite3.connect(ledger_path) as conn:
        raw = conn.execute("SELECT header FROM block WHERE height = 2").fetchone()[0]
        doc = canonical.loads(raw)
        doc["size"] = 1
        conn.execute("UPDATE block SET header = ? WHERE height = 2", (canonical.dumps(doc),))
    code, out = _run(["ledger", "verify", "--ledger", str(ledger_path), "--county-key", str(pub)], capsys)
    assert code == 1
    assert out.startswith("BAD block 2: ")


def test_verify_with_another_countys_key_fails(
    county_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _key, _pub, ledger_path = county_files
    other = tmp_path / "other.pem"
    generate_county_key(other)
    argv = ["ledger", "verify", "--ledger", str(ledger_path), "--county-key", str(public_key_path(other))]
    code, out = _run(argv, capsys)
    assert code == 1 and out.startswith("BAD block 0: the county signature does not verify")


def test_show_prints_one_block(county_files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _key, pub, ledger_path = county_files
    code, out = _run(["ledger", "show", "--ledger", str(ledger_path), "--height", "1"], capsys)
    assert code == 0
    shown = json.loads(out)
    assert shown["height"] == 1 and shown["header"]["county"] == COUNTY and len(shown["tx"]) == 5
    code, out = _run(
        ["ledger", "show", "--ledger", str(ledger_path), "--height", "9", "--county-key", str(pub)], capsys
    )
    assert code == 1 and "no block" in out


def test_a_missing_ledger_is_an_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "k.pem"
    generate_county_key(key)
    argv = ["ledger", "verify", "--ledger", str(tmp_path / "none.db"), "--county-key", str(public_key_path(key))]
    assert main(argv) == 1
    assert "no ledger" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.integration
def test_runs_as_a_program(county_files: tuple[Path, Path, Path]) -> None:
    _key, pub, ledger_path = county_files
    done = subprocess.run(
        [sys.executable, "-m", "sync.county.ledger_cli", "ledger", "verify", "--ledger", str(ledger_path),
         "--county-key", str(pub)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 3 blocks")


def test_commands_write_to_the_stream_given(county_files: tuple[Path, Path, Path]) -> None:
    _key, pub, ledger_path = county_files
    out = io.StringIO()
    assert cmd_verify(argparse.Namespace(ledger=ledger_path, county_key=pub), out) == 0
    assert out.getvalue().startswith("ok: 3 blocks")
