"""A private pcscd with the vpcd virtual reader, started and stopped by the tests themselves.

pcscd runs under `systemd-socket-activate` on a socket in our own folder, reading only our own reader.conf (so a
system pcscd, if any, is left alone). pcsc-lite's client library reads `PCSCLITE_CSOCK_NAME` once, when the
process first talks to pcscd, so one pcscd serves a whole test session; a test that stops it starts it again on
the same socket and port.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

VPCD = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
PCSCD = Path("/usr/sbin/pcscd")
ACTIVATE = shutil.which("systemd-socket-activate")
READER_NAME = "Virtual PCD"


def missing() -> str | None:
    """Why the real PC/SC stack cannot run here, or None."""
    for need in (PCSCD, VPCD):
        if not need.exists():
            return f"{need} is not installed (apt: pcscd vsmartcard-vpcd)"
    if ACTIVATE is None:
        return "systemd-socket-activate is not installed (apt: systemd)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Pcscd:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.conf = workdir / "reader.conf.d"
        self.socket = workdir / "pcscd.comm"
        self.log = workdir / "pcscd.log"
        self.port = _free_port()
        self._proc: subprocess.Popen[bytes] | None = None
        self.conf.mkdir(parents=True, exist_ok=True)
        (self.conf / "vpcd").write_text(
            f'FRIENDLYNAME "{READER_NAME}"\nDEVICENAME /dev/null:{self.port}\nLIBPATH {VPCD}\nCHANNELID {self.port}\n'
        )

    def start(self) -> Pcscd:
        assert ACTIVATE is not None
        if self.socket.exists():
            self.socket.unlink()
        with self.log.open("ab") as log:
            self._proc = subprocess.Popen(  # our own pcscd, ended by its pid in stop()
                [ACTIVATE, "-l", str(self.socket), str(PCSCD), "-f", "-c", str(self.conf)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if time.monotonic() > deadline or self._proc.poll() is not None:
                raise RuntimeError(f"pcscd did not start:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.02)
        _wait_for_reader(self.socket)
        return self

    @property
    def env(self) -> dict[str, str]:
        return {"PCSCLITE_CSOCK_NAME": str(self.socket)}

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None


def wait_for_card_state(present: bool, timeout_s: float = 10.0) -> None:
    """Wait until pcscd sees the virtual reader with (or without) a card, through our own PC/SC context."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            hresult, readers = scard.SCardListReaders(context, [])
            if hresult == scard.SCARD_S_SUCCESS and readers:
                hresult, states = scard.SCardGetStatusChange(context, 0, [(readers[0], scard.SCARD_STATE_UNAWARE)])
                if hresult == scard.SCARD_S_SUCCESS and bool(states[0][1] & scard.SCARD_STATE_PRESENT) == present:
                    return
            time.sleep(0.05)
        raise AssertionError(f"pcscd did not see the card {'arrive' if present else 'leave'}")
    finally:
        scard.SCardReleaseContext(context)


def _wait_for_reader(sock: Path, timeout_s: float = 10.0) -> None:
    """Talk to the socket so pcscd actually starts (it is socket-activated), and wait until it lists the vpcd
    reader: only then does vpcd listen for our card."""
    from smartcard import scard

    os.environ["PCSCLITE_CSOCK_NAME"] = str(sock)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult == scard.SCARD_S_SUCCESS:
            try:
                hresult, readers = scard.SCardListReaders(context, [])
                if hresult == scard.SCARD_S_SUCCESS and any(str(r).startswith(READER_NAME) for r in readers):
                    return
            finally:
                scard.SCardReleaseContext(context)
        time.sleep(0.05)
    raise RuntimeError("pcscd did not list the vpcd reader in time")
