"""Real zbar and OpenCV on the generated QR corpus: exact decoding, charsets, the hard-set rate, refusals."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from pyzbar import pyzbar

from drivers.qr import Attempt, Engine, MalformedFrame, QrPayloadTooLarge, QrSettings, ZbarQrScanner
from kiosk.ports import Frame, QrPayload
from tests import qr_corpus
from tests.qr_corpus import Sample

pytestmark = pytest.mark.integration

# Measured on this corpus (seed 20260319, 208 hard frames): 197 decoded exactly (94.7 %); raw pyzbar got
# 69 exactly right (33 %), most of its misses being charset damage. The floor leaves room for another
# libzbar or OpenCV build, not for a regression of the ladder.
HARD_RATE_FLOOR = 0.90


@pytest.fixture(scope="module")
def easy() -> list[Sample]:
    return qr_corpus.easy()


@pytest.fixture(scope="module")
def hard() -> list[Sample]:
    return qr_corpus.hard()


@pytest.fixture(scope="module")
def scanner() -> ZbarQrScanner:
    return ZbarQrScanner()


def exact(sample: Sample, payloads: list[QrPayload]) -> bool:
    """The code's text is read exactly; its bytes too, except for ECI codes (zbar converts those itself)."""
    code = sample.code
    return len(payloads) == 1 and payloads[0].text == code.text and (code.eci or payloads[0].data == code.data)


def test_every_easy_sample_decodes_exactly(scanner: ZbarQrScanner, easy: list[Sample]) -> None:
    wrong = [s.name for s in easy if not exact(s, scanner.decode(s.frame()))]
    assert wrong == []


@pytest.mark.parametrize("prefix", ["utf8-zh-", "gb18030-zh-", "eci-gb18030-zh", "eci-utf8-zh"])
def test_chinese_text_is_decoded_in_its_own_charset(
    scanner: ZbarQrScanner, easy: list[Sample], hard: list[Sample], prefix: str
) -> None:
    samples = [s for s in easy + hard if s.code.name.startswith(prefix)]
    assert samples
    results = {s.name: scanner.decode(s.frame()) for s in samples}
    # Every frame read, in the easy set and the hard set alike, gives the right characters and charset.
    misread = [
        s.name
        for s in samples
        if results[s.name] and (results[s.name][0].text, results[s.name][0].charset) != (s.code.text, s.code.charset)
    ]
    assert misread == []
    assert all(results[s.name] for s in samples if s.difficulty is qr_corpus.Difficulty.EASY)


def test_the_zbar_charset_trap_is_avoided(scanner: ZbarQrScanner, easy: list[Sample]) -> None:
    """Raw pyzbar (zbar guessing the charset) damages GB18030 text; binary mode plus our rules does not."""
    gb = [s for s in easy if s.code.name.startswith("gb18030-zh-")]
    raw_right = sum(
        1 for s in gb for d in pyzbar.decode(s.image, symbols=[pyzbar.ZBarSymbol.QRCODE]) if d.data == s.code.data
    )
    ours_right = sum(1 for s in gb if exact(s, scanner.decode(s.frame())))
    assert raw_right < len(gb) // 2  # the trap is real on this machine's zbar …
    assert ours_right == len(gb)  # … and our reader steps around it


def test_binary_payloads_stay_bytes(scanner: ZbarQrScanner, easy: list[Sample]) -> None:
    binary = [s for s in easy if s.code.name.startswith("binary-")]
    assert binary
    for sample in binary:
        (payload,) = scanner.decode(sample.frame())
        assert (payload.data, payload.text, payload.charset) == (sample.code.data, None, None)


def test_the_hard_set_decodes_at_or_above_the_measured_rate(scanner: ZbarQrScanner, hard: list[Sample]) -> None:
    results = {s.name: exact(s, scanner.decode(s.frame())) for s in hard}
    rate = sum(results.values()) / len(results)
    misses = Counter(s.look_name for s in hard if not results[s.name])
    print(f"hard set: {sum(results.values())}/{len(results)} = {rate:.1%}; misses by look: {dict(misses)}")
    assert rate >= HARD_RATE_FLOOR


def test_opencv_alone_gives_the_original_bytes_of_a_gb18030_code(easy: list[Sample]) -> None:
    # OpenCV widens non-UTF-8 bytes as if Latin-1; the driver narrows them back.
    only_opencv = ZbarQrScanner(QrSettings(ladder=(Attempt("gray", lambda g: g, Engine.OPENCV),), max_attempts=1))
    sample = next(s for s in easy if s.name == "gb18030-zh-0/clean")
    (payload,) = only_opencv.decode(sample.frame())
    assert (payload.data, payload.text, payload.charset, payload.decoder) == (
        sample.code.data,
        sample.code.text,
        "gb18030",
        "opencv",
    )


def test_a_payload_over_the_limit_is_refused(easy: list[Sample]) -> None:
    sample = next(s for s in easy if s.code.name == "sd-jwt-1000")
    assert len(sample.code.data) == 1000
    with pytest.raises(QrPayloadTooLarge, match="1000 bytes refused: the limit is 999 bytes"):
        ZbarQrScanner(QrSettings(max_payload_bytes=999)).decode(sample.frame())
    (payload,) = ZbarQrScanner(QrSettings(max_payload_bytes=1000)).decode(sample.frame())
    assert payload.data == sample.code.data


@pytest.mark.parametrize(
    "frame",
    [
        Frame(640, 480, bytes(640 * 480), 0, 0),  # grey bytes where BGR was promised
        Frame(640, 480, bytes(640 * 480 * 3 - 1), 0, 0),
        Frame(0, 480, b"", 0, 0),
    ],
)
def test_a_malformed_frame_is_refused(scanner: ZbarQrScanner, frame: Frame) -> None:
    with pytest.raises(MalformedFrame):
        scanner.decode(frame)


def test_a_frame_without_a_code_gives_nothing(scanner: ZbarQrScanner) -> None:
    table = qr_corpus.blank_frame()
    assert scanner.decode(Frame(table.shape[1], table.shape[0], table.tobytes(), 0, 0)) == []


def test_two_codes_in_one_frame_are_both_read(scanner: ZbarQrScanner, easy: list[Sample]) -> None:
    left = next(s for s in easy if s.name == "utf8-zh-0/clean").image
    right = next(s for s in easy if s.name == "gb18030-zh-1/clean").image
    both = np.ascontiguousarray(np.hstack([left, right]))
    payloads = scanner.decode(Frame(both.shape[1], both.shape[0], both.tobytes(), 0, 0))
    assert sorted(p.text or "" for p in payloads) == sorted([qr_corpus.CHINESE[0], qr_corpus.CHINESE[1]])
