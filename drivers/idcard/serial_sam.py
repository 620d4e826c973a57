"""SerialSamReader: a GA 467 ID card SAM on a serial port (pyserial), polled on its own `hw-serial` thread."""

from __future__ import annotations

import logging
import queue
import termios
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

import serial

from drivers.idcard.ga467 import (
    Answer,
    Frame,
    FrameParser,
    SamCommand,
    SamStatus,
    decode_answer,
    decode_base_info,
    encode_command,
)
from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import parse_id_card_record
from kiosk.errors import DeviceError
from kiosk.ports import CardReadError, CardRemoved, DeviceTimeout, DeviceUnavailable, UnsupportedCard

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a dead or vanished port raises from pyserial, os and termios (tcflush on a hung-up pty).
_PORT_ERRORS = (serial.SerialException, OSError, termios.error)
_READ_SLICE_S = 0.05  # one blocking read waits at most this long, so close() is noticed promptly
_LOST = frozenset({SamStatus.NO_CARD, SamStatus.SELECT_FAILED, SamStatus.READ_FAILED})
_RESEND = frozenset({SamStatus.CHECKSUM_ERROR, SamStatus.LENGTH_ERROR})  # our frame arrived damaged
_AUTH = frozenset({SamStatus.CARD_AUTH_FAILED, SamStatus.SAM_AUTH_FAILED, SamStatus.VERIFY_FAILED})
_REPLACE = "remove the card and place it again"


@dataclass(frozen=True, slots=True)
class SamTimings:
    """How long to wait for each answer, how often to look for a card, and how often to try again."""

    answer_timeout_s: float = 1.0  # find and select answer within ~10 ms on real SAMs
    read_timeout_s: float = 3.0  # reading text + photo takes ~0.5–1 s on real SAMs
    poll_interval_s: float = 0.1
    max_retries: int = 3  # per transaction (damaged frames) and per card (failed select/read)


class _CardLost(DeviceError):  # a private signal between two methods, never raised out of _Session
    """Select or read failed after the card was found: look for it again."""


