"""The charset rules for QR payloads without a visible ECI, and the undoing of OpenCV's Latin-1 widening."""

from __future__ import annotations

import zlib

import pytest

from drivers.qr_charset import BINARY, Charset, DecodedText, decode_text, undo_latin1_widening


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("兰考县张庄村".encode(), DecodedText("兰考县张庄村", Charset.UTF8)),
        ("兰考县张庄村".encode("gb18030"), DecodedText("兰考县张庄村", Charset.GB18030)),
        ("兰考".encode("gbk"), DecodedText("兰考", Charset.GB18030)),
        # A rare name character outside GB2312 (in GBK) still reads as GB18030.
        ("王喆".encode("gb18030"), DecodedText("王喆", Charset.GB18030)),
        ("こんにちは、世界".encode("shift_jis"), DecodedText("こんにちは、世界", Charset.SHIFT_JIS)),
        (b"\xef\xbb\xbf" + "链信通".encode(), DecodedText("链信通", Charset.UTF8_BOM)),
        (b"https://lxt.example/r?a=1", DecodedText("https://lxt.example/r?a=1", Charset.UTF8)),
        (b"", DecodedText("", Charset.UTF8)),
        (b"line one\r\nline\ttwo", DecodedText("line one\r\nline\ttwo", Charset.UTF8)),
    ],
)
def test_text_is_read_in_the_right_charset(data: bytes, expected: DecodedText) -> None:
    assert decode_text(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        zlib.compress(b'{"vct":"urn:lxt:cadre-card:1"}' * 3),
        bytes([0xA3, 0x01, 0x26, 0x04, 0x58, 0x20]) + bytes(range(32)),
        b"valid utf-8 but \x00 a NUL",
        b"\x80\xff\xfe",
        bytes(range(0x80, 0x100)),
    ],
)
def test_binary_payloads_stay_bytes(data: bytes) -> None:
    assert decode_text(data) == BINARY


def test_kanji_only_japanese_reads_as_chinese_without_an_eci() -> None:
    # Documented limit: without kana, Shift-JIS kanji are valid GB18030 too, and this is a Chinese kiosk.
    assert decode_text("日本語".encode("shift_jis")).charset == Charset.GB18030


@pytest.mark.parametrize(
    ("original", "from_opencv"),
    [
        ("兰考".encode("gb18030"), "兰考".encode("gb18030").decode("latin-1").encode()),
        (bytes([0x78, 0x9C, 0x80, 0x01]), bytes([0x78, 0x9C, 0x80, 0x01]).decode("latin-1").encode()),
        ("兰考".encode(), "兰考".encode()),  # valid UTF-8 was never widened
        (b"plain ascii", b"plain ascii"),
    ],
)
def test_opencv_latin1_widening_is_undone(original: bytes, from_opencv: bytes) -> None:
    assert undo_latin1_widening(from_opencv) == original
