"""PcscReader: ID cards and social security cards through any PC/SC reader (pcscd + pyscard's `scard` layer).

Everything runs on one `hw-pcsc` thread: the monitor (SCardGetStatusChange in short slices, so insert and
remove are seen within a slice and close() is noticed promptly) and the reads (SCardConnect/Transmit). The
context is made again after pcscd restarts. The APDUs are in drivers/idcard/apdu.py and docs/idcard.md.

Errors: DeviceTimeout (no card in time), CardRemoved (the card went away during the read: re-place it),
UnsupportedCard (a card we do not read — or a 社保卡 asked for as an ID card), CardReadError (the reader or
card refused), CorruptCardRecord (from the record parsers), DeviceUnavailable (no pcscd, no reader, closed).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from smartcard import scard

from drivers.idcard import apdu as ap
from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import parse_id_card_record
from kiosk.domain.sscard import SocialSecurityCard
from kiosk.ports import CardRemoved, DeviceTimeout, DeviceUnavailable, UnsupportedCard

logger = logging.getLogger(__name__)

SLICE_MS = 200
_GONE = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD}
_NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_INVALID_HANDLE}
_NO_READER = {scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER}

CardData = IdCard | SocialSecurityCard


def _text(hresult: int) -> str:
    return str(scard.SCardGetErrorMessage(hresult))


class _Card:
    """One connected card: transmit APDUs, translating transport failures."""

    def __init__(self, handle: Any, protocol: int) -> None:
        self._handle = handle
        self._protocol = protocol
        self.exchanges = 0

    def send(self, command: bytes, what: str) -> bytes:
        self.exchanges += 1
        hresult, response = scard.SCardTransmit(self._handle, self._protocol, list(command))
        if hresult in _GONE or hresult in _NO_READER:
            raise CardRemoved(f"{what}: the card left the reader; place it again")
        if hresult in _NO_SERVICE:
            raise DeviceUnavailable(f"{what}: the smart card service went away")
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardRemoved(f"{what}: {_text(hresult)}; remove the card and place it again")
        data, sw = ap.split(bytes(response))
        if sw >> 8 == 0x61:  # more data waiting: GET RESPONSE
            more = self.send(bytes([0x00, 0xC0, 0x00, 0x00, sw & 0xFF]), what)
            return data + more
        ap.check(sw, what)
        return data

    def try_select(self, aid: bytes) -> bool:
        try:
            self.send(ap.select_aid(aid), "select application")
        except UnsupportedCard:
            return False
        return True

    def read_file(self, fid: int, length: int) -> bytes:
        self.send(ap.select_file(fid), f"select file {fid:04X}")
        out = b""
        while len(out) < length:
            chunk = self.send(ap.read_binary(len(out), min(ap.SLICE, length - len(out))), f"read {fid:04X}")
            if not chunk:
                break
            out += chunk
        return out

    def read_ssc(self) -> SocialSecurityCard:
        values: dict[tuple[int, int], bytes] = {}
        for file, record in sorted(k for k in ap.SSC_RECORDS if k[0] == 5):
            raw = self.send(ap.read_record(record, ap.EF05_SFI), f"read EF05 record {record:02X}")
            values[(file, record)] = ap.parse_record(raw, record)
        self.send(ap.select_file(ap.EF06), "select EF06")
        for file, record in sorted(k for k in ap.SSC_RECORDS if k[0] == 6):
            raw = self.send(ap.read_record(record), f"read EF06 record {record:02X}")
            values[(file, record)] = ap.parse_record(raw, record)
        return ap.parse_social_security(ap.SscRecords(values))


class PcscReader:
    """A `CardReader` over PC/SC. `reader` picks a reader by name prefix; by default the first one found.

    The `hw-pcsc` thread watches the reader all the time (`on_change(present)` is called from it on every insert
    and remove), and runs the reads between two looks.
    """

    def __init__(self, reader: str | None = None, on_change: Callable[[bool], None] | None = None) -> None:
        self._want = reader
        self._on_change = on_change
        self._closing = threading.Event()
        self._jobs: queue.Queue[tuple[Callable[[], CardData], Future[CardData]]] = queue.Queue()
        self._context: Any = None
        self._present = False
        self._state = scard.SCARD_STATE_UNAWARE
        self._available: bool | None = None
        self._thread = threading.Thread(target=self._run, name="hw-pcsc", daemon=True)
        self._thread.start()

    # --- the CardReader Protocol -------------------------------------------------------------------

    def read_card(self, timeout_s: float) -> IdCard:
        card = self.read_any(timeout_s)
        if not isinstance(card, IdCard):
            raise UnsupportedCard("this is a social security card; place the resident ID card")
        return card

    def read_any(self, timeout_s: float) -> CardData:
        """Wait up to `timeout_s` for a card and read whichever of our two kinds it is."""
        if self._closing.is_set():
            raise DeviceUnavailable("the card reader is closed")
        deadline = time.monotonic() + timeout_s
        future: Future[CardData] = Future()
        self._jobs.put((lambda: self._read(deadline), future))
        try:
            return future.result(timeout=timeout_s + 30)
        except FutureTimeout:
            raise DeviceUnavailable("the card reader did not finish its read") from None

    def close(self) -> None:
        if self._closing.is_set():
            return
        self._closing.set()
        self._thread.join(timeout=5)
        while not self._jobs.empty():  # anything submitted as we closed
            _job, future = self._jobs.get_nowait()
            future.set_exception(DeviceUnavailable("the card reader is closed"))

    # --- the hw-pcsc thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._closing.is_set():
            try:
                job, future = self._jobs.get_nowait()
            except queue.Empty:
                self._watch(SLICE_MS)
                continue
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:  # handed to the caller, who raises it
                    future.set_exception(exc)
        self._release()

    def _watch(self, wait_ms: int) -> None:
        """One look at the reader: notices inserts and removals, and the service or reader going away."""
        try:
            self._look(wait_ms)
        except DeviceUnavailable as exc:
            if self._available is not False:
                logger.warning("PC/SC: %s", exc)
            self._available = False
            self._changed(False)
            self._closing.wait(wait_ms / 1000)
            return
        if self._available is False:
            logger.info("PC/SC: the reader is back")
        self._available = True

    def _look(self, wait_ms: int) -> bool:
        context = self._ensure_context()
        name = self._reader_name(context)
        hresult, states = scard.SCardGetStatusChange(context, wait_ms, [(name, self._state)])
        if hresult in _NO_SERVICE:
            self._release()
            raise DeviceUnavailable("the smart card service went away")
        if hresult in _NO_READER:
            self._state = scard.SCARD_STATE_UNAWARE
            raise DeviceUnavailable("the card reader went away")
        if hresult == scard.SCARD_S_SUCCESS and states:
            self._state = states[0][1] & ~scard.SCARD_STATE_CHANGED
            present = bool(self._state & scard.SCARD_STATE_PRESENT) and not self._state & scard.SCARD_STATE_MUTE
            self._changed(present)
        elif hresult != scard.SCARD_E_TIMEOUT:
            raise DeviceUnavailable(f"watching the card reader failed: {_text(hresult)}")
        return self._present

    def _release(self) -> None:
        if self._context is not None:
            scard.SCardReleaseContext(self._context)
            self._context = None

    def _ensure_context(self) -> Any:
        if self._context is None:
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult != scard.SCARD_S_SUCCESS:
                raise DeviceUnavailable(f"the smart card service is not running: {_text(hresult)}")
            self._context = context
        return self._context

    def _reader_name(self, context: Any) -> str:
        hresult, readers = scard.SCardListReaders(context, [])
        if hresult in _NO_SERVICE:
            self._release()
            raise DeviceUnavailable("the smart card service went away")
        names = [str(r) for r in readers] if hresult == scard.SCARD_S_SUCCESS else []
        chosen = [n for n in names if self._want is None or n.startswith(self._want)]
        if not chosen:
            raise DeviceUnavailable("no PC/SC card reader is connected")
        return chosen[0]

    def _changed(self, present: bool) -> None:
        if present != self._present:
            self._present = present
            logger.info("PC/SC: card %s", "inserted" if present else "removed")
            if self._on_change is not None:
                self._on_change(present)

    def _wait_for_card(self, deadline: float) -> tuple[Any, str]:
        """Look at the reader in short slices until a card is present (or the deadline, or close)."""
        while True:
            if self._closing.is_set():
                raise DeviceUnavailable("the card reader is closed")
            wait_ms = max(0, min(SLICE_MS, int((deadline - time.monotonic()) * 1000)))
            if self._look(wait_ms):
                return self._ensure_context(), self._reader_name(self._ensure_context())
            if time.monotonic() >= deadline:
                raise DeviceTimeout("no card was placed in time")

    def _read(self, deadline: float) -> CardData:
        for attempt in (1, 2):
            context, name = self._wait_for_card(deadline)
            hresult, handle, protocol = scard.SCardConnect(
                context, name, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
            )
            if hresult != scard.SCARD_S_SUCCESS:
                if hresult in _GONE:
                    raise CardRemoved("the card left the reader before it could be read; place it again")
                raise DeviceUnavailable(f"connecting to the card failed: {_text(hresult)}")
            card = _Card(handle, protocol)
            try:
                return self._identify(card)
            except CardRemoved:
                # The very first exchange failing most often means the card was swapped faster than the reader
                # looked (it still reports the old one): look again once. Later failures are a pulled card.
                if attempt == 2 or card.exchanges > 1 or time.monotonic() >= deadline:
                    raise
                logger.info("PC/SC: the first exchange failed; looking at the reader again")
                time.sleep(SLICE_MS / 1000)
            finally:
                scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _identify(self, card: _Card) -> CardData:
        if card.try_select(ap.ID_AID):
            text = card.read_file(ap.EF_TEXT, ap.TEXT_LEN)
            photo = card.read_file(ap.EF_PHOTO, ap.PHOTO_LEN)
            return parse_id_card_record(text, photo)
        if card.try_select(ap.SSSE_AID):
            return card.read_ssc()
        raise UnsupportedCard("this card is neither a resident ID card nor a social security card")
