"""Turning a QR code's raw bytes into text: which charset, in which order, and when to leave it as bytes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

UTF8_BOM = b"\xef\xbb\xbf"

# Control characters a text payload may carry: TAB, LF, CR, and GS (0x1D, the separator zbar writes for
# GS1/FNC1 codes). Any other C0 control or DEL means the payload is binary (zlib, CBOR, a key) even if the
# bytes happen to be valid in some charset.
_ALLOWED_CONTROLS = frozenset("\t\n\r\x1d")


class Charset(StrEnum):
    UTF8 = "utf-8"
    UTF8_BOM = "utf-8-sig"
    GB18030 = "gb18030"
    SHIFT_JIS = "shift_jis"


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str | None  # None: the payload is binary
    charset: Charset | None


BINARY = DecodedText(None, None)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec, errors="strict")
    except UnicodeDecodeError:
        return None


def _looks_like_text(text: str) -> bool:
    return not any((ch < " " and ch not in _ALLOWED_CONTROLS) or ch == "\x7f" for ch in text)


def _common_chinese(text: str) -> bool:
    """Every non-ASCII character is in GB2312, the 6,763 characters ordinary Chinese text is written in.

    GBK and GB18030 add rare characters (and Japanese kana at codes Shift-JIS uses for other things), so a
    GB18030 reading made only of GB2312 characters is very likely to be what the writer meant.
    """
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _has_kana(text: str) -> bool:
    """Full-width hiragana or katakana: what Japanese text is full of and Chinese text never contains."""
    return any("\u3041" <= ch <= "\u30fa" for ch in text)


def decode_text(data: bytes) -> DecodedText:
    """Guess the charset of a QR payload that carries no (visible) ECI designator.

    The order, and why:
    1. A UTF-8 BOM: the writer said so.
    2. Strict UTF-8: valid UTF-8 of any length is rarely an accident for GB18030 or Shift-JIS bytes (their
       lead and trail bytes almost never line up as UTF-8's 0b110/0b1110 + 0b10 patterns), and it is what
       every modern issuer (SD-JWT, URLs, JSON) writes.
    3. GB18030 (a superset of GBK and GB2312) when the reading is ordinary Chinese (GB2312 only): this is a
       Chinese county; hospital and bank printers still write GBK.
    4. Shift-JIS when that reading contains kana: Japanese text is valid GB18030 too (as rare characters),
       so kana decide it.
    5. GB18030 with rare characters (a rare name character), then Shift-JIS without kana.
    6. Otherwise — or when the reading holds control characters — the payload is binary: bytes, no text.
    """
    if data.startswith(UTF8_BOM):
        text = _strict(data[len(UTF8_BOM) :], "utf-8")
        if text is not None and _looks_like_text(text):
            return DecodedText(text, Charset.UTF8_BOM)
    text = _strict(data, "utf-8")
    if text is not None:
        return DecodedText(text, Charset.UTF8) if _looks_like_text(text) else BINARY
    gb = _strict(data, "gb18030")
    sjis = _strict(data, "shift_jis")
    gb = gb if gb is not None and _looks_like_text(gb) else None
    sjis = sjis if sjis is not None and _looks_like_text(sjis) else None
    if gb is not None and _common_chinese(gb):
        return DecodedText(gb, Charset.GB18030)
    if sjis is not None and _has_kana(sjis):
        return DecodedText(sjis, Charset.SHIFT_JIS)
    if gb is not None:
        return DecodedText(gb, Charset.GB18030)
    if sjis is not None:
        return DecodedText(sjis, Charset.SHIFT_JIS)
    return BINARY


def undo_latin1_widening(data: bytes) -> bytes:
    """The bytes OpenCV read, before it re-encoded them as if they were ISO-8859-1.

    OpenCV 4.x's `detectAndDecodeBytes` keeps a byte-mode payload that is valid UTF-8, but converts any other
    one from ISO-8859-1 to UTF-8 (so GBK "兰" C0 BC comes back as C3 80 C2 BC). Its output is then valid UTF-8
    made only of code points up to U+00FF; squeezing those back into single bytes gives the original — unless
    those bytes are themselves valid UTF-8, in which case OpenCV would have kept them and did not convert.
    The one reading this gets wrong: a genuine UTF-8 payload made only of Latin-1 letters ("café"), which
    comes back as its Latin-1 bytes. Zbar, the first decoder, does not have this problem.
    """
    text = _strict(data, "utf-8")
    if text is None or text.isascii() or any(ord(ch) > 0xFF for ch in text):
        return data
    narrow = text.encode("latin-1")
    return data if _strict(narrow, "utf-8") is not None else narrow
