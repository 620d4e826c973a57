"""Interoperability: our SD-JWT VC presentations verify with an independent implementation, and theirs with ours.

The other side is OpenWallet Foundation's sd-jwt-js (`@sd-jwt/sd-jwt-vc` 0.19.0, pinned with its lock file in
tests/interop/), run by node. `npm ci` installs it into a temporary folder once per test session. Under
CI=true a missing node or npm fails; elsewhere the tests skip, saying what to install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kiosk.credentials import jose, sdjwt
from kiosk.credentials.errors import CredentialError
from kiosk.credentials.kinds import Vct
from kiosk.crypto.suites import Signer, get_suite

pytestmark = [pytest.mark.integration, pytest.mark.slow]

INTEROP = Path(__file__).resolve().parents[1] / "interop"
NOW = 1_800_000_000
CLAIMS = {"hospital": "望京医院", "hospital_grade": "三甲", "date": "2026-10-08", "conclusion": "合格，可以驾驶"}


@pytest.fixture(scope="session")
def node_side(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node and npm are needed for the SD-JWT interop tests (apt install nodejs npm)")
        pytest.skip("node and npm are not installed (apt install nodejs npm); the interop tests need them")
    work = tmp_path_factory.mktemp("sdjwt-interop")
    for name in ("package.json", "package-lock.json", "sdjwt.mjs"):
        shutil.copy(INTEROP / name, work / name)
    # The user's npm cache when there is a home, so a second run needs no network; else a temporary one.
    home = os.environ.get("HOME")
    cache = Path(home) / ".npm" if home else tmp_path_factory.getbasetemp() / "npm-cache"
    env = {**os.environ, "npm_config_cache": str(cache)}
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"npm ci failed: {done.stderr[-2000:]}"
    return work


def _node(work: Path, request: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        ["node", "sdjwt.mjs"],
        cwd=work,
        input=json.dumps(request, ensure_ascii=False),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def _p256() -> Signer:
    suite = get_suite("ecdsa-p256")
    return suite.signer(suite.generate())


def _ours(issuer: Signer, holder: Signer) -> str:
    cred = sdjwt.issue(
        signer=issuer,
        iss="did:web:wangjing-hospital.example",
        kid="wj-1",
        vct=Vct.HEALTH_EXAM.value,
        claims=CLAIMS,
        holder_jwk=jose.public_jwk("ecdsa-p256", holder.public_key),
        iat=NOW - 86_400,
        exp=NOW + 86_400,
    )
    return sdjwt.present(
        cred, ["conclusion", "date", "hospital"], nonce="nonce-0123456789ab", aud="jtj", signer=holder, now_s=NOW
    )


def test_interop_our_presentation_verifies_with_sd_jwt_js(node_side: Path) -> None:
    issuer, holder = _p256(), _p256()
    pres = _ours(issuer, holder)
    issuer_jwk = jose.public_jwk("ecdsa-p256", issuer.public_key)
    answer = _node(
        node_side,
        {
            "op": "verify",
            "token": pres,
            "issuer_jwk": issuer_jwk,
            "nonce": "nonce-0123456789ab",
            "aud": "jtj",
            "now": NOW,
        },
    )
    assert answer["ok"], answer.get("error")
    assert {k: answer["claims"][k] for k in ("conclusion", "date", "hospital")} == {
        "conclusion": "合格，可以驾驶",
        "date": "2026-10-08",
        "hospital": "望京医院",
    }
    assert "hospital_grade" not in answer["claims"]  # not disclosed
    assert answer["kb"]["nonce"] == "nonce-0123456789ab"


def test_interop_sd_jwt_js_refuses_our_tampered_presentation(node_side: Path) -> None:
    issuer, holder = _p256(), _p256()
    pres = _ours(issuer, holder)
    issuer_jwk = jose.public_jwk("ecdsa-p256", issuer.public_key)
    wrong_nonce = _node(
        node_side,
        {
            "op": "verify",
            "token": pres,
            "issuer_jwk": issuer_jwk,
            "nonce": "another-nonce-000",
            "aud": "jtj",
            "now": NOW,
        },
    )
    assert not wrong_nonce["ok"]
    jwt, d1, _d2, d3, kb = pres.split("~")
    dropped = _node(
        node_side,
        {
            "op": "verify",
            "token": "~".join((jwt, d1, d3, kb)),
            "issuer_jwk": issuer_jwk,
            "nonce": "nonce-0123456789ab",
            "aud": "jtj",
            "now": NOW,
        },
    )
    assert not dropped["ok"]


def test_interop_a_sd_jwt_js_presentation_verifies_with_ours(node_side: Path) -> None:
    answer = _node(
        node_side,
        {
            "op": "issue",
            "now": NOW,
            "nonce": "nonce-0123456789ab",
            "aud": "jtj",
            "vct": Vct.HEALTH_EXAM.value,
            "iss": "did:web:node-hospital.example",
            "claims": CLAIMS,
            "disclose": ["conclusion", "date"],
        },
    )
    jwk = answer["issuer_jwk"]

    def lookup(iss: str, kid: str | None, vct: str) -> dict[str, Any]:
        assert iss == "did:web:node-hospital.example" and kid == "node-1"
        return dict(jwk)

    held = sdjwt.verify(answer["credential"], lookup, now_s=NOW)
    assert held.claims == CLAIMS and held.header["typ"] == "dc+sd-jwt"
    shown = sdjwt.verify_key_binding(
        answer["presentation"],
        sdjwt.verify(answer["presentation"], lookup, now_s=NOW),
        nonce="nonce-0123456789ab",
        aud="jtj",
        now_s=NOW,
    )
    assert shown.claims == {"conclusion": "合格，可以驾驶", "date": "2026-10-08"}
    with pytest.raises(CredentialError):
        sdjwt.verify_key_binding(answer["presentation"], shown, nonce="another-nonce-000", aud="jtj", now_s=NOW)
