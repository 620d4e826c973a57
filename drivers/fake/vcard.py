"""A virtual smart card of our own for the `vpcd` virtual reader (Debian's vsmartcard-vpcd) under a real pcscd.

Test and demo equipment, never a production part. vpcd listens on a TCP port; a card *connects* to it to be
inserted and closes the connection to be removed. Every message is a 2-byte big-endian length and a payload:
from vpcd, 1 byte is a control (0 power off, 1 power on, 2 reset, 4 "send your ATR"), anything longer is a
C-APDU to answer with an R-APDU. vpcd writes length and payload separately without TCP_NODELAY, so the card
sets TCP_QUICKACK around every receive (else each APDU waits ~40 ms for a delayed ACK).

Applications: `IdCardApp` (the reader profile of drivers/idcard/apdu.py), `SocialSecurityApp` (社保卡),
`UnknownApp` (a card we do not read); each can be told to fail.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

from drivers.idcard import apdu as ap
from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import encode_id_card_record
from kiosk.domain.sscard import SocialSecurityCard

logger = logging.getLogger(__name__)

OK = b"\x90\x00"
NOT_FOUND = b"\x6a\x82"
NO_RECORD = b"\x6a\x83"
WRONG_OFFSET = b"\x6b\x00"
NOT_ALLOWED = b"\x69\x86"
UNKNOWN_INS = b"\x6d\x00"
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


class PullCard(Exception):
    """Raised by an application to take the card away in the middle of an exchange."""


@dataclass
class IdCardApp:
    """An ID card behind a SAM-equipped reader: the base information as two transparent files."""

    text: bytes
    photo: bytes
    pull_after_reads: int | None = None  # take the card away at this READ BINARY (mid-read)
    deny: bool = False  # the SAM is not authorised: 6982 to the reads
    atr: bytes = bytes.fromhex("3B8880010000000000718100F9")
    reads: int = 0
    _selected_app: bool = False
    _file: bytes | None = None

    @classmethod
    def of(cls, card: IdCard, **kw: object) -> IdCardApp:
        text, photo = encode_id_card_record(card)
        return cls(text, photo, **kw)  # type: ignore[arg-type]

    def answer(self, cmd: bytes) -> bytes:
        ins = cmd[1]
        if ins == 0xA4 and cmd[2] == 0x04:
            self._selected_app = cmd[5 : 5 + cmd[4]] == ap.ID_AID
            return OK if self._selected_app else NOT_FOUND
        if ins == 0xA4 and cmd[2] == 0x02 and self._selected_app:
            fid = (cmd[5] << 8) | cmd[6]
            self._file = {ap.EF_TEXT: self.text, ap.EF_PHOTO: self.photo}.get(fid)
            return OK if self._file is not None else NOT_FOUND
        if ins == 0xB0 and self._file is not None:
            self.reads += 1
            if self.pull_after_reads is not None and self.reads >= self.pull_after_reads:
                raise PullCard
            if self.deny:
                return b"\x69\x82"
            offset, length = (cmd[2] << 8) | cmd[3], cmd[4] or 256
            if offset > len(self._file):
                return WRONG_OFFSET
            return self._file[offset : offset + length] + OK
        return UNKNOWN_INS if ins not in (0xA4, 0xB0) else NOT_ALLOWED


@dataclass
class SocialSecurityApp:
    """A 社保卡: the SSSE application with EF05 (by short file id) and EF06 (by selection) as records."""

    records: dict[tuple[int, int], bytes]
    atr: bytes = bytes.fromhex("3B6C00000A0102030405060708090A0B")
    _in_ssse: bool = False
    _ef06: bool = False

    @classmethod
    def of(cls, card: SocialSecurityCard) -> SocialSecurityApp:
        return cls(ap.encode_social_security(card))

    def answer(self, cmd: bytes) -> bytes:
        ins = cmd[1]
        if ins == 0xA4 and cmd[2] == 0x04:
            self._in_ssse = cmd[5 : 5 + cmd[4]] == ap.SSSE_AID
            self._ef06 = False
            return OK if self._in_ssse else NOT_FOUND
        if ins == 0xA4 and cmd[2] == 0x02:
            self._ef06 = self._in_ssse and (cmd[5] << 8 | cmd[6]) == ap.EF06
            return OK if self._ef06 else NOT_FOUND
        if ins == 0xB2 and self._in_ssse:
            record, p2 = cmd[2], cmd[3]
            file = (p2 >> 3) if p2 >> 3 else (6 if self._ef06 else 0)
            value = self.records.get((file, record))
            if value is None:
                return NO_RECORD
            return bytes([record, len(value)]) + value + OK
        return UNKNOWN_INS


@dataclass
class UnknownApp:
    """Some other card (a bank card, a transport card): it knows none of our applications."""

    atr: bytes = bytes.fromhex("3B6800000073C84013009000")
    seen: list[bytes] = field(default_factory=list)

    def answer(self, cmd: bytes) -> bytes:
        self.seen.append(cmd[:4])
        return NOT_FOUND


CardApp = IdCardApp | SocialSecurityApp | UnknownApp


class VirtualCard:
    """One card slot of a vpcd reader: `insert(app)` connects to vpcd, `remove()` disconnects."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self._addr = (host, port)
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.app: CardApp | None = None

    def insert(self, app: CardApp, timeout_s: float = 10.0) -> None:
        self.remove()
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                sock = socket.create_connection(self._addr, timeout=2.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # vpcd opens its port once pcscd has loaded the driver
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        with self._lock:
            self._sock, self.app = sock, app
        self._thread = threading.Thread(target=self._serve, args=(sock, app), name="vcard", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            _close(sock)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    def _serve(self, sock: socket.socket, app: CardApp) -> None:
        try:
            while True:
                message = _receive(sock)
                if message is None:
                    return
                if len(message) == 1:
                    if message[0] == 4:
                        _send(sock, app.atr)
                    continue  # power off / on / reset need no answer
                try:
                    _send(sock, app.answer(message))
                except PullCard:
                    logger.info("virtual card pulled in the middle of an exchange")
                    with self._lock:
                        if self._sock is sock:
                            self._sock = None
                    _close(sock)
                    return
        except OSError:
            return  # removed, or vpcd went away


def _quickack(sock: socket.socket) -> None:
    if _QUICKACK is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)


def _exactly(sock: socket.socket, n: int) -> bytes | None:
    out = b""
    while len(out) < n:
        _quickack(sock)
        chunk = sock.recv(n - len(out))
        _quickack(sock)
        if not chunk:
            return None
        out += chunk
    return out


def _receive(sock: socket.socket) -> bytes | None:
    head = _exactly(sock, 2)
    if head is None:
        return None
    (length,) = struct.unpack(">H", head)
    return _exactly(sock, length)


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
