"""A county and its kiosks as real processes, for the sync tests and benchmarks.

`County` owns the ledger key, the ledger and registry files, and starts `lxt-county bridge` processes;
`Kiosk` owns a provisioned data directory, fills its outbox with real signed `identity.enroll` transactions,
and starts `lxt-sync`. Every process is started in its own session, logs to a file, and is ended by its pid.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.identity import did as didm
from kiosk.identity.device import load_identity, load_signer, provision
from kiosk.identity.evidence import seal_evidence
from kiosk.ports import ClockReading, ClockSource
from kiosk.store import outbox
from kiosk.store.db import Database
from kiosk.tx import envelope as envm
from kiosk.tx.receipt import verify_receipt
from kiosk.tx.verify import PublicKey
from sync.county.ledger import LedgerReader
from sync.county.ledger_cli import generate_county_key, public_key_path
from sync.county.registry import KioskRegistry
from sync.keys import load_county_key
from tests.integration.mosquitto import ClientTls, Mosquitto

BIN = Path(sys.executable).parent
COUNTY = "410225"
WHEN = ClockReading(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), ClockSource.NTP)


def wait_for(what: str, check: Callable[[], bool], timeout_s: float = 120.0, every_s: float = 0.1) -> None:
    """Poll until `check()`; fail naming `what` after a generous deadline (never a timing assertion)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every_s)


