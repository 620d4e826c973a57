"""`lxt-county console` against a running `lxt-sync` through a real mosquitto: register, broadcast, inbox, commands,
fleet — and the daemon keeps running through refusals."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kiosk.store import deliveries
from kiosk.store.db import Database
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import BIN, County, Kiosk, wait_for

pytestmark = pytest.mark.integration


def console(county: County, broker: Mosquitto, *argv: str, state: Path | None = None) -> tuple[int, str]:
    args = [str(BIN / "lxt-county"), "console", *argv]
    if argv[0] in ("publish", "inbox", "command", "fleet"):
        args += ["--county", county.county, "--host", broker.host, "--port", str(broker.port)]
    if argv[0] in ("publish", "inbox", "command"):
        args += ["--county-key", str(county.key), "--state", str(state or county.root / "console.sqlite3")]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    return done.returncode, done.stdout + done.stderr


def _read(kiosk: Kiosk) -> Database:
    return Database(kiosk.db_path)


def test_the_console_drives_a_running_kiosk(tmp_path: Path, mosquitto: Mosquitto) -> None:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    code, out = console(
        county,
        mosquitto,
        "register",
        str(kiosk.data_dir / "secrets" / "device.json"),
        "--registry",
        str(county.registry),
    )
    assert code == 0 and out.startswith("registered"), out
    ids = kiosk.enqueue(3)
    bridge = county.bridge(mosquitto)
    sync = kiosk.sync(mosquitto)
    try:
        wait_for("the kiosk's transactions committed", lambda: kiosk.all_committed(len(ids)))

        catalog = tmp_path / "catalog.json"
        catalog.write_text(json.dumps({"products": [{"bank": "农商银行", "name": "惠农贷", "max_fen": 200000000}]}))
        assert console(county, mosquitto, "publish", "catalog", str(catalog))[0] == 0
        assert console(county, mosquitto, "publish", "catalog", str(catalog))[0] == 0  # version 2

        def catalog_version() -> int:
            db = _read(kiosk)
            try:
                held = deliveries.broadcast(db.conn, "catalog")
                return 0 if held is None else held.version
            finally:
                db.close()

        wait_for("the catalog broadcast applied", lambda: catalog_version() == 2)

        offer = tmp_path / "offer.json"
        offer.write_text(json.dumps({"vct": "real-name"}))
        assert console(county, mosquitto, "inbox", kiosk.kiosk_id, "credential_offer", str(offer))[0] == 0

        def inbox_size() -> int:
            db = _read(kiosk)
            try:
                return len(deliveries.inbox(db.conn))
            finally:
                db.close()

        wait_for("the inbox delivery stored", lambda: inbox_size() == 1)

        code, out = console(county, mosquitto, "command", kiosk.kiosk_id, "lock", "--args", '{"reason": "设备维护"}')
        assert code == 0, out
        assert json.loads(out)["status"] == "done"
        db = _read(kiosk)
        try:
            assert deliveries.lock_state(db.conn).locked
        finally:
            db.close()

        code, out = console(county, mosquitto, "command", kiosk.kiosk_id, "diag")
        assert code == 0, out
        result = json.loads(out)["result"]
        assert result["outbox"] == {"committed": 3} and result["broadcasts"] == {"catalog": 2}

        # A console with a fresh state file reuses cmd_seq 1: the kiosk refuses the replay and says why.
        code, out = console(county, mosquitto, "command", kiosk.kiosk_id, "unlock", state=tmp_path / "other.sqlite3")
        assert code == 1 and "already used" in json.loads(out)["result"]["reason"]

        # Signed with another key: refused without an answer, audited; an older broadcast likewise.
        forger = County(tmp_path / "forger", county.county)
        code, out = console(forger, mosquitto, "command", kiosk.kiosk_id, "unlock", "--wait", "2")
        assert code == 1 and "no answer" in out
        assert console(forger, mosquitto, "publish", "catalog", str(catalog))[0] == 0  # version 1, wrong key
        db = _read(kiosk)
        try:
            assert deliveries.lock_state(db.conn).locked
            assert deliveries.broadcast(db.conn, "catalog").version == 2  # type: ignore[union-attr]
            refused = db.conn.execute("SELECT COUNT(*) FROM audit WHERE action LIKE '%refused'").fetchone()[0]
            assert refused >= 3
        finally:
            db.close()

        code, out = console(county, mosquitto, "fleet", "--registry", str(county.registry))
        assert code == 0 and kiosk.kiosk_id in out and "online" in out, out
        assert sync.alive()
    finally:
        sync.stop()
        bridge.stop()
    code, out = console(county, mosquitto, "fleet")
    assert "offline" in out  # the clean goodbye is retained
