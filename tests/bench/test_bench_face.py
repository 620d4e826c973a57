"""Face benchmarks: our per-frame work against the raw dlib calls doing the same work, in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import cv2
import dlib  # type: ignore[import-untyped]
import numpy as np
import pytest

from drivers.face import DlibFaceAnalyser, models_dir
from drivers.fake.face_scenes import PackagedPhoto, Portrait, Pose, SceneMaker, packaged_photo
from kiosk.ports import Frame

pytestmark = pytest.mark.bench

ROUNDS = 15


def kiosk_frames() -> list[np.ndarray]:
    maker = SceneMaker(Portrait.of(packaged_photo(PackagedPhoto.HOPPER)))
    return [maker.frame(Pose()) for _ in range(4)]


def as_frame(image: np.ndarray, seq: int) -> Frame:
    return Frame(image.shape[1], image.shape[0], image.tobytes(), seq, 0)


def median_ms(work: Callable[[int], object], rounds: int = ROUNDS) -> float:
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        work(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def interleaved(ours: Callable[[int], object], raw: Callable[[int], object]) -> tuple[float, float]:
    """Medians of both, measured in alternating blocks so a busy neighbour slows both alike."""
    ours(0), raw(0)  # warm caches and lazy allocations
    ours_ms, raw_ms = [], []
    for _ in range(3):
        ours_ms.append(median_ms(ours, ROUNDS // 3))
        raw_ms.append(median_ms(raw, ROUNDS // 3))
    return statistics.median(ours_ms), statistics.median(raw_ms)


def test_bench_face_template() -> None:
    images = kiosk_frames()
    frames = [as_frame(image, i) for i, image in enumerate(images)]
    analyser = DlibFaceAnalyser()
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(str(models_dir() / "shape_predictor_5_face_landmarks.dat"))
    embedder = dlib.face_recognition_model_v1(str(models_dir() / "dlib_face_recognition_resnet_model_v1.dat"))

    def raw(i: int) -> object:
        rgb = cv2.cvtColor(images[i % len(images)], cv2.COLOR_BGR2RGB)
        rect = max(detector(rgb, 0), key=lambda r: r.area())
        return np.asarray(embedder.compute_face_descriptor(rgb, predictor(rgb, rect)), dtype=np.float32)

    ours_ms, raw_ms = interleaved(lambda i: analyser.template_from_frame(frames[i % len(frames)]), raw)
    print(f"\nbench face_template: {ours_ms:.1f} ms/frame (dlib: {raw_ms:.1f} ms/frame) ratio {raw_ms / ours_ms:.2f}")


def test_bench_face_detection_and_quality() -> None:
    images = kiosk_frames()
    frames = [as_frame(image, i) for i, image in enumerate(images)]
    analyser = DlibFaceAnalyser()
    detector = dlib.get_frontal_face_detector()

    def raw(i: int) -> object:
        return detector(cv2.cvtColor(images[i % len(images)], cv2.COLOR_BGR2RGB), 0)

    ours_ms, raw_ms = interleaved(lambda i: analyser.measure_frame(frames[i % len(frames)]), raw)
    ours_fps, raw_fps = 1000 / ours_ms, 1000 / raw_ms
    print(f"\nbench face: {ours_fps:.1f} frames/s (dlib HOG: {raw_fps:.1f} frames/s) ratio {ours_fps / raw_fps:.2f}")
