"""A county of issuers and verifiers for the credential tests: hospitals, the traffic bureau, lists, a wallet."""

from __future__ import annotations

from typing import Any

from kiosk.core import Core
from kiosk.credentials import jose, sdjwt, status, trust
from kiosk.credentials.kinds import Vct
from kiosk.credentials.request import make_request
from kiosk.credentials.status import StatusLists, TokenStatus
from kiosk.credentials.trust import TrustList
from kiosk.credentials.wallet import Holder, IssuerKeys, Source, Wallet, WalletEntry, import_credential
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.flows.present import PresentDeps, new_nonce

STATUS_URI = "https://lankao.example/status/1"
WANGJING = "did:web:wangjing-hospital.example"
HUILAN = "did:web:huilan-hospital.example"
JTJ = "jtj.lankao"


def signer(suite: str) -> Signer:
    s = get_suite(suite)
    return s.signer(s.generate())


class County:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.wangjing = signer("ecdsa-p256")
        self.huilan = signer("ed25519")
        self.jtj = signer("ecdsa-p256")
        self.rogue = signer("ecdsa-p256")
        self.revoked: dict[int, TokenStatus] = {}
        self.status_iat = self.now_s()
        self.wallet = Wallet(core.db, core.device.secret)

    def now_s(self) -> int:
        return int(self.core.time.now().at.timestamp())

    def trust_payload(self) -> dict[str, Any]:
        exam = Vct.HEALTH_EXAM.value
        return {
            "v": 1,
            "county": "410225",
            "issued_ms": self.now_s() * 1000,
            "issuers": [
                {
                    "id": WANGJING,
                    "kid": "wj-1",
                    "jwk": jose.public_jwk("ecdsa-p256", self.wangjing.public_key),
                    "name": "望京医院",
                    "grade": "三甲",
                    "vct": [exam],
                },
                {
                    "id": HUILAN,
                    "kid": "hl-1",
                    "jwk": jose.public_jwk("ed25519", self.huilan.public_key),
                    "name": "惠兰医院",
                    "grade": "二甲",
                    "vct": [exam],
                },
            ],
            "verifiers": [
                {
                    "id": JTJ,
                    "kid": "jtj-1",
                    "jwk": jose.public_jwk("ecdsa-p256", self.jtj.public_key),
                    "name": "交通局",
                    "may_request": [{"vct": exam, "claims": ["conclusion", "date", "hospital", "hospital_grade"]}],
                },
            ],
        }

    def status_payload(self) -> dict[str, Any]:
        lst = status.encode(self.revoked, 2, 1024)
        return {
            "v": 1,
            "lists": [{"sub": STATUS_URI, "iat": self.status_iat, "ttl": 3600, "status_list": {"bits": 2, "lst": lst}}],
        }

    def broadcast(self) -> None:
        """Store the lists as lxt-sync would after checking the county's signature."""
        with self.core.db.transaction() as conn:
            for kind, payload in (("trust", self.trust_payload()), ("status", self.status_payload())):
                conn.execute(
                    "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES (?, 1, ?, ?) "
                    "ON CONFLICT (kind) DO UPDATE SET version = version + 1, payload = excluded.payload",
                    (kind, canonical.dumps(payload).decode(), self.now_s() * 1000),
                )

    def trust(self) -> TrustList:
        found = trust.load(self.core.db.conn)
        assert found is not None
        return found

    def lists(self) -> StatusLists:
        return status.load(self.core.db.conn)

    def holder(self, did: str) -> Holder:
        key = self.core.keystore.get(did)
        return Holder(did, key.suite, key.public_key)

    def exam(self, holder: Holder, hospital: str, *, idx: int, exp_days: int = 365, **claims: Any) -> str:
        issuer, iss, kid, grade = (
            (self.wangjing, WANGJING, "wj-1", "三甲")
            if hospital == "望京医院"
            else (self.huilan, HUILAN, "hl-1", "二甲")
        )
        values = {
            "hospital": hospital,
            "hospital_grade": grade,
            "date": "2026-10-08",
            "conclusion": "合格，可以驾驶",
            "results": {"视力": "5.0", "血压": "正常"},
        }
        values.update(claims)
        now = self.now_s()
        return sdjwt.issue(
            signer=issuer,
            iss=iss,
            kid=kid,
            vct=Vct.HEALTH_EXAM.value,
            claims=values,
            holder_jwk=holder.jwk,
            iat=now - 86_400,
            exp=now + exp_days * 86_400,
            status=sdjwt.StatusRef(STATUS_URI, idx),
        )

    def keys(self) -> IssuerKeys:
        return IssuerKeys(self.trust(), None)

    def import_(self, token: str, holder: Holder) -> WalletEntry:
        return import_credential(
            self.core.db,
            self.wallet,
            token,
            holder,
            self.keys(),
            self.lists(),
            now_ms=self.now_s() * 1000,
            source=Source.QR,
        )

    def request(
        self,
        *,
        signer_: Signer | None = None,
        iss: str = JTJ,
        kid: str = "jtj-1",
        claims: list[str] | None = None,
        grades: list[str] | None = None,
        lifetime: int = 600,
    ) -> tuple[str, str]:
        nonce = new_nonce()
        payload = {
            "iss": iss,
            "purpose": "驾驶证体检",
            "vct": Vct.HEALTH_EXAM.value,
            "claims": claims or ["conclusion", "date", "hospital"],
            "accept": {"issuers": [], "grades": ["三甲"] if grades is None else grades},
            "nonce": nonce,
            "aud": iss,
            "iat": self.now_s(),
            "exp": self.now_s() + lifetime,
            "response": "qr",
        }
        return make_request(payload, signer_ or self.jtj, kid), nonce

    def deps(self) -> PresentDeps:
        c = self.core
        return PresentDeps(
            c.db, self.wallet, c.keystore, c.time, c.device, c.device_signer, c.settings.credentials.status_max_age_s
        )
