"""A real mosquitto for tests: free loopback ports, a temp folder, restart/pause for fault tests, its log on failure."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from kiosk.identity.device import KEY_FILE, provision
from sync.county.broker_config import BrokerConfig, TlsListener, render_acl, render_mosquitto_conf
from sync.county.pki import (
    BRIDGE_NAME,
    PkiFiles,
    init_pki,
    issue_device_certificate,
    load_ca,
    write_certificate,
)
from sync.pki_client import install_device_certificate, make_device_csr

HOST = "127.0.0.1"
COUNTY = "410225"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0
PORT_RETRIES = 5


class MosquittoError(RuntimeError):
    """The test broker could not be started or stopped; the message carries its log."""


@dataclass(frozen=True, slots=True)
class ClientTls:
    """What a paho client needs for mutual TLS: `client.tls_set(ca_certs=ca, certfile=cert, keyfile=key)`."""

    ca: Path
    cert: Path
    key: Path


def mosquitto_binary() -> str:
    found = shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise MosquittoError("the mosquitto binary is missing: `apt-get install mosquitto mosquitto-clients`")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


class Mosquitto:
    """One broker process. Plain-only by default; with `pki` also the county TLS listener and ACL.

    `restart()` keeps ports and persistence (retained and queued messages survive); `pause()`/`resume()`
    freeze the process (connections hang, as behind a dead link); `stop()`/`start()` close the ports.
    """

    def __init__(self, workdir: Path, *, pki: PkiFiles | None = None, county: str = COUNTY, plain: bool = True):
        self.workdir = workdir
        self.pki = pki
        self.county = county
        self.plain = plain
        self.host = HOST
        self.port: int | None = None
        self.tls_port: int | None = None
        self.conf = workdir / "mosquitto.conf"
        self.log_path = workdir / "mosquitto.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._binary = mosquitto_binary()
        workdir.mkdir(parents=True, exist_ok=True)

    # --- configuration -------------------------------------------------------------------------

    def _config(self) -> BrokerConfig:
        tls = None
        if self.pki is not None:
            acl = self.workdir / "acl"
            acl.write_text(render_acl(self.county, (BRIDGE_NAME,)), encoding="utf-8")
            assert self.tls_port is not None
            tls = TlsListener(self.tls_port, self.pki.ca_cert, self.pki.broker_cert, self.pki.broker_key, acl, HOST)
        return BrokerConfig(self.workdir / "state", tls, self.port)

    def _pick_ports(self) -> None:
        self.port = free_port() if self.plain else None
        self.tls_port = free_port() if self.pki is not None else None
        cfg = self._config()
        cfg.persistence_dir.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(render_mosquitto_conf(cfg), encoding="utf-8")

    def _ports(self) -> list[int]:
        return [p for p in (self.port, self.tls_port) if p is not None]

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> Mosquitto:
        """Start on new free ports the first time, on the same ports afterwards; wait until they accept."""
        if self._proc is not None:
            raise MosquittoError("mosquitto is already running")
        if not self.conf.exists():
            for _ in range(PORT_RETRIES):
                self._pick_ports()
                if self._launch():
                    return self
            raise MosquittoError(f"could not start mosquitto on free ports:\n{self.log()}")
        if not self._launch():
            raise MosquittoError(f"mosquitto did not come back on its ports {self._ports()}:\n{self.log()}")
        return self

    def _launch(self) -> bool:
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [self._binary, "-c", str(self.conf)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                return False  # most often a port taken between our probe and its bind: try other ports
            if all(_accepts(p) for p in self._ports()):
                return True
            time.sleep(0.02)
        self._kill()
        raise MosquittoError(f"mosquitto did not accept connections within {START_TIMEOUT_S}s:\n{self.log()}")

    def stop(self) -> None:
        """SIGTERM (mosquitto saves its persistence file), wait, SIGKILL if it will not go."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)  # a paused broker cannot handle SIGTERM
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._kill()
        self._proc = None

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(STOP_TIMEOUT_S)
            self._proc = None

    def kill(self) -> None:
        """SIGKILL: a broker crash (persistence only as of its last autosave)."""
        self._kill()

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """Freeze the broker: TCP stays open but nothing is answered, like a link that went dead."""
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise MosquittoError("mosquitto is not running")
        return self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"

    def __enter__(self) -> Mosquitto:
        return self.start()

    def __exit__(self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None) -> None:
        self.stop()

    # --- identities for TLS clients ------------------------------------------------------------

    def _files(self) -> PkiFiles:
        if self.pki is None:
            raise MosquittoError("this broker has no PKI (plain mode)")
        return self.pki

    def service_tls(self, name: str = BRIDGE_NAME) -> ClientTls:
        files = self._files()
        return ClientTls(files.ca_cert, files.service_cert(name), files.service_key(name))

    def enrol_kiosk(self, data_dir: Path, kiosk_id: str) -> ClientTls:
        """Provision a kiosk (device key in data_dir/secrets), request and install its certificate."""
        files = self._files()
        secrets_dir = data_dir / "secrets"
        provision(secrets_dir, self.county, kiosk_id, "ecdsa-p256")
        csr = make_device_csr(secrets_dir, self.county, kiosk_id)
        cert = issue_device_certificate(load_ca(files), csr, self.county, kiosk_id)
        write_certificate(files.kiosk_cert(kiosk_id), cert)
        installed = install_device_certificate(secrets_dir, files.kiosk_cert(kiosk_id).read_bytes())
        return ClientTls(files.ca_cert, installed, secrets_dir / KEY_FILE)


def make_test_pki(root: Path, county: str = COUNTY) -> PkiFiles:
    files = PkiFiles(root)
    init_pki(files, county)
    return files
