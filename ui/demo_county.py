"""A made-up county of issuers and verifiers for the tour, the demo and the screens' tests.

Stands in for what reaches a kiosk from outside: the county's trust and status broadcasts (stored as lxt-sync
stores them after checking the county's signature), credentials issued by hospitals, a township and a
co-operative, and a traffic bureau's presentation request. The keys are made fresh for each run; nobody
here is real.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kiosk.core import Core
from kiosk.credentials import jose, sdjwt, status
from kiosk.credentials.kinds import Vct
from kiosk.credentials.request import make_request
from kiosk.credentials.status import TokenStatus
from kiosk.credentials.wallet import Holder
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.flows.present import new_nonce

STATUS_URI = "https://lankao.example/status/1"
JTJ = "jtj.lankao"
DAY_S = 86_400


def _signer(suite: str) -> Signer:
    s = get_suite(suite)
    return s.signer(s.generate())


class DemoCounty:
    """Issuers: 望京医院 (三甲), 惠兰医院 (二甲), 东坝头乡政府 (land), 张庄合作社; verifier: 交通局."""

    ISSUERS: ClassVar[dict[str, tuple[str, str, str | None, Vct]]] = {
        "望京医院": ("did:web:wangjing-hospital.example", "wj-1", "三甲", Vct.HEALTH_EXAM),
        "惠兰医院": ("did:web:huilan-hospital.example", "hl-1", "二甲", Vct.HEALTH_EXAM),
        "东坝头乡政府": ("did:web:dongbatou.example", "dbt-1", None, Vct.LAND_CONTRACT),
        "张庄合作社": ("did:web:zhangzhuang-coop.example", "zz-1", None, Vct.COOP_MEMBERSHIP),
    }

    def __init__(self, core: Core) -> None:
        self.core = core
        self.keys = {name: _signer("ecdsa-p256") for name in self.ISSUERS}
        self.jtj = _signer("ecdsa-p256")
        self.statuses: dict[int, TokenStatus] = {}
        self._next_idx = 1

    def now_s(self) -> int:
        return int(self.core.time.now().at.timestamp())

    def trust_payload(self) -> dict[str, Any]:
        issuers = []
        for name, (iss, kid, grade, vct) in self.ISSUERS.items():
            entry: dict[str, Any] = {
                "id": iss,
                "kid": kid,
                "jwk": jose.public_jwk("ecdsa-p256", self.keys[name].public_key),
                "name": name,
                "vct": [vct.value],
            }
            if grade is not None:
                entry["grade"] = grade
            issuers.append(entry)
        exam = Vct.HEALTH_EXAM.value
        verifier = {
            "id": JTJ,
            "kid": "jtj-1",
            "jwk": jose.public_jwk("ecdsa-p256", self.jtj.public_key),
            "name": "交通局",
            "may_request": [{"vct": exam, "claims": ["conclusion", "date", "hospital", "hospital_grade"]}],
        }
        return {
            "v": 1,
            "county": "410225",
            "issued_ms": self.now_s() * 1000,
            "issuers": issuers,
            "verifiers": [verifier],
        }

    def status_payload(self) -> dict[str, Any]:
        lst = status.encode(self.statuses, 2, 1024)
        entry = {"sub": STATUS_URI, "iat": self.now_s(), "ttl": 3600, "status_list": {"bits": 2, "lst": lst}}
        return {"v": 1, "lists": [entry]}

    def broadcast(self) -> None:
        """Store both lists as lxt-sync would after checking the county's signature."""
        with self.core.db.transaction() as conn:
            for kind, payload in (("trust", self.trust_payload()), ("status", self.status_payload())):
                conn.execute(
                    "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES (?, 1, ?, ?) "
                    "ON CONFLICT (kind) DO UPDATE SET version = version + 1, payload = excluded.payload",
                    (kind, canonical.dumps(payload).decode(), self.now_s() * 1000),
                )

    def revoke(self, idx: int) -> None:
        self.statuses[idx] = TokenStatus.INVALID
        self.broadcast()

    def holder(self, did: str) -> Holder:
        key = self.core.keystore.get(did)
        return Holder(did, key.suite, key.public_key)

    def issue(
        self, issuer: str, holder: Holder, claims: dict[str, Any], *, days: int = 365, age_days: int = 30
    ) -> tuple[str, int]:
        """A credential in issued form and its status index."""
        iss, kid, _grade, vct = self.ISSUERS[issuer]
        idx, self._next_idx = self._next_idx, self._next_idx + 1
        now = self.now_s()
        token = sdjwt.issue(
            signer=self.keys[issuer],
            iss=iss,
            kid=kid,
            vct=vct.value,
            claims=claims,
            holder_jwk=holder.jwk,
            iat=now - age_days * DAY_S,
            exp=now + days * DAY_S,
            status=sdjwt.StatusRef(STATUS_URI, idx),
        )
        return token, idx

    def exam(self, holder: Holder, hospital: str = "望京医院", **changes: Any) -> tuple[str, int]:
        claims = {
            "hospital": hospital,
            "hospital_grade": self.ISSUERS[hospital][2] or "",
            "date": "2026-10-08",
            "conclusion": "合格，可以驾驶",
            "results": {"视力": "5.0", "血压": "正常"},
        }
        claims.update(changes)
        return self.issue(hospital, holder, claims)

    def land(self, holder: Holder) -> tuple[str, int]:
        claims = {"village": "张庄村", "area_mu": "6.5", "contract_no": "LK-2019-0316", "term_end": "2048-12-31"}
        return self.issue("东坝头乡政府", holder, claims, days=3650)

    def coop(self, holder: Holder) -> tuple[str, int]:
        return self.issue(
            "张庄合作社", holder, {"cooperative": "张庄蜜瓜合作社", "member_since": "2021-03-01", "role": "社员"}
        )

    def request(self, *, grades: list[str] | None = None, claims: list[str] | None = None) -> str:
        """The traffic bureau's request for a health exam from a 三甲 hospital (驾驶证体检)."""
        now = self.now_s()
        payload = {
            "iss": JTJ,
            "purpose": "驾驶证体检",
            "vct": Vct.HEALTH_EXAM.value,
            "claims": claims or ["conclusion", "date", "hospital"],
            "accept": {"issuers": [], "grades": ["三甲"] if grades is None else grades},
            "nonce": new_nonce(),
            "aud": JTJ,
            "iat": now,
            "exp": now + 600,
            "response": "qr",
        }
        return make_request(payload, self.jtj, "jtj-1")
