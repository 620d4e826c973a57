"""Presenting through the county end to end: the county's request → mosquitto → lxt-sync → the kiosk's inbox →
the villager answers (sealed to 交通局's key) → lxt-sync → lxt-county bridge → the verifiers' inbox →
`lxt-county verifier inbox jtj` opens it with 交通局's key and prints the verified claims."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import SystemClock, TimeService
from kiosk.credentials import jose, pending, status, trust
from kiosk.credentials.wallet import Wallet
from kiosk.crypto.suites import Signer
from kiosk.flows.present import PresentDeps, PresentFlow
from kiosk.flows.signin import VillagerSession
from kiosk.identity.device import load_identity
from kiosk.identity.evidence import load_public_key
from kiosk.store.db import Database
from sync.county.cli import main
from sync.county.ledger import wall_ms
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import COUNTY, County, Kiosk, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]
EXAM = {"hospital": "望京医院", "hospital_grade": "三甲", "date": "2026-10-08", "conclusion": "合格", "results": {}}


@dataclass
class _Key:
    version: int = 0


class _Keys:
    """The villager's key as the PIN would unlock it (the sync world keeps the key itself, not a keystore)."""

    def __init__(self, signer: Signer) -> None:
        self._signer = signer

    def get(self, _did: str) -> _Key:
        return _Key()

    def unlock(self, _did: str, _pin: str, _now: Any) -> Signer:
        return self._signer


def test_a_request_through_the_inbox_is_answered_and_the_verifier_reads_the_verified_claims(
    tmp_path: Path, mosquitto: Mosquitto, capsys: pytest.CaptureFixture[str]
) -> None:
    county = County(tmp_path / "county")
    office_dir = county.root / "credentials"
    office = ["--county", COUNTY, "--credentials", str(office_dir)]
    broker = ["--host", mosquitto.host, "--port", str(mosquitto.port), "--county-key", str(county.key)]
    broker += ["--state", str(county.root / "console.sqlite3")]
    assert main(["issuer", "add", "county", "--id", "did:web:lankao.example", "--display", "兰考县公安局",
                 "--vct", "real_name", *office]) == 0  # fmt: skip
    assert main(["issuer", "enrolment-key", "--out", str(tmp_path / "enrolment.pub"), *office]) == 0
    assert main(["issuer", "add", "wangjing", "--id", "did:web:wangjing.example", "--display", "望京医院",
                 "--grade", "三甲", "--vct", "health_exam", *office]) == 0  # fmt: skip
    assert main(["verifier", "add", "jtj", "--id", "jtj.lankao", "--display", "交通局",
                 "--may-request", "health_exam:conclusion,date,hospital", *office]) == 0  # fmt: skip
    kiosk = Kiosk(tmp_path / "kiosk", county, enrolment_key=load_public_key(tmp_path / "enrolment.pub"))
    county.register(kiosk)
    kiosk.enrol_person()
    kiosk.enqueue(1)
    bridge = county.bridge(mosquitto, "lxt-bridge-1", None, "--credentials", str(office_dir))
    sync = kiosk.sync(mosquitto)
    db = Database(kiosk.db_path)
    device = load_identity(kiosk.data_dir / "secrets")
    wallet = Wallet(db, device.secret)
    try:
        assert main(["trust", "--publish", *office, *broker]) == 0
        wait_for("the enrolment committed", lambda: kiosk.all_committed(1))
        jwk = json.dumps(jose.public_jwk("ed25519", kiosk.villager.public_key))
        assert main(["issue", "--issuer", "wangjing", "--vct", "health_exam", "--claims", json.dumps(EXAM),
                     "--holder-jwk", jwk, "--holder-did", kiosk.did, "--inbox", kiosk.kiosk_id,
                     *office, *broker]) == 0  # fmt: skip
        assert main(["status", "--publish", *office, *broker]) == 0
        exam = "urn:lxt:vct:health_exam:1"
        wait_for("the exam in the wallet", lambda: any(e.vct == exam for e in wallet.entries(kiosk.did)))
        capsys.readouterr()

        assert main(["request", "--verifier", "jtj", "--vct", "health_exam", "--claims", "conclusion,date,hospital",
                     "--purpose", "驾驶证体检", "--accept-grade", "三甲", "--valid", "3600",
                     "--to-did", kiosk.did, "--inbox", kiosk.kiosk_id, *office, *broker]) == 0  # fmt: skip
        sent = json.loads(capsys.readouterr().out.splitlines()[0])
        assert sent["response"] == "county"

        def listed() -> list[pending.PendingRequest]:
            found = trust.load(db.conn)
            return [] if found is None else pending.pending(db.conn, kiosk.did, found, now_s=wall_ms() // 1000)

        wait_for("the request in the kiosk's inbox", lambda: bool(listed()))
        (asked,) = listed()
        assert asked.request.verifier_name == "交通局" and asked.item_id == sent["inbox"]

        time = TimeService(SystemClock())
        deps = PresentDeps(db, wallet, _Keys(kiosk.villager), time, device, kiosk.signer, 7 * 86_400)  # type: ignore[arg-type]
        held = trust.load(db.conn)
        assert held is not None
        flow = PresentFlow(deps, VillagerSession(kiosk.did, "张三", None), held, status.load(db.conn))
        (offered,) = flow.read_request(asked.token)
        flow.choose(offered.entry.id)
        result = flow.confirm("000000")
        assert result.delivery == "county" and result.deliver is not None
        assert listed() == []  # answered once

        wait_for("both committed", lambda: kiosk.all_committed(3))

        def read_inbox() -> list[dict[str, Any]]:
            capsys.readouterr()
            main(["verifier", "inbox", "jtj", *office])
            return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]

        got: list[dict[str, Any]] = []

        def arrived() -> bool:
            got.extend(read_inbox())
            return bool(got)

        wait_for("the verifier's inbox", arrived)
        (line,) = got
        assert line["ok"] is True, line
        assert line["claims"] == {"conclusion": "合格", "date": "2026-10-08", "hospital": "望京医院"}
        assert line["issuer_grade"] == "三甲" and line["did"] == kiosk.did and line["request"] == sent["request"]
        assert read_inbox() == []  # read once; --all shows it again
        ledger = (county.root / "ledger.sqlite3").read_bytes()
        assert "合格".encode() not in ledger and "驾驶证体检".encode() not in ledger
    finally:
        db.close()
        sync.stop()
        bridge.stop()
    assert sync.popen is not None and sync.popen.returncode == 0, sync.text()[-2000:]
