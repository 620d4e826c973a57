"""The QR scanner contract: FakeQrScanner and ZbarQrScanner (on generated frames) behave alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from drivers.fake.qr import FakeQrScanner
from drivers.qr import MalformedFrame, QrPayloadTooLarge, QrSettings, ZbarQrScanner
from kiosk.ports import Frame, QrScanner
from tests import qr_corpus
from tests.qr_corpus import Code

CODES = {code.name: code for code in qr_corpus.codes()}
SHOWN = ("utf8-zh-1", "gb18030-zh-2", "binary-zlib", "ascii-url", "sjis-ja-0")


def photo(code: Code) -> Frame:
    image = qr_corpus.render(code, qr_corpus.EASY_LOOKS["clean"], np.random.default_rng(len(code.name)))
    return Frame(image.shape[1], image.shape[0], image.tobytes(), 0, 0)


def blank() -> Frame:
    table = qr_corpus.blank_frame()
    return Frame(table.shape[1], table.shape[0], table.tobytes(), 0, 0)


@dataclass(frozen=True)
class QrKit:
    make: Callable[[int], QrScanner]  # a scanner with this max_payload_bytes, knowing the frames below
    frames: dict[str, Frame]


@pytest.fixture(params=["fake", pytest.param("zbar", marks=pytest.mark.integration)])
def kit(request: pytest.FixtureRequest) -> QrKit:
    frames = {name: photo(CODES[name]) for name in SHOWN}
    frames["blank"] = blank()
    if request.param == "zbar":
        return QrKit(lambda limit: ZbarQrScanner(QrSettings(max_payload_bytes=limit)), frames)

    def fake(limit: int) -> QrScanner:
        scanner = FakeQrScanner(max_payload_bytes=limit)
        for name in SHOWN:
            scanner.show(frames[name], CODES[name].data)
        return scanner

    return QrKit(fake, frames)


@pytest.mark.parametrize("name", SHOWN)
def test_a_code_is_read_with_its_text_and_charset(kit: QrKit, name: str) -> None:
    code = CODES[name]
    (payload,) = kit.make(4096).decode(kit.frames[name])
    assert (payload.data, payload.text, payload.charset) == (code.data, code.text, code.charset)


def test_a_frame_without_a_code_gives_an_empty_list(kit: QrKit) -> None:
    assert kit.make(4096).decode(kit.frames["blank"]) == []


def test_a_payload_over_the_limit_raises(kit: QrKit) -> None:
    size = len(CODES["ascii-url"].data)
    with pytest.raises(QrPayloadTooLarge) as caught:
        kit.make(size - 1).decode(kit.frames["ascii-url"])
    assert (caught.value.size, caught.value.limit) == (size, size - 1)


@pytest.mark.parametrize("pixels", [b"", bytes(640 * 480), bytes(640 * 480 * 3 + 3)])
def test_a_malformed_frame_raises(kit: QrKit, pixels: bytes) -> None:
    with pytest.raises(MalformedFrame):
        kit.make(4096).decode(Frame(640, 480, pixels, 0, 0))


def test_decoding_the_same_frame_again_gives_the_same_result(kit: QrKit) -> None:
    scanner = kit.make(4096)
    frame = kit.frames["utf8-zh-1"]
    assert scanner.decode(frame) == scanner.decode(frame)
