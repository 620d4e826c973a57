"""What the loan and the service end-to-end tests share: a county party's desk (its files and its `lxt-county`
runs, each ended by pid), the kiosk's core beside a provisioned kiosk, and what the party printed."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from drivers.fake.clock import FakeClock
from kiosk.core import Core, open_core
from kiosk.identity.evidence import generate_keypair
from tests.conftest import make_settings
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import BIN, County, Kiosk, Proc, wait_for


def write_key(path: Path, key: X25519PrivateKey) -> Path:
    path.write_bytes(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
    return path


class PartyDesk:
    """A party's folder: its catalog (published with `lxt-county console publish <kind>`), trust list and state."""

    def __init__(self, root: Path, county: County, catalog: Path, state: Path, trust: list[Any]) -> None:
        self.root, self.county, self.catalog, self.state = root, county, catalog, state
        root.mkdir(parents=True, exist_ok=True)
        self.trust = root / "trust.json"
        self.trust.write_text(json.dumps(trust), encoding="utf-8")
        self.runs = 0

    def write_catalog(self, payload: dict[str, Any]) -> None:
        self.catalog.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    def broker_args(self, broker: Mosquitto) -> list[str]:
        return ["--county", self.county.county, "--host", broker.host, "--port", str(broker.port)]

    def publish(self, kind: str, broker: Mosquitto) -> Proc:
        argv = [str(BIN / "lxt-county"), "console", "publish", kind, str(self.catalog), *self.broker_args(broker)]
        argv += ["--county-key", str(self.county.key), "--state", str(self.root / "console.sqlite3")]
        return self.run("publish", argv)

    def run(self, name: str, argv: list[str]) -> Proc:
        self.runs += 1
        proc = Proc(name, argv, self.root / f"{name}-{self.runs}.log").start()
        try:
            wait_for(f"{name} to finish", lambda: not proc.alive())
        finally:
            proc.stop()  # only if it is still running: by its pid, SIGTERM then SIGKILL
        assert proc.popen is not None and proc.popen.returncode == 0, proc.text()[-2000:]
        return proc

    def row(self, sql: str, number: str, who: str) -> tuple[str, dict[str, Any]]:
        """(status, the JSON column) of the party's record of `number`; fails the test if it has none."""
        conn = sqlite3.connect(self.state)
        try:
            row = conn.execute(sql, (number,)).fetchone()
        finally:
            conn.close()
        assert row is not None, f"{who} has no record of {number}"
        return str(row[0]), dict(json.loads(row[1]))


def printed(proc: Proc) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.text().splitlines() if line.startswith("{")]


@contextlib.contextmanager
def kiosk_beside_county(tmp_path: Path) -> Iterator[tuple[County, Kiosk, Core]]:
    """A county, a kiosk provisioned by syncworld, and the kiosk's core opened on the same data folder."""
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    county.register(kiosk)
    settings = make_settings(
        kiosk.data_dir, LXT_IDENTITY__COUNTY_ID=county.county, LXT_IDENTITY__KIOSK_ID=kiosk.kiosk_id
    )
    _private, pem = generate_keypair()
    settings.paths.enrolment_key_file.parent.mkdir(parents=True, exist_ok=True)
    settings.paths.enrolment_key_file.write_bytes(pem)
    core = open_core(settings, FakeClock())  # creates and migrates the database before lxt-sync opens it
    try:
        yield county, kiosk, core
    finally:
        kiosk.stop_all()
        county.stop_all()
        core.close()


def broadcast_held(core: Core, kind: str) -> bool:
    return bool(core.db.read("SELECT 1 FROM broadcast WHERE kind = ?", (kind,)))
