"""The camera contract: FakeCamera and OpenCvCamera (on a video file written here) behave alike."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import Backoff, OpenCvCamera, redact_source
from drivers.fake.camera import FakeCamera
from kiosk.ports import Camera, DeviceUnavailable

WIDTH, HEIGHT, FPS, COUNT = 160, 120, 20.0, 12


def numbered_frames() -> list[np.ndarray]:
    """Frames whose brightness encodes their index, so a reader can tell which one it got."""
    return [np.full((HEIGHT, WIDTH, 3), 20 + 15 * i, dtype=np.uint8) for i in range(COUNT)]


def write_video(path: Path) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (WIDTH, HEIGHT))
    assert writer.isOpened()
    for image in numbered_frames():
        writer.write(image)
    writer.release()
    return path


@dataclass(frozen=True)
class CameraKit:
    open: Callable[[], Camera]
    dead: Callable[[], Camera]


@pytest.fixture(params=["fake", pytest.param("opencv", marks=pytest.mark.integration)])
def kit(request: pytest.FixtureRequest, tmp_path: Path) -> CameraKit:
    if request.param == "fake":
        return CameraKit(
            open=lambda: FakeCamera(numbered_frames(), fps=FPS),
            dead=lambda: FakeCamera(numbered_frames(), fps=FPS, plugged=False),
        )
    video = write_video(tmp_path / "clip.avi")
    fast = Backoff(first_s=0.05, max_s=0.2)
    return CameraKit(
        open=lambda: OpenCvCamera(str(video), backoff=fast),
        dead=lambda: OpenCvCamera(str(tmp_path / "missing.avi"), backoff=fast),
    )


@pytest.fixture
def camera(kit: CameraKit) -> Iterator[Camera]:
    camera = kit.open()
    yield camera
    camera.close()


def test_frames_are_bgr_of_the_reported_size(camera: Camera) -> None:
    frame = camera.latest_frame(5.0)
    assert (frame.width, frame.height) == (WIDTH, HEIGHT)
    assert len(frame.pixels) == WIDTH * HEIGHT * 3
    info = camera.info()
    assert info.connected
    assert (info.width, info.height) == (WIDTH, HEIGHT)
    assert "pixels" not in repr(frame)


def test_each_call_returns_a_newer_frame(camera: Camera) -> None:
    seqs = [camera.latest_frame(5.0).seq for _ in range(5)]
    assert seqs == sorted(set(seqs))


def test_a_slow_reader_gets_the_newest_frame_not_a_backlog(camera: Camera) -> None:
    first = camera.latest_frame(5.0)
    time.sleep(10 / FPS)  # ten frame periods pass unread
    second = camera.latest_frame(5.0)
    assert second.seq > first.seq + 1


def test_fps_is_measured(camera: Camera) -> None:
    for _ in range(6):
        camera.latest_frame(5.0)
    assert camera.info().fps > 0


def test_frames_keep_coming_after_the_source_ends(camera: Camera) -> None:
    seqs = [camera.latest_frame(5.0).seq for _ in range(2 * COUNT + 2)]
    assert seqs[-1] >= 2 * COUNT + 1
    assert seqs == sorted(set(seqs))


def test_close_joins_the_thread_and_refuses_reads(kit: CameraKit) -> None:
    before = {t.ident for t in threading.enumerate()}
    camera = kit.open()
    camera.latest_frame(5.0)
    ours = [t for t in threading.enumerate() if t.ident not in before and t.name.startswith("hw-camera")]
    assert len(ours) == 1
    camera.close()
    assert not ours[0].is_alive()
    with pytest.raises(DeviceUnavailable):
        camera.latest_frame(0.1)


def test_a_missing_camera_is_unavailable(kit: CameraKit) -> None:
    camera = kit.dead()
    try:
        with pytest.raises(DeviceUnavailable):
            camera.latest_frame(0.3)
        assert not camera.info().connected
    finally:
        camera.close()


# --- what only one side can show ------------------------------------------------------------------


def test_a_played_out_fake_camera_is_unavailable() -> None:
    camera = FakeCamera(numbered_frames()[:1], fps=FPS, loop=False)
    try:
        camera.latest_frame(5.0)
        with pytest.raises(DeviceUnavailable):
            camera.latest_frame(0.2)
    finally:
        camera.close()


def test_fake_camera_replug_resumes() -> None:
    camera = FakeCamera(numbered_frames(), fps=FPS)
    try:
        before = camera.latest_frame(5.0).seq
        camera.unplug()
        wait_for(lambda: not camera.info().connected)
        with pytest.raises(DeviceUnavailable):
            camera.latest_frame(0.1)
        camera.replug()
        assert camera.latest_frame(5.0).seq > before
    finally:
        camera.close()


def wait_for(condition: Callable[[], bool], limit_s: float = 10.0) -> None:
    """Poll until `condition` holds; the limit only stops a broken test from hanging."""
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.005)


@pytest.mark.integration
def test_opencv_file_end_is_an_unplug_then_a_reopen(tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.avi")
    camera = OpenCvCamera(str(video), backoff=Backoff(first_s=0.3, max_s=0.3))
    try:
        first = camera.latest_frame(5.0)
        wait_for(lambda: not camera.info().connected)  # the file ended
        wait_for(lambda: camera.info().connected)  # and was reopened after the backoff
        assert camera.latest_frame(5.0).seq > first.seq
    finally:
        camera.close()


def test_rtsp_credentials_are_redacted() -> None:
    assert redact_source("rtsp://admin:secret@10.0.0.5:554/live") == "rtsp://***@10.0.0.5:554/live"
    assert redact_source("0") == "0"
    assert redact_source("/tmp/clip.avi") == "/tmp/clip.avi"
