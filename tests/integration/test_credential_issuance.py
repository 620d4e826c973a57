"""The real-name credential end to end: kiosk enrolment → lxt-sync → mosquitto → lxt-county bridge (identity
authority) → inbox → lxt-sync → the villager's wallet; verified, bound to the villager key; revoked by a
published status list, which the kiosk then shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.credentials import jose, sdjwt, status
from kiosk.credentials.status import StatusLists, TokenStatus
from kiosk.credentials.trust import TrustList
from kiosk.credentials.verifier import verify_presentation
from kiosk.credentials.wallet import Wallet
from kiosk.identity.device import load_identity
from kiosk.identity.evidence import load_public_key
from kiosk.store.db import Database
from sync.county.cli import main
from sync.county.credstore import CredentialOffice
from sync.county.ledger import wall_ms
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import COUNTY, County, Kiosk, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_enrolment_brings_the_real_name_credential_to_the_wallet_and_revocation_shows(
    tmp_path: Path, mosquitto: Mosquitto
) -> None:
    county = County(tmp_path / "county")
    office_dir = county.root / "credentials"
    office = ["--county", COUNTY, "--credentials", str(office_dir)]
    broker = ["--host", mosquitto.host, "--port", str(mosquitto.port), "--county-key", str(county.key)]
    broker += ["--state", str(county.root / "console.sqlite3")]
    assert main(["issuer", "add", "county", "--id", "did:web:lankao.example", "--display", "兰考县公安局",
                 "--vct", "real_name", *office]) == 0  # fmt: skip
    assert main(["issuer", "enrolment-key", "--out", str(tmp_path / "enrolment.pub"), *office]) == 0
    kiosk = Kiosk(tmp_path / "kiosk", county, enrolment_key=load_public_key(tmp_path / "enrolment.pub"))
    county.register(kiosk)
    kiosk.enrol_person()
    (tx,) = kiosk.enqueue(1)
    bridge = county.bridge(mosquitto, "lxt-bridge-1", None, "--credentials", str(office_dir))
    sync = kiosk.sync(mosquitto)
    db = Database(kiosk.db_path)
    wallet = Wallet(db, load_identity(kiosk.data_dir / "secrets").secret)
    try:
        assert main(["trust", "--publish", *office, *broker]) == 0
        wait_for("the enrolment committed", lambda: kiosk.all_committed(1))
        wait_for("the credential in the wallet", lambda: bool(wallet.entries(kiosk.did)))
        (entry,) = wallet.entries(kiosk.did)
        assert entry.vct == "urn:lxt:vct:real_name:1" and entry.source.value == "inbox"

        token = wallet.open(kiosk.did, entry.id)
        now = wall_ms() // 1000
        shown = sdjwt.present(token, ["age_over_18", "region"], nonce="n" * 20, aud="bank.lankao",
                              signer=kiosk.villager, now_s=now)  # fmt: skip
        o = CredentialOffice(office_dir, COUNTY)
        try:
            trust = TrustList.from_json(o.trust_payload(0))
            lists = StatusLists.from_json(o.status_payload(now))
        finally:
            o.close()
        got = verify_presentation(shown, trust=trust, lists=lists, nonce="n" * 20, aud="bank.lankao", now_s=now)
        assert got.claims == {"age_over_18": True, "region": "河南省兰考县东坝头乡张庄村"}
        assert jose.key_of_jwk(got.holder_jwk) == ("ed25519", kiosk.villager.public_key)

        assert main(["status", "--revoke", entry.id, "--publish", *office, *broker]) == 0

        def revoked() -> bool:
            card = wallet.cards(kiosk.did, status.load(db.conn), wall_ms() // 1000)[0]
            return card.status.status is TokenStatus.INVALID

        wait_for("the kiosk showing the credential revoked", revoked)
    finally:
        db.close()
        sync.stop()
        bridge.stop()
    assert sync.popen is not None and sync.popen.returncode == 0, sync.text()[-2000:]
    assert bridge.popen is not None and bridge.popen.returncode == 0, bridge.text()[-2000:]
    o = CredentialOffice(office_dir, COUNTY)
    try:
        rows = o.conn.execute("SELECT tx, outcome, sent_ms IS NOT NULL FROM enrolment").fetchall()
    finally:
        o.close()
    assert rows == [(tx, "issued", 1)], json.dumps(rows)
