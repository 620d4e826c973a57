"""A GA 467 SAM simulator on a pty: tests, the demo and a technician's bench talk to it as to a real module."""

from __future__ import annotations

import logging
import os
import select
import threading
import tty
from enum import StrEnum

from drivers.idcard.ga467 import (
    PREAMBLE,
    Frame,
    FrameParser,
    Request,
    SamCommand,
    SamStatus,
    decode_request,
    encode_answer,
    encode_base_info,
)
from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import encode_id_card_record

logger = logging.getLogger(__name__)

# Noise as a badly shielded cable or a module booting gives: stray bytes and a half preamble.
GARBAGE = b"\x00\xff\x13" + PREAMBLE[:3] + b"\x55\xaa" + PREAMBLE[:4] + b"\x01"


class Fault(StrEnum):
    """What the simulated module does wrong, for as many answers as asked (or until cleared)."""

    NONE = "none"
    PULL_MID_READ = "pull_mid_read"  # the card leaves between select and read: READ_BASE answers 0x41
    READ_FAILS = "read_fails"  # READ_BASE answers 0x41 but the card stays (a card held at the field's edge)
    BAD_CHECKSUM = "bad_checksum"  # answers carry a wrong checksum
    GARBAGE = "garbage"  # noise before every answer
    SILENT = "silent"  # commands go unanswered
    SAM_UNAUTHORISED = "sam_unauthorised"  # every command is answered 0x66
    AUTH_FAILED = "auth_failed"  # READ_BASE answers 0x31: the card did not authenticate the SAM


_CARD_FAULTS = frozenset({Fault.PULL_MID_READ, Fault.READ_FAILS, Fault.AUTH_FAILED})


class Ga467Simulator:
    """Serves GA 467 on the master side of a pty; `port` is the slave's path for a `SerialSamReader`.

    The card is programmable (`place`, `remove`, a raw record for corrupt ones) and so are the faults
    (`inject`). The simulated SAM keeps the real sequence: READ_BASE needs SELECT_CARD, which needs a
    successful FIND_CARD, and a finished read needs a new find. `hang_up` closes the pty: the port is gone.
    """

    def __init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo or line editing before the reader configures the port itself
        self.port = os.ttyname(self._slave)
        self._lock = threading.Lock()
        self._record: tuple[bytes, bytes] | None = None
        self._state = "idle"  # idle → found → selected → idle
        self._fault = Fault.NONE
        self._fault_left: int | None = None
        self.requests: list[Request] = []
        self._parser = FrameParser()
        self._wake_r, self._wake_w = os.pipe()
        self._open = True
        self._thread = threading.Thread(target=self._serve, name="sim-ga467", daemon=True)
        self._thread.start()

    # --- the test's side ---------------------------------------------------------------------------

    def place(self, card: IdCard | tuple[bytes, bytes]) -> None:
        """Put a card in the field: an IdCard, or a raw (text, photo) record such as a corrupt one."""
        record = encode_id_card_record(card) if isinstance(card, IdCard) else card
        with self._lock:
            self._record = record
            self._state = "idle"

    def remove(self) -> None:
        with self._lock:
            self._record = None
            self._state = "idle"

    @property
    def card_present(self) -> bool:
        with self._lock:
            return self._record is not None

    def inject(self, fault: Fault, times: int | None = None) -> None:
        """Misbehave for the next `times` answers it affects (None: until `inject(Fault.NONE)`)."""
        with self._lock:
            self._fault, self._fault_left = fault, times

    def commands(self) -> list[SamCommand | None]:
        with self._lock:
            return [request.command for request in self.requests]

    def hang_up(self) -> None:
        """Close the pty as an unplugged USB-serial adapter would: the reader's port is gone."""
        self._stop()

    def close(self) -> None:
        self._stop()

    def __enter__(self) -> Ga467Simulator:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _stop(self) -> None:
        with self._lock:
            if not self._open:
                return
            self._open = False
        os.write(self._wake_w, b"x")
        self._thread.join(5)
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            os.close(fd)

    # --- the module's side (the sim-ga467 thread) --------------------------------------------------

    def _serve(self) -> None:
        while True:
            ready, _, _ = select.select([self._master, self._wake_r], [], [])
            if self._wake_r in ready:
                return
            try:
                data = os.read(self._master, 4096)
            except OSError:
                logger.debug("the pty's reader side went away")
                return
            self._parser.feed(data)
            while (frame := self._parser.next_frame()) is not None:
                answer = self._answer(frame)
                if answer:
                    os.write(self._master, answer)

    def _take_fault(self, applies: bool) -> Fault:
        """The fault to apply to this answer (if `applies`), counting it down."""
        fault = self._fault
        if fault == Fault.NONE or not applies:
            return Fault.NONE
        if self._fault_left is not None:
            self._fault_left -= 1
            if self._fault_left <= 0:
                self._fault, self._fault_left = Fault.NONE, None
        return fault

    def _answer(self, frame: Frame) -> bytes:
        with self._lock:
            request = decode_request(frame.payload) if frame.checksum_ok else None
            if request is not None:
                self.requests.append(request)
            line_fault = self._take_fault(self._fault not in _CARD_FAULTS)
            if line_fault == Fault.SILENT:
                return b""
            if line_fault == Fault.SAM_UNAUTHORISED and frame.checksum_ok:
                answer = encode_answer(SamStatus.NOT_AUTHORISED)
            else:
                answer = self._respond(frame, request)
        if line_fault == Fault.BAD_CHECKSUM:
            answer = answer[:-1] + bytes([answer[-1] ^ 0x5A])
        if line_fault == Fault.GARBAGE:
            answer = GARBAGE + answer
        return answer

    def _respond(self, frame: Frame, request: Request | None) -> bytes:
        if not frame.checksum_ok:
            return encode_answer(SamStatus.CHECKSUM_ERROR)
        if request is None:
            return encode_answer(SamStatus.LENGTH_ERROR)
        if request.command == SamCommand.FIND_CARD:
            return self._find()
        if request.command == SamCommand.SELECT_CARD:
            return self._select()
        if request.command == SamCommand.READ_BASE:
            return self._read_base()
        if request.command == SamCommand.SAM_ID:
            return encode_answer(SamStatus.OK, bytes(range(16)))
        if request.command in (SamCommand.RESET, SamCommand.STATUS):
            return encode_answer(SamStatus.OK)
        return encode_answer(SamStatus.COMMAND_ERROR)

    def _find(self) -> bytes:
        if self._record is None:
            self._state = "idle"
            return encode_answer(SamStatus.NO_CARD)
        self._state = "found"
        return encode_answer(SamStatus.FOUND, bytes(4))

    def _select(self) -> bytes:
        if self._record is None or self._state != "found":
            return encode_answer(SamStatus.SELECT_FAILED)
        self._state = "selected"
        return encode_answer(SamStatus.OK, bytes(8))

    def _read_base(self) -> bytes:
        selected, self._state = self._state == "selected", "idle"
        if self._record is None or not selected:
            return encode_answer(SamStatus.READ_FAILED)
        fault = self._take_fault(self._fault in _CARD_FAULTS)
        if fault == Fault.PULL_MID_READ:
            self._record = None
            return encode_answer(SamStatus.READ_FAILED)
        if fault == Fault.READ_FAILS:
            return encode_answer(SamStatus.READ_FAILED)
        if fault == Fault.AUTH_FAILED:
            return encode_answer(SamStatus.CARD_AUTH_FAILED)
        return encode_answer(SamStatus.OK, encode_base_info(*self._record))
