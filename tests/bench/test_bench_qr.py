"""QR benchmarks: ZbarQrScanner against raw pyzbar (and raw OpenCV) on the corpus's frames, in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import cv2
import pytest
from pyzbar import pyzbar

from drivers.qr import ZbarQrScanner
from tests import qr_corpus
from tests.qr_corpus import Sample

pytestmark = pytest.mark.bench

ROUNDS = 3
# The same work as ours: QR codes only (pyzbar.decode with no `symbols` also hunts for every 1-D barcode).
QR_ONLY = [pyzbar.ZBarSymbol.QRCODE]


def ms_per_frame(work: Callable[[Sample], object], samples: list[Sample]) -> float:
    start = time.perf_counter()
    for sample in samples:
        work(sample)
    return (time.perf_counter() - start) * 1000 / len(samples)


def interleaved(
    ours: Callable[[Sample], object], raw: Callable[[Sample], object], samples: list[Sample]
) -> tuple[float, float]:
    """Medians of both, measured in alternating passes so a busy neighbour slows both alike."""
    ms_per_frame(ours, samples[:4]), ms_per_frame(raw, samples[:4])  # warm caches and lazy set-up
    ours_ms, raw_ms = [], []
    for _ in range(ROUNDS):
        ours_ms.append(ms_per_frame(ours, samples))
        raw_ms.append(ms_per_frame(raw, samples))
    return statistics.median(ours_ms), statistics.median(raw_ms)


def test_bench_qr_decode() -> None:
    samples = qr_corpus.easy()
    scanner = ZbarQrScanner()
    frames = {s.name: s.frame() for s in samples}
    ours, raw = interleaved(
        lambda s: scanner.decode(frames[s.name]), lambda s: pyzbar.decode(s.image, symbols=QR_ONLY), samples
    )
    print(f"\nbench qr: {ours:.2f} ms/frame (pyzbar: {raw:.2f} ms/frame) ratio {raw / ours:.2f}")


def test_bench_qr_corpus() -> None:
    """The share of the whole corpus (easy + hard) read exactly: ours, raw pyzbar, raw OpenCV."""
    samples = qr_corpus.easy() + qr_corpus.hard()
    scanner = ZbarQrScanner()
    detector = cv2.QRCodeDetector()

    def ours(s: Sample) -> bool:
        # ECI codes: zbar hands over the text already converted, so their text is what must be exact.
        return any(p.text == s.code.text and (s.code.eci or p.data == s.code.data) for p in scanner.decode(s.frame()))

    def raw_zbar(s: Sample) -> bool:
        return any(d.data == s.code.data for d in pyzbar.decode(s.image, symbols=QR_ONLY))

    def raw_opencv(s: Sample) -> bool:
        return bytes(detector.detectAndDecodeBytes(s.image)[0]) == s.code.data

    rates = {name: qr_corpus.rate(samples, fn) for name, fn in (("ours", ours), ("zbar", raw_zbar), ("cv", raw_opencv))}
    ours_pct, zbar_pct, cv_pct = (100 * rates[k] for k in ("ours", "zbar", "cv"))
    print(f"\nbench qr-corpus: {ours_pct:.1f} % (pyzbar: {zbar_pct:.1f} %) ratio {ours_pct / zbar_pct:.2f}")
    print(f"bench qr-corpus-opencv: {ours_pct:.1f} % (opencv: {cv_pct:.1f} %) ratio {ours_pct / cv_pct:.2f}")
