"""`lxt-demo --stack`: the whole system on one machine — a broker, the county bridge and ledger, the sync
daemon, and the touchscreen app on fake devices — as `make demo` runs it.

Every piece is a real process started here and ended by its pid when the demo ends (the app's window closed,
or Ctrl-C). The county side is driven through its own command line (`lxt-county`), never imported: the app
does not import the sync code. With no display, the command-line enrolment runs instead, on the same kiosk,
and the demo waits for the county's receipt.
"""

from __future__ import annotations

import json
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
from kiosk.identity.device import load_identity
from ui.demo_offices import CADRE, CountyOffices, Watcher

BIN = Path(sys.executable).parent
RECEIPT_WAIT_S = 60.0
REAL_NAME = "urn:lxt:vct:real_name:1"


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
        ident = settings.identity
        self.offices = CountyOffices(self.county, ident.county_id, ident.kiosk_id, self.port)
        self.watcher: Watcher | None = None

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
        self.offices.parties()

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
                *("--credentials", str(self.offices.credentials)),
            ],
        )
        self._start("lxt-sync", [str(BIN / "lxt-sync")], self.kiosk_env())

    def county_offices(self) -> None:
        """The trust and status lists, the loan and services catalogs broadcast; the bank and the offices
        started; the panel's QR examples written, and the watcher that issues exams and names the cadre."""
        trusted = self.offices.publish_lists()
        self._start("lxt-county-bank", self.offices.bank(trusted))
        self._start("lxt-county-office", self.offices.service_office(trusted))
        self._start("lxt-county-pension-office", self.offices.pension_office())
        secret = load_identity(self.settings.paths.secrets_dir).secret
        self.watcher = Watcher(self.offices, self.settings.paths.database, secret, _say)
        self.watcher.start(self.offices.examples())

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

    def wait_for_credential(self, tx_id: str) -> tuple[str, str] | None:
        """The real-name credential the county issued for this enrolment, once it is in the wallet: (the DID,
        the issuer's name as the trust list gave it)."""
        db = self.settings.paths.database
        deadline = time.monotonic() + RECEIPT_WAIT_S
        while time.monotonic() < deadline:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                (raw,) = conn.execute("SELECT envelope FROM outbox WHERE id = ?", (tx_id,)).fetchone()
                did = str(json.loads(raw)["body"]["did"])
                sql = "SELECT issuer_name FROM credential WHERE holder = ? AND vct = ?"
                row = conn.execute(sql, (did, REAL_NAME)).fetchone()
            finally:
                conn.close()
            if row is not None:
                return did, str(row[0])
            if any(p.poll() is not None for _, p in self.procs):
                return None
            time.sleep(0.2)
        return None

    def wait_for_exams(self, did: str) -> bool:
        """The watcher issued this villager's exams for the demo panel."""
        deadline = time.monotonic() + RECEIPT_WAIT_S
        while time.monotonic() < deadline and self.watcher is not None and not self.watcher.failed:
            if did in self.watcher.done:
                return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        else:
            self.offices.cmd.stop()
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(5)
            _say(f"  stopped {name} (log: {self.logs / (name + '.log')})")


GUIDE = f"""
试一试（演示面板在触摸屏旁边）：
  1. 办理数字身份：点"放上张秀兰的卡"，在屏幕上同意、拍照、设密码（演示密码 382917），等"待上链"变成"已上链"。
  2. 看证明：上链后县里签发的实名身份证明自动到"我的证明"。
  3. 出示证明：面板上点"给…的体检报告"把望京医院的体检报告举到摄像头前导入，
     再点"交通局的出示请求"，在"出示证明"里只给交通局看体检结论、日期和医院（惠兰医院不是三甲，不算数）。
  4. 申请贷款：惠农贷等三种产品，兰考农商银行几秒后回复。
  5. 办事：县里已发布政务服务目录（残疾人两项补贴、完税证明、养老资格认证），服务窗口和社保处在应答。
  6. 村干部模式：让{CADRE.name}办好数字身份，县里随即发布村干部名单；连点五下村名，放上他的卡，输入密码。
  7. 技术员：点"技术员通行证"，再连点五下联网状态，进入维护页面。
"""


def office_enrolment_key(settings: Settings) -> Path:
    """The county enrolment key from the demo's credential office (so the bridge opens the evidence and issues
    the real-name credential); its public half goes where the kiosk looks for it. Returns the private file."""
    target = settings.paths.enrolment_key_file
    target.parent.mkdir(parents=True, exist_ok=True)
    offices = CountyOffices(settings.paths.data_dir.parent / "county", settings.identity.county_id, "", 0)
    return offices.enrolment_key(target)


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
        stack.county_offices()
        _say(f"演示环境已启动：消息代理 127.0.0.1:{stack.port}，县级桥接与账本，同步服务（日志在 {stack.logs}）")
        _say("演示县已发布：信任名单和状态列表，兰考农商银行的贷款产品，政务服务目录；银行、服务窗口、社保处在应答。")
        if has_display():
            _say(GUIDE)
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
        _say("\n等待县里签发的实名身份证明……")
        got = stack.wait_for_credential(tx_id)
        if got is None:
            _say("没有等到实名身份证明；请看日志。")
            return 1
        did, issuer = got
        _say(f"实名身份证明已到钱包：{issuer}签发，绑定 {did} 的密钥。")
        if not stack.wait_for_exams(did):
            _say("演示面板的体检报告没有备好；请看日志。")
            return 1
        return 0
    except KioskError as exc:
        print(f"lxt-demo: {exc}", file=sys.stderr)
        return 2
    finally:
        stack.stop()