class _HwThread:
    """One named thread that runs every job on the port, in order."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    def _run(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:  # handed to the caller's thread, not swallowed
                    future.set_exception(exc)

    def stop(self, timeout_s: float) -> None:
        self._jobs.put(None)
        self._thread.join(timeout_s)


class _Link:
    """Frames over an open serial port (used only on the hw-serial thread)."""

    def __init__(self, port: serial.Serial, closing: threading.Event) -> None:
        self.port = port
        self._closing = closing
        self._parser = FrameParser()

    def send(self, frame: bytes) -> None:
        # Whatever is still buffered answers an earlier command that timed out: it must not answer this one.
        self.port.reset_input_buffer()
        self._parser.clear()
        self.port.write(frame)
        self.port.flush()

    def receive(self, timeout_s: float) -> Frame | None:
        deadline = time.monotonic() + timeout_s
        while (frame := self._parser.next_frame()) is None:
            if self._closing.is_set():
                raise DeviceUnavailable("the card reader is closed")
            if time.monotonic() >= deadline:
                return None
            self._parser.feed(self.port.read(max(1, self.port.in_waiting)))
        return frame


def _status_error(status: int) -> DeviceError:
    if status in _AUTH:
        return CardReadError(f"the card and the SAM did not authenticate each other (status 0x{status:02X})")
    if status == SamStatus.UNKNOWN_CARD_TYPE:
        return UnsupportedCard("the SAM does not know this type of card")
    if status in (SamStatus.NOT_AUTHORISED, SamStatus.NOT_PERMITTED):
        return CardReadError(f"the SAM is not authorised for use (status 0x{status:02X})")
    if status == SamStatus.SELF_TEST_FAILED:
        return DeviceUnavailable("the SAM failed its self-test")
    return CardReadError(f"the SAM answered status 0x{status:02X}")


class _Session:
    """One read_card call: find → select → read, polled until the deadline."""

    def __init__(self, link: _Link, timings: SamTimings, closing: threading.Event) -> None:
        self._link = link
        self._t = timings
        self._closing = closing

    def transact(self, command: SamCommand, timeout_s: float) -> Answer:
        """Send a command and return its answer, sending it again when a frame was damaged either way."""
        silent = 0
        for _attempt in range(self._t.max_retries + 1):
            self._link.send(encode_command(command))
            frame = self._link.receive(timeout_s)
            if frame is None:
                silent += 1
                continue
            if not frame.checksum_ok:
                logger.warning("GA 467: damaged answer to %s, asking again", command.name)
                continue
            answer = decode_answer(frame.payload)
            if answer.status not in _RESEND:
                return answer
            logger.warning("GA 467: the SAM got %s damaged (0x%02X), sending again", command.name, answer.status)
        tries = self._t.max_retries + 1
        if silent == tries:
            raise DeviceUnavailable(f"the SAM does not answer {command.name}")
        raise CardReadError(f"{command.name}: damaged frames on the line, no good answer in {tries} tries")

    def _find(self) -> bool:
        status = self.transact(SamCommand.FIND_CARD, self._t.answer_timeout_s).status
        if status == SamStatus.FOUND:
            return True
        if status == SamStatus.NO_CARD:
            return False
        raise _status_error(status)

    def _step(self, command: SamCommand, timeout_s: float) -> Answer:
        answer = self.transact(command, timeout_s)
        if answer.status in _LOST:
            raise _CardLost
        if answer.status != SamStatus.OK:
            raise _status_error(answer.status)
        return answer

    def _select_and_read(self) -> tuple[bytes, bytes]:
        self._step(SamCommand.SELECT_CARD, self._t.answer_timeout_s)
        return decode_base_info(self._step(SamCommand.READ_BASE, self._t.read_timeout_s).data)

    def _wait(self, deadline: float) -> bool:
        """Sleep one poll interval (woken by close); False once the deadline has passed."""
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if self._closing.wait(min(self._t.poll_interval_s, left)):
            raise DeviceUnavailable("the card reader is closed")
        return True

    def read(self, deadline: float) -> tuple[bytes, bytes]:
        failures = 0
        while True:
            if self._find():
                try:
                    return self._select_and_read()
                except _CardLost:
                    failures += 1
                    logger.info("GA 467: select/read failed after the card was found (%d)", failures)
                    if failures > self._t.max_retries or time.monotonic() >= deadline:
                        raise CardRemoved(f"the card could not be read: {_REPLACE}") from None
                    continue
            elif failures:
                raise CardRemoved(f"the card left the reader during the read: {_REPLACE}")
            if not self._wait(deadline):
                raise DeviceTimeout("no card was placed in time")


class SerialSamReader:
    """A `CardReader` for a GA 467 SAM module on a serial port (115200 8N1 by default).

    The port is opened on the first read and again after it failed; every byte goes through one `hw-serial`
    thread. Errors: DeviceTimeout (no card in time), CardRemoved (the card went away or would not read:
    re-place it), CardReadError (authentication, SAM not authorised, damaged frames), UnsupportedCard,
    CorruptCardRecord (from the record parser), DeviceUnavailable (port missing or gone, SAM silent, closed).
    """

    def __init__(self, port: str, baudrate: int = 115200, timings: SamTimings | None = None) -> None:
        self._port_name = port
        self._baudrate = baudrate
        self._timings = timings or SamTimings()
        self._closing = threading.Event()
        self._close_lock = threading.Lock()
        self._link: _Link | None = None
        self._hw = _HwThread("hw-serial")

    def read_card(self, timeout_s: float) -> IdCard:
        if self._closing.is_set():
            raise DeviceUnavailable("the card reader is closed")
        deadline = time.monotonic() + timeout_s
        future = self._hw.submit(lambda: self._read(deadline))
        t = self._timings
        # A hard bound well past anything the session can take, so a wedged port cannot hang the caller.
        bound = timeout_s + (t.read_timeout_s + 2 * t.answer_timeout_s) * (t.max_retries + 1) ** 2 + 5
        try:
            return future.result(timeout=bound)
        except FutureTimeout:
            raise DeviceUnavailable("the card reader did not finish its read") from None

    def _open(self) -> _Link:
        if self._link is None:
            port = serial.Serial(self._port_name, self._baudrate, timeout=_READ_SLICE_S, write_timeout=1.0)
            self._link = _Link(port, self._closing)
            logger.info("GA 467 reader opened at %d baud", self._baudrate)
        return self._link

    def _drop_port(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            try:
                link.port.close()
            except _PORT_ERRORS:
                logger.debug("closing a failed port raised; it is gone anyway")

    def _read(self, deadline: float) -> IdCard:
        try:
            text, photo = _Session(self._open(), self._timings, self._closing).read(deadline)
        except _PORT_ERRORS as exc:
            self._drop_port()
            raise DeviceUnavailable(f"the serial port {self._port_name} failed: {exc}") from exc
        return parse_id_card_record(text, photo)

    def close(self) -> None:
        with self._close_lock:
            if self._closing.is_set():
                return
            self._closing.set()
        done = self._hw.submit(self._drop_port)
        self._hw.stop(timeout_s=5.0)
        if not done.done():
            logger.warning("the hw-serial thread did not stop in time; the port is left to the process exit")