class Proc:
    def __init__(self, name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.argv = argv
        self.log = log
        self.env = {**os.environ, **(env or {})}
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv, stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill9(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            assert self.popen is not None
            self.popen.wait(10)

    def stop(self, timeout_s: float = 20.0) -> int | None:
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait(10)
        return self.popen.returncode

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class County:
    def __init__(self, root: Path, county: str = COUNTY) -> None:
        self.root = root
        self.county = county
        root.mkdir(parents=True, exist_ok=True)
        self.key = root / "ledger.pem"
        generate_county_key(self.key)
        self.pub = public_key_path(self.key)
        self.ledger = root / "ledger.sqlite3"
        self.registry = root / "registry.sqlite3"
        self.procs: list[Proc] = []

    def register(self, kiosk: Kiosk) -> None:
        reg = KioskRegistry(self.registry)
        try:
            reg.register(self.county, kiosk.kiosk_id, kiosk.device_key, 1)
        finally:
            reg.close()

    def bridge(self, broker: Mosquitto, name: str = "lxt-bridge-1", tls: ClientTls | None = None, *extra: str) -> Proc:
        argv = [str(BIN / "lxt-county"), "bridge", "--county", self.county, "--ledger", str(self.ledger)]
        argv += ["--registry", str(self.registry), "--county-key", str(self.key), "--client-id", name]
        argv += ["--host", broker.host]
        if tls is None:
            argv += ["--port", str(broker.port)]
        else:
            argv += [
                "--port",
                str(broker.tls_port),
                "--ca",
                str(tls.ca),
                "--cert",
                str(tls.cert),
                "--key",
                str(tls.key),
            ]
        proc = Proc(name, [*argv, *extra], self.root / f"{name}.log")
        self.procs.append(proc)
        return proc.start()

    def committed(self) -> set[str]:
        if not self.ledger.exists():
            return set()
        reader = LedgerReader(self.ledger)
        try:
            return {tx for h in range(reader.height()) for _, tx, _ in reader.envelopes(h)}
        finally:
            reader.close()

    def tx_count(self) -> int:
        """Rows in the ledger, sealed or pending; ids are its primary key, so each counts once."""
        if not self.ledger.exists():
            return 0
        conn = sqlite3.connect(self.ledger)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM tx").fetchone()[0])
        finally:
            conn.close()

    def verify(self) -> subprocess.CompletedProcess[str]:
        argv = [
            str(BIN / "lxt-county"),
            "ledger",
            "verify",
            "--ledger",
            str(self.ledger),
            "--county-key",
            str(self.pub),
        ]
        return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)

    def stop_all(self) -> None:
        for p in self.procs:
            p.stop()


# The card record a kiosk reads (kiosk.identity.registry.card_json), for evidence the county can open.
CARD: dict[str, object] = {
    "kind": "resident",
    "name": "张秀英",
    "sex": "2",
    "ethnicity": "01",
    "birth_date": "1958-03-14",
    "address": "河南省兰考县东坝头乡张庄村3组18号",
    "id_number": "41022519580314002X",
    "authority": "兰考县公安局",
    "valid_from": "2018-05-01",
    "valid_to": None,
    "rare_chars": [],
}


class Kiosk:
    def __init__(
        self,
        root: Path,
        county: County,
        kiosk_id: str = "zhangzhuang-01",
        tls: ClientTls | None = None,
        enrolment_key: X25519PublicKey | None = None,
    ):
        self.root = root
        self.county = county
        self.kiosk_id = kiosk_id
        self.data_dir = root / "data"
        secrets_dir = self.data_dir / "secrets"
        if tls is None:
            provision(secrets_dir, county.county, kiosk_id, "ed25519")
        self.tls = tls
        self.device = load_identity(secrets_dir)
        self.signer: Signer = load_signer(secrets_dir, self.device)
        self.device_key = PublicKey(self.device.suite, self.device.public_key)
        self.db_path = self.data_dir / "kiosk.sqlite3"
        self.procs: list[Proc] = []
        ed = get_suite("ed25519")
        self._villager = ed.signer(ed.generate())
        nxt = ed.signer(ed.generate())
        self._inception = didm.inception(county.county, "ed25519", self._villager.public_key, "ed25519", nxt.public_key)
        self._did = didm.did_of(self._inception)
        # With the county's enrolment key the evidence is really sealed (the county can issue the real-name
        # credential from it); without, it is random bytes, which is all the sync tests need.
        self.enrolment_key = enrolment_key

    @property
    def did(self) -> str:
        return self._did

    @property
    def villager(self) -> Signer:
        return self._villager

    def enrol_person(self) -> None:
        """Record the villager as enrolled on this kiosk (person and DID inception), as the enrolment does."""
        db = Database(self.db_path)
        try:
            with db.transaction() as conn:
                conn.execute(
                    "INSERT INTO person (ref, did, sealed_card, enrolled_ms, mode) VALUES (?, ?, ?, ?, 'self')",
                    (hashlib.sha256(self._did.encode()).hexdigest(), self._did, b"sealed", 1),
                )
                conn.execute(
                    "INSERT INTO did_event (did, n, event, hash) VALUES (?, 0, ?, ?)",
                    (self._did, json.dumps(self._inception.to_json()).encode(), self._inception.digest),
                )
        finally:
            db.close()

    def env(self, broker: Mosquitto, **overrides: str) -> dict[str, str]:
        env = {
            "LXT_PATHS__DATA_DIR": str(self.data_dir),
            "LXT_IDENTITY__COUNTY_ID": self.county.county,
            "LXT_IDENTITY__KIOSK_ID": self.kiosk_id,
            "LXT_SYNC__BROKER_HOST": broker.host,
            "LXT_SYNC__COUNTY_LEDGER_KEY": str(self.county.pub),
            "LXT_SYNC__ACK_TIMEOUT_S": "3",
            "LXT_SYNC__RECONNECT_MIN_S": "0.2",
            "LXT_SYNC__RECONNECT_MAX_S": "2",
        }
        if self.tls is None:
            env |= {"LXT_SYNC__TLS": "false", "LXT_SYNC__BROKER_PORT": str(broker.port)}
        else:
            env |= {"LXT_SYNC__TLS": "true", "LXT_SYNC__BROKER_PORT": str(broker.tls_port)}
            env |= {"LXT_SYNC__CA_FILE": str(self.tls.ca), "LXT_SYNC__CERT_FILE": str(self.tls.cert)}
        return env | overrides

    def sync(self, broker: Mosquitto, **overrides: str) -> Proc:
        proc = Proc("lxt-sync", [str(BIN / "lxt-sync")], self.root / "lxt-sync.log", self.env(broker, **overrides))
        self.procs.append(proc)
        return proc.start()

    def enqueue(self, n: int) -> list[str]:
        """Queue n real `identity.enroll` transactions (villager + device signed), each its own commit."""
        db = Database(self.db_path)
        ids = []
        try:
            for _ in range(n):
                with db.transaction() as conn:
                    ids.append(outbox.append(conn, self._enrolment).id)
        finally:
            db.close()
        return ids

    def enqueue_bulk(self, n: int, per_commit: int = 2000) -> list[str]:
        """Queue n transactions quickly (many per commit): for backlogs in benchmarks."""
        db = Database(self.db_path)
        ids: list[str] = []
        try:
            while len(ids) < n:
                with db.transaction() as conn:
                    for _ in range(min(per_commit, n - len(ids))):
                        ids.append(outbox.append(conn, self._enrolment).id)
        finally:
            db.close()
        return ids

    def envelopes(self) -> list[bytes]:
        db = Database(self.db_path)
        try:
            return [bytes(r[0]) for r in db.read("SELECT envelope FROM outbox ORDER BY seq")]
        finally:
            db.close()

    def _enrolment(self, seq: int) -> envm.Envelope:
        body = {
            "did": self._did,
            "inception": self._inception.to_json(),
            "mode": "self",
            "witness": None,
            "consent": {"version": 1, "text_sha256": hashlib.sha256(b"consent").hexdigest()},
            "identity_check": "face_only",
            "face": {"method": "test", "quality": 90, "live": True, "match": None},
            "evidence": {
                "alg": "hpke-x25519-sha256-aes256gcm",
                "kid": "00" * 8,
                "ct": base64.urlsafe_b64encode(os.urandom(600)).rstrip(b"=").decode(),
            },
        }
        if self.enrolment_key is not None:
            evidence = {"card": CARD, "card_photo": "", "face_jpeg": None, "identity_check": "face_only"}
            body["evidence"] = seal_evidence({**evidence, "kiosk": self.device.kid}, self.enrolment_key, self._did)
        signers = [
            envm.RoleSigner(envm.SignerRole.VILLAGER, didm.key_id(self._did, 0), self._villager),
            envm.RoleSigner(envm.SignerRole.DEVICE, self.device.kid, self.signer),
        ]
        return envm.build(
            "identity.enroll",
            county=self.county.county,
            kiosk=self.kiosk_id,
            seq=seq,
            when=WHEN,
            body=body,
            signers=signers,
        )

    def states(self) -> Counter[str]:
        db = Database(self.db_path)
        try:
            return Counter(r[0] for r in db.read("SELECT state FROM outbox"))
        finally:
            db.close()

    def all_committed(self, n: int) -> bool:
        return self.states().get("committed", 0) == n

    def verify_receipts(self) -> int:
        """Check every kept receipt against the county key; returns how many were checked."""
        key = load_county_key(self.county.pub)
        db = Database(self.db_path)
        try:
            rows = db.read("SELECT id, receipt FROM outbox WHERE state = 'committed'")
            for tx_id, receipt in rows:
                verify_receipt(canonical.loads(bytes(receipt)), str(tx_id), key, county=self.county.county)
            return len(rows)
        finally:
            db.close()

    def stop_all(self) -> None:
        for p in self.procs:
            p.stop()
