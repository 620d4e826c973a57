"""GA 467 SAM frames: commands, answers and status codes, and a frame parser that resyncs on garbage.

Pure bytes in, bytes out: no I/O here, so the serial reader and the simulator share one tested codec.
A frame is `AA AA AA 96 69`, a 2-byte big-endian length of what follows, the payload, and a checksum
byte (XOR over the length bytes and the payload). A command's payload is `cmd param data…`; an answer's
is `SW1 SW2 SW3 data…`, where SW3 is the status.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from functools import reduce
from operator import xor

from kiosk.ports import CardReadError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
_HEAD = len(PREAMBLE) + 2  # preamble + length
MAX_LENGTH = 4096  # the longest answer (base info + fingerprints) is ~2.3 kB; more is garbage, not a frame


class SamCommand(Enum):
    """(command, parameter) pairs of the SAM's terminal interface that the kiosk uses."""

    RESET = (0x10, 0xFF)
    STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_BASE = (0x30, 0x01)  # text + photo


class SamStatus(IntEnum):
    """SW3 of an answer (SW1 and SW2 are 00 00)."""

    OK = 0x90
    NO_CONTENT = 0x91  # the card has nothing in this item
    FOUND = 0x9F  # find card succeeded
    CHECKSUM_ERROR = 0x10  # the SAM got our frame with a bad checksum
    LENGTH_ERROR = 0x11  # the SAM got our frame with a bad length
    COMMAND_ERROR = 0x21  # a command or parameter the SAM does not accept
    NOT_PERMITTED = 0x23  # 越权操作
    UNRECOGNISED_ERROR = 0x24  # 无法识别的错误
    CARD_AUTH_FAILED = 0x31  # the card failed to authenticate the SAM
    SAM_AUTH_FAILED = 0x32  # the SAM failed to authenticate the card
    VERIFY_FAILED = 0x33  # the card's data did not verify
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47  # could not get a random number from the card
    SELF_TEST_FAILED = 0x60
    NOT_AUTHORISED = 0x66  # the SAM has not been authorised (activated) for use
    NO_CARD = 0x80  # find card failed: no card in the field
    SELECT_FAILED = 0x81


def checksum(data: bytes) -> int:
    return reduce(xor, data, 0)


def encode_frame(payload: bytes) -> bytes:
    length = (len(payload) + 1).to_bytes(2, "big")
    return PREAMBLE + length + payload + bytes([checksum(length + payload)])


def encode_command(command: SamCommand, data: bytes = b"") -> bytes:
    return encode_frame(bytes(command.value) + data)


def encode_answer(status: int, data: bytes = b"") -> bytes:
    return encode_frame(bytes([0x00, 0x00, status]) + data)


@dataclass(frozen=True, slots=True, repr=False)
class Frame:
    payload: bytes
    checksum_ok: bool

    def __repr__(self) -> str:  # an answer's payload can hold a card's record
        return f"Frame({len(self.payload)} bytes, checksum_ok={self.checksum_ok})"


@dataclass(frozen=True, slots=True, repr=False)
class Answer:
    status: int  # a SamStatus value, or an unknown code as sent
    data: bytes

    def __repr__(self) -> str:
        return f"Answer(status=0x{self.status:02X}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class Request:
    """A command as the SAM receives it (for the simulator); `command` is None for one it does not know."""

    command: SamCommand | None
    code: tuple[int, int]
    data: bytes


_COMMANDS = {command.value: command for command in SamCommand}


def decode_answer(payload: bytes) -> Answer:
    if len(payload) < 3:
        raise CardReadError(f"the SAM's answer is {len(payload)} bytes, shorter than its status")
    return Answer(payload[2], payload[3:])


def decode_request(payload: bytes) -> Request | None:
    """The command in a frame's payload; None if the payload is too short to hold one."""
    if len(payload) < 2:
        return None
    code = (payload[0], payload[1])
    return Request(_COMMANDS.get(code), code, payload[2:])


def encode_base_info(text: bytes, photo: bytes) -> bytes:
    """The data of a READ_BASE answer: text length, photo length (2 bytes big-endian each), text, photo."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def decode_base_info(data: bytes) -> tuple[bytes, bytes]:
    """The text block and photo of a READ_BASE answer; CardReadError if the lengths do not add up."""
    if len(data) < 4:
        raise CardReadError("the base-info answer is too short for its lengths")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if len(data) != 4 + text_len + photo_len:
        raise CardReadError("the base-info answer's lengths do not match its size")
    return data[4 : 4 + text_len], data[4 + text_len :]


class FrameParser:
    """Cuts frames out of a byte stream, skipping anything before a preamble (line noise, a half frame).

    A frame whose checksum is wrong is still returned (flagged), so the caller can ask again at once
    rather than wait for a timeout. A length over MAX_LENGTH means the preamble was noise: skip past it.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.skipped = 0  # bytes thrown away while looking for a preamble

    def clear(self) -> None:
        self._buf.clear()

    def feed(self, data: bytes) -> None:
        self._buf += data

    def _skip(self, count: int) -> None:
        del self._buf[:count]
        self.skipped += count

    def _sync(self) -> bool:
        """Drop bytes up to the next preamble; False (keeping a possible partial preamble) if none yet."""
        at = self._buf.find(PREAMBLE)
        if at >= 0:
            self._skip(at)
            return True
        keep = next(
            (n for n in range(len(PREAMBLE) - 1, 0, -1) if self._buf.endswith(PREAMBLE[:n])),
            0,
        )
        self._skip(len(self._buf) - keep)
        return False

    def next_frame(self) -> Frame | None:
        while self._sync():
            if len(self._buf) < _HEAD:
                return None
            length = int.from_bytes(self._buf[len(PREAMBLE) : _HEAD], "big")
            if not 2 <= length <= MAX_LENGTH:
                self._skip(1)
                continue
            if len(self._buf) < _HEAD + length:
                return None
            body = bytes(self._buf[len(PREAMBLE) : _HEAD + length])
            del self._buf[: _HEAD + length]
            return Frame(body[2:-1], checksum(body[:-1]) == body[-1])
        return None
