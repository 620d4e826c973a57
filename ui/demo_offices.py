"""The demo county's offices, set up and run with the county's own commands (`lxt-county …` as processes; the app
never imports the sync code): the credential office with its issuers and verifiers, the trust and status lists,
the loan catalog and the simulated bank, the services catalog and the simulated offices, the cadre roster, and
the demo panel's ready-made QR codes (`ui/demo_examples.py`).

The keys are the demo's own, made here under `var/demo/county/`: the bank's and each service office's X25519
key (the sample services catalog's keys are placeholders whose private halves were discarded, so the demo
publishes a copy with its own), the issuers' and verifiers' keys in the credential office.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from drivers.fake.people import DEMO_VILLAGERS
from kiosk.crypto.encoding import b64u
from kiosk.crypto.sealing import person_ref
from kiosk.errors import ConfigError
from ui.demo_examples import DemoExamples, examples_file, write_examples

LXT_COUNTY = str(Path(sys.executable).parent / "lxt-county")
SERVICES_SAMPLE = Path(__file__).resolve().parents[1] / "sync" / "county" / "services_catalog.json"
BANK_ID = "lankao-rcb"
CADRE = DEMO_VILLAGERS[1]  # 李建国 of 张庄村: cadre mode opens with his card and PIN once he has enrolled
CADRE_VILLAGE = "张庄村"
HOSPITALS = {"wangjing": "望京医院", "huilan": "惠兰医院"}  # the panel offers an exam from each

# name in the office, id (iss), the name villagers see, grade, the types it may issue
ISSUERS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    ("county", "did:web:lankao.gov.cn", "兰考县公安局", None, ("real_name",)),
    ("wangjing", "did:web:wangjing-hospital.example", "望京医院", "三甲", ("health_exam",)),
    ("huilan", "did:web:huilan-hospital.example", "惠兰医院", "二甲", ("health_exam",)),
    ("rcb", "did:web:lankao-rcb.example", "兰考农商银行", None, ("loan_repayment",)),
    ("coop", "did:web:zhangzhuang-coop.example", "张庄村农民专业合作社", None, ("coop_membership",)),
)
# name in the office, verifier id (the aud of what it is shown), the name villagers see, what it may ask for
VERIFIERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("jtj", "jtj.lankao", "交通局", ("health_exam:conclusion,date,hospital",)),
    ("rcb-desk", BANK_ID, "兰考农商银行", ("real_name:name,age_over_18,region", "coop_membership:cooperative")),
)

REAL_NAME = "urn:lxt:vct:real_name:1"


def _product(pid: str, name: str, purpose: str, low_yuan: int, high_yuan: int, **more: Any) -> dict[str, Any]:
    claims = ["name", "age_over_18", "region"]
    product: dict[str, Any] = {
        "id": pid,
        "bank": BANK_ID,
        "name": name,
        "purpose": purpose,
        "amount_min_fen": low_yuan * 100,
        "amount_max_fen": high_yuan * 100,
        "term_months": [6, 12, 24],
        "rate_bp": 435,
        "credentials": [{"vct": REAL_NAME, "claims": claims}],
        "materials": [],
        "eligibility": [{"rule": "adult"}, {"rule": "region", "prefix": "河南省兰考县"}],
        "withdrawn": False,
    }
    product.update(more)
    return product


def loan_catalog(bank_public: str) -> dict[str, Any]:
    """Three products of the demo bank; the co-operative one asks for the co-operative's membership too."""
    coop = {"vct": "urn:lxt:vct:coop_membership:1", "claims": ["cooperative"]}
    return {
        "banks": [{"id": BANK_ID, "name": "兰考农商银行", "key": bank_public}],
        "products": [
            _product("huinong-01", "惠农贷", "种植、养殖、农资", 10_000, 200_000),
            _product("chuangye-01", "创业担保贷", "返乡创业、小店经营", 10_000, 150_000, term_months=[12, 24, 36]),
            _product(
                "hezuo-01",
                "合作社成员贷",
                "社员购买农机、大棚",
                5_000,
                100_000,
                rate_bp=390,
                credentials=[
                    {"vct": REAL_NAME, "claims": ["name", "age_over_18", "region"]},
                    coop,
                ],
                eligibility=[{"rule": "adult"}, {"rule": "coop_member"}],
            ),
        ],
    }


