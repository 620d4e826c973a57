"""lxt-sync takes the county's credential deliveries into the wallet: kept, or refused with the reason audited."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.credentials import deliveries, jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Wallet
from kiosk.crypto import canonical
from kiosk.crypto.suites import get_suite
from kiosk.identity.device import load_identity
from kiosk.ports import ClockReading, ClockSource
from kiosk.store.db import Database
from sync.county.credstore import CredentialOffice, Party
from tests.syncworld import COUNTY, County, Kiosk

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
EXAM = {"hospital": "望京医院", "hospital_grade": "三甲", "date": "2026-10-08", "conclusion": "合格", "results": {}}


def test_deliveries_are_kept_or_refused_with_their_reason_and_wait_for_a_trust_list(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path / "kiosk", County(tmp_path / "county"))
    kiosk.enrol_person()
    office = CredentialOffice(tmp_path / "office", COUNTY)
    office.add_party(
        Party("wangjing", "issuer", "did:web:wj", "wj-1", "望京医院", "三甲", [Vct.HEALTH_EXAM.value]), "ecdsa-p256"
    )
    signer = office.signer("wangjing")
    holder_jwk = jose.public_jwk("ed25519", kiosk.villager.public_key)
    good = sdjwt.issue(signer=signer, iss="did:web:wj", kid="wj-1", vct=Vct.HEALTH_EXAM, claims=EXAM,
                       holder_jwk=holder_jwk, iat=NOW_MS // 1000, exp=None)  # fmt: skip
    ed = get_suite("ed25519")
    stranger = jose.public_jwk("ed25519", ed.signer(ed.generate()).public_key)
    unbound = sdjwt.issue(signer=signer, iss="did:web:wj", kid="wj-1", vct=Vct.HEALTH_EXAM, claims=EXAM,
                          holder_jwk=stranger, iat=NOW_MS // 1000, exp=None)  # fmt: skip
    jwt, rest = good.split("~", 1)
    at = jwt.rindex(".") + 10  # a character inside the issuer's signature
    forged = jwt[:at] + ("A" if jwt[at] != "A" else "B") + jwt[at + 1 :] + "~" + rest
    db = Database(kiosk.db_path)
    wallet = Wallet(db, load_identity(kiosk.data_dir / "secrets").secret)
    when = ClockReading(NOW, ClockSource.NTP)
    try:
        with db.transaction() as conn:
            for n, token in enumerate((good, unbound, forged, 7)):
                payload = canonical.dumps({"holder": kiosk.did, "sd_jwt": token}).decode()
                conn.execute("INSERT INTO inbox VALUES (?, 'credential', ?, ?, NULL)", (f"{n:032x}", payload, NOW_MS))
            assert deliveries.take(conn, wallet, when, NOW_MS) == 0  # no trust list yet: nothing judged
            trust = canonical.dumps(office.trust_payload(NOW_MS)).decode()
            conn.execute("INSERT INTO broadcast VALUES ('trust', 1, ?, ?)", (trust, NOW_MS))
            assert deliveries.take(conn, wallet, when, NOW_MS) == 4
            assert deliveries.take(conn, wallet, when, NOW_MS) == 0  # each once
            reasons = sorted(r.reason for r in deliveries.refused(conn))
        assert [e.vct for e in wallet.entries(kiosk.did)] == [Vct.HEALTH_EXAM]
        assert reasons == ["bad_signature", "malformed", "not_bound"]
        assert len(db.read("SELECT 1 FROM inbox WHERE handled_ms IS NOT NULL")) == 4
    finally:
        signer.wipe()
        db.close()
        office.close()
