"""GA 467 frames: the bytes real readers send and expect, and a parser that survives a noisy line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.idcard.ga467 import (
    MAX_LENGTH,
    PREAMBLE,
    FrameParser,
    SamCommand,
    SamStatus,
    checksum,
    decode_answer,
    decode_base_info,
    decode_request,
    encode_answer,
    encode_base_info,
    encode_command,
    encode_frame,
)
from kiosk.ports import CardReadError

# Frames as field code for GA 467 modules writes them out as constants (checked by hand: XOR of length..data).
KNOWN = {
    "find card": (encode_command(SamCommand.FIND_CARD), "AAAAAA96690003200122"),
    "select card": (encode_command(SamCommand.SELECT_CARD), "AAAAAA96690003200221"),
    "read base info": (encode_command(SamCommand.READ_BASE), "AAAAAA96690003300132"),
    "read SAM id": (encode_command(SamCommand.SAM_ID), "AAAAAA9669000312FFEE"),
    "no card": (encode_answer(SamStatus.NO_CARD), "AAAAAA9669000400008084"),
    "select failed": (encode_answer(SamStatus.SELECT_FAILED), "AAAAAA9669000400008185"),
    "read failed": (encode_answer(SamStatus.READ_FAILED), "AAAAAA9669000400004145"),
    "card found": (encode_answer(SamStatus.FOUND, bytes(4)), "AAAAAA9669000800009F0000000097"),
    "selected": (encode_answer(SamStatus.OK, bytes(8)), "AAAAAA9669000C00009000000000000000009C"),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_frames_match_the_bytes_real_readers_use(name: str) -> None:
    ours, theirs = KNOWN[name]
    assert ours.hex().upper() == theirs


def test_a_base_info_answer_starts_as_real_ones_do() -> None:
    frame = encode_answer(SamStatus.OK, encode_base_info(bytes(256), bytes(1024)))
    assert frame[:10].hex().upper() == "AAAAAA96690508000090"  # length 0x0508 = 3 status + 4 + 256 + 1024 + 1
    assert frame[10:14] == b"\x01\x00\x04\x00"
    assert len(frame) == 1295


def test_checksum_is_xor() -> None:
    assert checksum(b"") == 0
    assert checksum(b"\x00\x03\x20\x01") == 0x22


def _frames(parser: FrameParser) -> list[tuple[bytes, bool]]:
    out = []
    while (frame := parser.next_frame()) is not None:
        out.append((frame.payload, frame.checksum_ok))
    return out


def test_a_frame_fed_byte_by_byte_comes_out_once_whole() -> None:
    parser = FrameParser()
    wire = encode_answer(SamStatus.FOUND, bytes(4))
    seen = []
    for byte in wire:
        parser.feed(bytes([byte]))
        seen += _frames(parser)
    assert seen == [(b"\x00\x00\x9f" + bytes(4), True)]


def test_garbage_before_a_preamble_is_skipped_and_counted() -> None:
    parser = FrameParser()
    noise = b"\x00\xff" + PREAMBLE[:3] + b"\x55" + PREAMBLE[:4]
    parser.feed(noise + encode_answer(SamStatus.NO_CARD))
    assert _frames(parser) == [(b"\x00\x00\x80", True)]
    assert parser.skipped == len(noise)


def test_a_partial_preamble_at_the_end_is_kept_for_the_next_chunk() -> None:
    parser = FrameParser()
    wire = encode_answer(SamStatus.NO_CARD)
    parser.feed(b"\x13\x37" + wire[:4])
    assert _frames(parser) == []
    parser.feed(wire[4:])
    assert _frames(parser) == [(b"\x00\x00\x80", True)]


def test_a_bad_checksum_is_flagged_not_dropped() -> None:
    wire = bytearray(encode_answer(SamStatus.NO_CARD))
    wire[-1] ^= 0xFF
    parser = FrameParser()
    parser.feed(bytes(wire) + encode_answer(SamStatus.FOUND, bytes(4)))
    assert [ok for _payload, ok in _frames(parser)] == [False, True]


@pytest.mark.parametrize("length", [0, 1, MAX_LENGTH + 1, 0xFFFF])
def test_an_impossible_length_means_the_preamble_was_noise(length: int) -> None:
    parser = FrameParser()
    parser.feed(PREAMBLE + length.to_bytes(2, "big") + encode_answer(SamStatus.NO_CARD))
    assert _frames(parser) == [(b"\x00\x00\x80", True)]


def test_two_frames_in_one_chunk() -> None:
    parser = FrameParser()
    parser.feed(encode_command(SamCommand.FIND_CARD) + encode_command(SamCommand.SELECT_CARD))
    assert [decode_request(p) for p, _ok in _frames(parser)] == [
        decode_request(b"\x20\x01"),
        decode_request(b"\x20\x02"),
    ]


@given(
    noise=st.binary(max_size=200).filter(lambda b: PREAMBLE[:2] not in b),
    payload=st.binary(min_size=3, max_size=1500),
    cuts=st.lists(st.integers(1, 64), max_size=30),
)
def test_any_frame_after_noise_in_any_chunks_is_recovered(noise: bytes, payload: bytes, cuts: list[int]) -> None:
    wire = noise + encode_frame(payload)
    parser = FrameParser()
    seen, at = [], 0
    for cut in [*cuts, len(wire)]:
        parser.feed(wire[at : at + cut])
        at += cut
        seen += _frames(parser)
    parser.feed(wire[at:])
    seen += _frames(parser)
    assert seen == [(payload, True)]


def test_clear_forgets_a_half_frame() -> None:
    parser = FrameParser()
    parser.feed(encode_answer(SamStatus.NO_CARD)[:8])
    parser.clear()
    parser.feed(encode_answer(SamStatus.FOUND, bytes(4)))
    assert _frames(parser) == [(b"\x00\x00\x9f" + bytes(4), True)]


def test_answers_and_requests_decode() -> None:
    answer = decode_answer(b"\x00\x00\x90abc")
    assert (answer.status, answer.data) == (SamStatus.OK, b"abc")
    assert "abc" not in repr(answer)
    request = decode_request(b"\x30\x01")
    assert request is not None and request.command == SamCommand.READ_BASE
    unknown = decode_request(b"\x77\x01xy")
    assert unknown is not None and (unknown.command, unknown.code, unknown.data) == (None, (0x77, 0x01), b"xy")
    assert decode_request(b"\x20") is None


def test_a_short_answer_is_a_read_error() -> None:
    with pytest.raises(CardReadError):
        decode_answer(b"\x00\x00")


def test_base_info_round_trips_and_refuses_bad_lengths() -> None:
    data = encode_base_info(b"t" * 256, b"p" * 1024)
    assert decode_base_info(data) == (b"t" * 256, b"p" * 1024)
    for broken in (data[:-1], data + b"x", data[:3]):
        with pytest.raises(CardReadError):
            decode_base_info(broken)
