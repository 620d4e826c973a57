"""`bench present`: our presentations (make + verify, with every check) against the sd-jwt library's bare holder and
verifier doing the same selective disclosure and key binding, in the same run, same keys and credential."""

from __future__ import annotations

import json
import time

import pytest
from jwcrypto.jwk import JWK
from sd_jwt.holder import SDJWTHolder
from sd_jwt.verifier import SDJWTVerifier

from kiosk.credentials import jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.status import StatusLists
from kiosk.credentials.trust import TrustList
from kiosk.credentials.verifier import verify_presentation
from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import get_suite

pytestmark = pytest.mark.bench

ROUNDS = 200
CLAIMS = ["conclusion", "date", "hospital"]
EXAM = {"hospital": "望京医院", "hospital_grade": "三甲", "date": "2026-10-08", "conclusion": "合格", "results": {}}
NONCE, AUD, NOW = "n" * 22, "jtj.lankao", 1_795_500_000


def _line(name: str, value: float, unit: str, base_name: str, base: float, base_unit: str, ratio: float) -> None:
    print(f"\nbench {name}: {value:.1f} {unit} ({base_name}: {base:.1f} {base_unit}) ratio {ratio:.2f}")


def test_bench_present() -> None:
    ed = get_suite("ecdsa-p256")  # ES256: the alg the library's verifier expects of a key binding
    issuer_raw, holder_raw = ed.generate(), ed.generate()
    issuer, holder = ed.signer(issuer_raw), ed.signer(holder_raw)
    issuer_jwk = jose.public_jwk("ecdsa-p256", issuer.public_key)
    holder_jwk = jose.public_jwk("ecdsa-p256", holder.public_key)
    token = sdjwt.issue(signer=issuer, iss="did:web:wj", kid="wj-1", vct=Vct.HEALTH_EXAM, claims=EXAM,
                        holder_jwk=holder_jwk, iat=NOW, exp=None)  # fmt: skip
    trust = TrustList.from_json({"v": 1, "county": "410225", "issued_ms": 0, "verifiers": [], "issuers": [
        {"id": "did:web:wj", "kid": "wj-1", "jwk": issuer_jwk, "name": "望京医院", "grade": "三甲",
         "vct": [Vct.HEALTH_EXAM.value]}]})  # fmt: skip
    lists = StatusLists.empty()

    start = time.perf_counter()
    for _ in range(ROUNDS):
        shown = sdjwt.present(token, CLAIMS, nonce=NONCE, aud=AUD, signer=holder, now_s=NOW)
        verify_presentation(shown, trust=trust, lists=lists, nonce=NONCE, aud=AUD, now_s=NOW)
    ours = 2 * ROUNDS / (time.perf_counter() - start)

    issuer_key = JWK.from_json(json.dumps(issuer_jwk))
    holder_key = JWK.from_json(json.dumps({**holder_jwk, "d": b64u(bytes(holder_raw))}))
    start = time.perf_counter()
    for _ in range(ROUNDS):
        h = SDJWTHolder(token)
        h.create_presentation({c: True for c in CLAIMS}, NONCE, AUD, holder_key, "ES256")
        v = SDJWTVerifier(h.sd_jwt_presentation, lambda _i, _h: issuer_key, AUD, NONCE)
        v.get_verified_payload()
    bare = 2 * ROUNDS / (time.perf_counter() - start)
    issuer.wipe()
    holder.wipe()
    _line("present", ours, "creations+verifications/s", "sd-jwt bare sign/verify", bare, "/s", ours / bare)