def _new_key(path: Path) -> str:
    """A raw X25519 private key file (0600, as `lxt-county bank`/`office` read it); returns the public half."""
    key = X25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
    return b64u(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


class Commands:
    """Runs the county's short commands one at a time, remembering the running one so stop() ends it by pid."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: subprocess.Popen[str] | None = None
        self.stopped = threading.Event()

    def run(self, *argv: str) -> list[str]:
        with self._lock:
            if self.stopped.is_set():
                raise ConfigError("the demo is ending")
            proc = subprocess.Popen(  # noqa: S603 - our own program
                [LXT_COUNTY, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self._current = proc
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        finally:
            with self._lock:
                self._current = None
        if proc.returncode != 0:
            raise ConfigError(f"lxt-county {' '.join(argv[:2])} failed: {(err or out).strip()[-300:]}")
        return out.splitlines()

    def stop(self) -> None:
        with self._lock:
            self.stopped.set()
            if self._current is not None and self._current.poll() is None:
                self._current.terminate()  # Popen.terminate: SIGTERM to this child's pid


class CountyOffices:
    """The demo county's offices under `county_dir`; `start(name, argv)` runs a long-lived one as a process."""

    def __init__(self, county_dir: Path, county_id: str, kiosk_id: str, port: int) -> None:
        self.dir = county_dir
        self.county_id, self.kiosk_id, self.port = county_id, kiosk_id, port
        self.credentials = county_dir / "credentials"
        self.cmd = Commands()

    @property
    def ledger(self) -> Path:
        return self.dir / "ledger.sqlite3"

    @property
    def county_key(self) -> Path:
        return self.dir / "ledger.pem"

    def _office(self) -> list[str]:
        return ["--county", self.county_id, "--credentials", str(self.credentials)]

    def _broker(self) -> list[str]:
        return ["--county", self.county_id, "--host", "127.0.0.1", "--port", str(self.port)]

    def _console(self) -> list[str]:
        return [*self._broker(), "--county-key", str(self.county_key), "--state", str(self.dir / "console.sqlite3")]

    # --- before the broker: the credential office and its enrolment key ----------------------------------

    def enrolment_key(self, public_out: Path) -> Path:
        """The county enrolment key, made by the credential office; its private file opens the kiosks' evidence."""
        private = self.credentials / "enrolment.pem"
        if not private.exists():
            self.cmd.run("issuer", "enrolment-key", "--out", str(public_out), *self._office())
        return private

    def parties(self) -> None:
        """The issuers and verifiers, each once (a key in the office is never replaced)."""
        made = self.credentials / "keys"
        for name, pid, display, grade, vcts in ISSUERS:
            if (made / f"{name}.pem").exists():
                continue
            argv = ["issuer", "add", name, "--id", pid, "--display", display, *self._office()]
            argv += [a for v in vcts for a in ("--vct", v)] + (["--grade", grade] if grade else [])
            self.cmd.run(*argv)
        for name, pid, display, rights in VERIFIERS:
            if (made / f"{name}.pem").exists():
                continue
            argv = ["verifier", "add", name, "--id", pid, "--display", display, *self._office()]
            self.cmd.run(*argv, *(a for r in rights for a in ("--may-request", r)))

    # --- with the broker up: broadcasts and the offices' processes ---------------------------------------

    def publish_lists(self) -> Path:
        """The trust list and the status lists, broadcast; returns the issuers file the bank and offices trust."""
        trust = self.dir / "trust.json"
        self.cmd.run("trust", "--publish", "--out", str(trust), *self._office(), *self._console()[2:])
        self.publish_status()
        issuers = json.loads(trust.read_text(encoding="utf-8"))["issuers"]
        out = self.dir / "trusted-issuers.json"
        out.write_text(json.dumps([{"issuer": i["id"], "kid": i["kid"], "jwk": i["jwk"]} for i in issuers]))
        return out

    def publish_status(self) -> None:
        self.cmd.run(
            "status", "--publish", "--out", str(self.dir / "status.json"), *self._office(), *self._console()[2:]
        )

    def publish(self, kind: str, payload: dict[str, Any], name: str) -> tuple[Path, str]:
        """Broadcast `payload` as `kind`; the file it was published from, and the version the console gave it."""
        path = self.dir / name
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        printed = self.cmd.run("console", "publish", kind, str(path), *self._console())
        return path, str(json.loads(printed[-1])["version"])

    def bank(self, trusted: Path) -> list[str]:
        """The loan catalog with the demo bank's key, published; the argv of `lxt-county bank`."""
        key = self.dir / "bank" / "bank.key"
        catalog, version = self.publish("catalog", loan_catalog(_new_key(key)), "loan-catalog.json")
        argv = [LXT_COUNTY, "bank", "--bank", BANK_ID, "--bank-key", str(key), "--catalog", str(catalog)]
        argv += ["--catalog-version", version]
        argv += ["--trust", str(trusted), "--ledger", str(self.ledger), "--bank-state", str(self.dir / "bank.sqlite3")]
        return [*argv, "--interval", "2", *self._console()[:-2], "--client-id", "lxt-demo-bank"]

    def service_office(self, trusted: Path) -> list[str]:
        """A copy of the sample services catalog with keys made here, published; the argv of `lxt-county office`."""
        try:
            catalog = json.loads(SERVICES_SAMPLE.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"the sample services catalog {SERVICES_SAMPLE} is not readable: {exc}") from exc
        keys = []
        for office in catalog["offices"]:
            key = self.dir / "offices" / f"{office['id']}.key"
            office["key"] = _new_key(key)
            keys += ["--office-key", f"{office['id']}={key}"]
        path, version = self.publish("services", catalog, "services-catalog.json")
        argv = [LXT_COUNTY, "office", "--ledger", str(self.ledger), "--office-state", str(self.dir / "office.sqlite3")]
        argv += ["--catalog", str(path), "--catalog-version", version, *keys, "--trust", str(trusted)]
        argv += ["--interval", "2"]
        return [*argv, *self._console()[:-2], "--client-id", "lxt-demo-office"]

    def pension_office(self) -> list[str]:
        argv = [
            LXT_COUNTY,
            "pension-office",
            "--ledger",
            str(self.ledger),
            "--state",
            str(self.dir / "pension.sqlite3"),
        ]
        return [*argv, "--interval", "2", *self._console()[:-2], "--client-id", "lxt-demo-pension"]

    def examples(self) -> DemoExamples:
        """The traffic bureau's request (三甲 exams only, valid a day) and a technician's pass for this kiosk."""
        request = self.cmd.run(
            *("request", "--verifier", "jtj", "--vct", "health_exam", "--claims", "conclusion,date,hospital"),
            *("--purpose", "驾驶证体检", "--accept-grade", "三甲", "--valid", "86400", *self._office()),
        )[-1]
        tech = self.cmd.run(
            *("console", "tech-pass", "--county", self.county_id, "--county-key", str(self.county_key)),
            *("--name", "演示技术员", "--days", "7", "--kiosk", self.kiosk_id),
        )[-1]
        return DemoExamples(request=request, tech_pass=tech)

    def exam(self, hospital: str, did: str) -> str:
        """A health exam from `hospital`, issued to the villager's key as the county registry holds it."""
        grade = next(g for n, _i, _d, g, _v in ISSUERS if n == hospital)
        claims = {
            "hospital": HOSPITALS[hospital],
            "hospital_grade": grade,
            "date": date.today().isoformat(),
            "conclusion": "合格，可从事驾驶",
            "results": {"视力": "左5.0 右5.0", "血压": "正常", "辨色": "正常"},
        }
        argv = ["issue", "--issuer", hospital, "--vct", "health_exam", "--claims", json.dumps(claims)]
        argv += ["--holder-did", did, "--registry", str(self.dir / "registry.sqlite3"), "--days", "365"]
        return self.cmd.run(*argv, *self._office())[-1]


def committed_villagers(database: Path, device_secret: bytes) -> dict[str, str]:
    """Sample villager's name → DID, for those whose enrolment the county has committed and whose real-name
    credential has reached the wallet (a read-only look at the kiosk's database)."""
    try:
        conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        committed = set()
        for (raw,) in conn.execute(
            "SELECT envelope FROM outbox WHERE type = 'identity.enroll' AND state = 'committed'"
        ):
            committed.add(str(json.loads(raw)["body"]["did"]))
        # Its real-name credential in the wallet too: the county has issued it, so the status list names it.
        rows = conn.execute("SELECT holder FROM credential WHERE vct = ?", (REAL_NAME,))
        committed &= {str(holder) for (holder,) in rows}
        found = {}
        for card in DEMO_VILLAGERS:
            row = conn.execute("SELECT did FROM person WHERE ref = ?", (person_ref(device_secret, card.id_number),))
            hit = row.fetchone()
            if hit is not None and hit[0] in committed:
                found[card.name] = str(hit[0])
        return found
    except (sqlite3.Error, ValueError, KeyError):  # not made yet by the app, or mid-migration: look again later
        return {}
    finally:
        conn.close()


class Watcher:
    """Once a sample villager's enrolment is committed: issue their exams for the panel, and when it is the
    cadre, publish the roster naming him. Runs on a thread of the demo stack; `say` tells the terminal."""

    def __init__(self, offices: CountyOffices, database: Path, secret: bytes, say: Callable[[str], None]) -> None:
        self.offices, self.database, self.secret, self.say = offices, database, secret, say
        self.path = examples_file(database.parent)
        self.examples = DemoExamples()
        self.done: set[str] = set()
        self.failed = ""
        self._thread = threading.Thread(target=self._loop, name="demo-watcher", daemon=True)

    def start(self, examples: DemoExamples) -> None:
        self.examples = examples
        write_examples(self.path, examples)
        self._thread.start()

    def _loop(self) -> None:
        while not self.offices.cmd.stopped.wait(1.0):
            try:
                self.step()
            except ConfigError as exc:
                if not self.offices.cmd.stopped.is_set():
                    self.failed = str(exc)
                    self.say(f"演示县的办公室出错了：{exc}")
                return

    def step(self) -> None:
        for name, did in committed_villagers(self.database, self.secret).items():
            if did in self.done:
                continue
            exams = {HOSPITALS[h]: self.offices.exam(h, did) for h in HOSPITALS}
            self.examples = DemoExamples(
                self.examples.request, self.examples.tech_pass, {**self.examples.exams, did: exams}
            )
            self.offices.publish_status()  # the new credentials' entries, so their status is known and fresh
            write_examples(self.path, self.examples)
            self.done.add(did)
            self.say(f"{name}已上链：演示面板有了给{name}的体检报告二维码（望京医院 三甲、惠兰医院 二甲）。")
            if name == CADRE.name:
                roster = {"cadres": [{"did": did, "name": name, "village": CADRE_VILLAGE}]}
                self.offices.publish("roles", roster, "roles.json")
                self.say(
                    f"县里发布了村干部名单：{name}（{CADRE_VILLAGE}）。连点五下村名，放上他的卡、输入密码，进入村干部模式。"
                )

    def stop(self) -> None:
        self.offices.cmd.stop()
        if self._thread.is_alive():
            self._thread.join(15)
