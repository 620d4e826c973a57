"""`lxt-demo --stack`: the whole system on one machine — a broker, the county bridge and ledger, the sync
daemon, and the touchscreen app on fake devices — as `make demo` runs it.

Every piece is a real process started here and ended by its pid when the demo ends (the app's window closed,
or Ctrl-C). The county side is driven through its own command line (`lxt-county`), never imported: the app
does not import the sync code. With no display, the command-line enrolment runs instead, on the same kiosk,
and the demo waits for the county's receipt.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk.config import Settings
from kiosk.errors import ConfigError, KioskError

BIN = Path(sys.executable).parent
RECEIPT_WAIT_S = 60.0


def _say(text: str) -> None:
    print(text, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(*argv: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603 - ours
    if done.returncode != 0:
        raise ConfigError(f"{' '.join(argv[:3])} failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return done.stdout


class Stack:
    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        self.county = root / "county"
        self.logs = root / "logs"
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.port = _free_port()

    def _start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        self.logs.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(  # noqa: S603 - our own programs and Debian's mosquitto
                argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}
            )
        self.procs.append((name, proc))
        return proc

    def county_side(self) -> None:
        """The county ledger key (pinned by the kiosk) and the kiosk's registration."""
        self.county.mkdir(parents=True, exist_ok=True)
        key = self.county / "ledger.pem"
        if not key.exists():
            _run(str(BIN / "lxt-county"), "ledger", "keygen", "--out", str(key))
        pinned = self.settings.paths.county_dir / "ledger.pub"
        pinned.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.county / "ledger.pub.pem", pinned)
        device_json = self.settings.paths.secrets_dir / "device.json"
        _say(_run(str(BIN / "lxt-county"), "console", "register", str(device_json), "--registry", str(self.registry)))

    @property
    def registry(self) -> Path:
        return self.county / "registry.sqlite3"

    def broker(self) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise ConfigError("mosquitto is not installed (make setup installs it)")
        conf = self.root / "broker" / "mosquitto.conf"
        conf.parent.mkdir(parents=True, exist_ok=True)
        # Loopback only, no persistence: a demo broker that leaves nothing behind.
        conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n"
        )
        self._start("mosquitto", [binary, "-c", str(conf)])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise ConfigError("the demo broker did not start; see var/demo/logs/mosquitto.log")

    def services(self) -> None:
        c = self.settings.identity.county_id
        self._start(
            "lxt-county-bridge",
            [
                *(str(BIN / "lxt-county"), "bridge", "--county", c, "--ledger", str(self.county / "ledger.sqlite3")),
                *("--registry", str(self.registry), "--county-key", str(self.county / "ledger.pem")),
                *("--host", "127.0.0.1", "--port", str(self.port)),
            ],
        )
        self._start("lxt-sync", [str(BIN / "lxt-sync")], self.kiosk_env())

    def kiosk_env(self) -> dict[str, str]:
        return {
            "LXT_PATHS__DATA_DIR": str(self.settings.paths.data_dir),
            "LXT_SYNC__TLS": "false",
            "LXT_SYNC__BROKER_HOST": "127.0.0.1",
            "LXT_SYNC__BROKER_PORT": str(self.port),
            "LXT_SYNC__ACK_TIMEOUT_S": "5",
        }

    def app(self) -> int:
        # --demo: the reader starts empty and the demo panel beside the window lays the sample cards on it.
        proc = self._start("lxt-kiosk", [str(BIN / "lxt-kiosk"), "--windowed", "--demo"], self.kiosk_env())
        return proc.wait()

    def wait_for_receipt(self, tx_id: str) -> bool:
        db = self.settings.paths.database
        deadline = time.monotonic() + RECEIPT_WAIT_S
        while time.monotonic() < deadline:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT state FROM outbox WHERE id = ?", (tx_id,)).fetchone()
            finally:
                conn.close()
            if row is not None and row[0] == "committed":
                return True
            if any(p.poll() is not None for _, p in self.procs):
                return False
            time.sleep(0.2)
        return False

    def verify_ledger(self) -> str:
        return _run(
            str(BIN / "lxt-county"),
            "ledger",
            "verify",
            "--ledger",
            str(self.county / "ledger.sqlite3"),
            "--county-key",
            str(self.county / "ledger.pub.pem"),
        ).strip()

    def stop(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(5)
            _say(f"  stopped {name} (log: {self.logs / (name + '.log')})")


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_stack(settings: Settings, enrol_headless: object) -> int:
    """Start everything, run the app (or, with no display, `enrol_headless()` → tx id), stop everything."""
    root = settings.paths.data_dir.parent
    stack = Stack(root, settings)
    # SIGTERM ends the demo like Ctrl-C does: through the `finally` below, which ends every process it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        stack.county_side()
        stack.broker()
        stack.services()
        _say(f"演示环境已启动：消息代理 127.0.0.1:{stack.port}，县级桥接与账本，同步服务（日志在 {stack.logs}）")
        if has_display():
            _say("触摸屏程序已打开：关闭窗口即结束演示。")
            return stack.app()
        _say("没有显示器：在同一台演示终端上用命令行办理（有显示器时会打开触摸屏程序）。")
        assert callable(enrol_headless)  # noqa: S101 - the caller's contract
        tx_id = str(enrol_headless())
        _say("\n等待县里的回执……")
        if not stack.wait_for_receipt(tx_id):
            _say("没有等到回执；请看日志。")
            return 1
        _say("已上链：县里的回执已用钉住的县级公钥核验。")
        _say(stack.verify_ledger())
        return 0
    except KioskError as exc:
        print(f"lxt-demo: {exc}", file=sys.stderr)
        return 2
    finally:
        stack.stop()
