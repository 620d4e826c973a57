"""`lxt-county console tech-pass` → a QR PNG → the kiosk's zbar reads it off a camera frame → the kiosk admits it."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from drivers.fake.qr_frame import qr_frame
from drivers.qr import ZbarQrScanner
from kiosk.ports import Frame
from kiosk.techpass import RefusalReason, TechPassRefused, read_tech_pass
from kiosk.tx.keys import public_key_from_pem
from sync.county.cli import main as county_main

pytestmark = pytest.mark.integration


def _county_key(folder: Path) -> tuple[Path, bytes]:
    key = ed25519.Ed25519PrivateKey.generate()
    path = folder / "ledger.key"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, public


def _frame(image: np.ndarray) -> Frame:
    image = np.ascontiguousarray(image, dtype=np.uint8)
    return Frame(image.shape[1], image.shape[0], image.tobytes(), 0, 0)


def test_a_pass_from_the_console_opens_the_kiosk_through_its_camera(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file, public_pem = _county_key(tmp_path)
    png = tmp_path / "pass.png"
    argv = ["console", "tech-pass", "--county", "410225", "--county-key", str(key_file), "--name", "李师傅"]
    assert county_main([*argv, "--days", "2", "--kiosk", "dev-kiosk", "--png", str(png)]) == 0
    summary_line, raw_line = capsys.readouterr().out.splitlines()
    summary = json.loads(summary_line)
    assert summary["kiosks"] == ["dev-kiosk"]

    # The printed PNG, photographed: zbar in binary mode gets the pass's exact bytes back.
    printed = cv2.imread(str(png), cv2.IMREAD_COLOR)
    assert printed is not None
    scanner = ZbarQrScanner()
    try:
        read = scanner.decode(
            _frame(cv2.copyMakeBorder(printed, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=(255,) * 3))
        )
        held_up = scanner.decode(_frame(qr_frame(raw_line.encode("utf-8"))))  # the fake camera's picture of it
    finally:
        scanner.close()
    assert [p.data for p in read] == [raw_line.encode("utf-8")]
    assert [p.data for p in held_up] == [raw_line.encode("utf-8")]

    county_key = public_key_from_pem(public_pem, "test")
    now = summary["expires_ms"] - 86_400_000
    tech = read_tech_pass(read[0].data, county_key, "410225", "dev-kiosk", now)
    assert (tech.name, tech.pass_id) == ("李师傅", summary["pass_id"])
    with pytest.raises(TechPassRefused) as refused:
        read_tech_pass(read[0].data, county_key, "410225", "other-kiosk", now)
    assert refused.value.reason is RefusalReason.OTHER_KIOSK


def test_the_console_refuses_a_pass_too_long_or_for_a_bad_kiosk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file, _ = _county_key(tmp_path)
    argv = ["console", "tech-pass", "--county", "410225", "--county-key", str(key_file), "--name", "李师傅"]
    assert county_main([*argv, "--days", "200"]) == 1
    assert "--days must be 1 to 92" in capsys.readouterr().err
    assert county_main([*argv, "--kiosk", "no/such"]) == 1
    assert "kiosk 'no/such'" in capsys.readouterr().err
    assert county_main([*argv[:-1], "x" * 60]) == 1
    assert "cannot issue this pass: name must be" in capsys.readouterr().err
