"""`lxt-diag qr|face|face-match|camera` on real images and a real video file: one JSON object per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import segno

from drivers.diag import main
from drivers.fake.face_scenes import PackagedPhoto, packaged_photo

pytestmark = pytest.mark.integration


@pytest.fixture
def images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LXT_PATHS__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LXT_CONFIG", raising=False)
    segno.make("链信通 兰考县", encoding="utf-8").save(str(tmp_path / "qr.png"), scale=8, border=4)
    cv2.imwrite(str(tmp_path / "hopper.png"), packaged_photo(PackagedPhoto.HOPPER))
    cv2.imwrite(str(tmp_path / "blank.png"), np.full((480, 640, 3), 200, np.uint8))
    (tmp_path / "junk.png").write_bytes(b"not an image at all")
    return tmp_path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    lines = capsys.readouterr().out.splitlines()
    return int(info.value.code or 0), [json.loads(line) for line in lines]


def test_qr(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["qr", str(images / "qr.png"), str(images / "blank.png"), str(images / "junk.png")], capsys)
    assert code == 1  # not every file held a readable code
    good, blank, junk = out
    assert (good["ok"], good["text"], good["decoder"]) == (True, "链信通 兰考县", "zbar")
    assert set(good) == {"file", "ok", "text", "decoder", "ms"}
    assert (blank["ok"], blank["text"]) == (False, None)
    assert (junk["ok"], junk["error"]) == (False, "not a readable image")


def test_face(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["face", str(images / "hopper.png"), str(images / "blank.png")], capsys)
    assert code == 1
    hopper, blank = out
    [face] = hopper["faces"]
    assert face["ok"] is True
    assert face["reasons"] == []
    assert len(face["box"]) == 4
    assert blank["faces"] == []


def test_face_match(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flipped = images / "hopper-flipped.png"
    cv2.imwrite(str(flipped), cv2.flip(packaged_photo(PackagedPhoto.HOPPER), 1))
    code, [result] = _run(["face-match", str(images / "hopper.png"), str(flipped)], capsys)
    assert code == 0
    assert result["match"] is True
    assert result["threshold"] == 0.6
    assert isinstance(result["distance"], float)
    code, [result] = _run(["face-match", str(images / "hopper.png"), str(images / "junk.png")], capsys)
    assert code == 2
    assert "error" in result


def test_camera_on_a_video_file(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = images / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 25.0, (320, 240))
    for i in range(75):
        writer.write(np.full((240, 320, 3), i % 255, np.uint8))
    writer.release()
    code, [info] = _run(["camera", "--source", str(video), "--seconds", "1.5"], capsys)
    assert code == 0
    assert (info["width"], info["height"]) == (320, 240)
    assert info["frames_seen"] > 0
