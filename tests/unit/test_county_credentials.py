"""The county's credential office: parties, trust and status lists, simulated issuing, requests, `lxt-county verify`,
and the identity authority issuing the real-name credential from committed enrolments exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.credentials import jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.status import StatusLists, TokenStatus
from kiosk.credentials.trust import TrustList
from kiosk.crypto.suites import Signer, get_suite
from kiosk.identity.evidence import load_public_key
from kiosk.tx.notice import NoticeKind, open_notice
from sync.county.cli import main
from sync.county.credstore import CredentialOffice
from sync.county.issuer import EnrolmentIssuer, delivery_id, real_name_claims, region_of
from sync.county.ledger import SqliteLedger
from sync.county.ledger_cli import load_county_signer
from sync.keys import load_county_key
from tests.syncworld import CARD, COUNTY, County, Kiosk

EXAM = {"hospital": "望京医院", "hospital_grade": "三甲", "date": "2026-10-08", "conclusion": "合格", "results": {}}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main([*argv])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def office_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    d = tmp_path / "credentials"
    common = ["--county", COUNTY, "--credentials", str(d)]
    assert run(capsys, "issuer", "add", "wangjing", "--id", "did:web:wangjing.example", "--display", "望京医院",
               "--grade", "三甲", "--vct", "health_exam", *common)[0] == 0  # fmt: skip
    assert run(capsys, "verifier", "add", "jtj", "--id", "jtj.lankao", "--display", "交通局",
               "--may-request", "health_exam:conclusion,date,hospital", *common)[0] == 0  # fmt: skip
    return d


def holder() -> Signer:
    ed = get_suite("ed25519")
    return ed.signer(ed.generate())


def issue_exam(capsys: pytest.CaptureFixture[str], d: Path, who: Signer, tmp_path: Path) -> tuple[str, str]:
    jwk = json.dumps(jose.public_jwk(who.suite.name, who.public_key))
    code, out = run(capsys, "issue", "--county", COUNTY, "--credentials", str(d), "--issuer", "wangjing",
                    "--vct", "health-exam", "--claims", json.dumps(EXAM), "--holder-jwk", jwk,
                    "--qr", str(tmp_path / "exam.png"))  # fmt: skip
    assert code == 0
    assert (tmp_path / "exam.png").stat().st_size > 0
    return json.loads(out[0])["credential"], out[1]


def make_request(capsys: pytest.CaptureFixture[str], d: Path, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    path = tmp_path / "request.txt"
    code, out = run(capsys, "request", "--county", COUNTY, "--credentials", str(d), "--verifier", "jtj",
                    "--vct", "health_exam", "--claims", "conclusion,date,hospital", "--purpose", "驾驶证体检",
                    "--accept-grade", "三甲", "--out", str(path), "--qr", str(tmp_path / "req.png"))  # fmt: skip
    assert code == 0
    return path, json.loads(out[0])


def verify(
    capsys: pytest.CaptureFixture[str], d: Path, presentation: str, tmp_path: Path, *how: str
) -> tuple[int, dict[str, object]]:
    f = tmp_path / "presentation.txt"
    f.write_text(presentation)
    code, out = run(capsys, "verify", str(f), "--county", COUNTY, "--credentials", str(d), *how)
    return code, json.loads(out[0])


def test_verify_good_tampered_revoked_wrong_nonce_and_audience(
    office_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alice = holder()
    cid, token = issue_exam(capsys, office_dir, alice, tmp_path)
    req_path, req = make_request(capsys, office_dir, tmp_path)
    now = int(req["exp"]) - 600  # type: ignore[call-overload]
    shown = sdjwt.present(token, ["conclusion", "date", "hospital"], nonce=str(req["nonce"]), aud="jtj.lankao",
                          signer=alice, now_s=now)  # fmt: skip

    code, good = verify(capsys, office_dir, shown, tmp_path, "--request", str(req_path))
    assert code == 0 and good["ok"] is True
    assert good["claims"] == {"conclusion": "合格", "date": "2026-10-08", "hospital": "望京医院"}
    assert good["issuer_grade"] == "三甲" and good["status"] == "valid"

    head, sep, rest = shown.partition("~")
    forged = jose.split_compact(head)[1] | {"vct": Vct.HEALTH_EXAM.value, "iss": "did:web:other"}
    assert verify(capsys, office_dir, shown.replace("~", "~x", 1), tmp_path, "--request", str(req_path))[0] == 1
    assert forged  # a payload swapped under the same signature cannot verify:
    body = head.split(".")
    tampered = ".".join([body[0], jose._b64json(forged), body[2]]) + sep + rest
    code, why = verify(capsys, office_dir, tampered, tmp_path, "--request", str(req_path))
    assert code == 1 and why["reason"] in ("bad_signature", "untrusted_issuer")

    code, why = verify(capsys, office_dir, shown, tmp_path, "--nonce", "A" * 24, "--aud", "jtj.lankao")
    assert (code, why["reason"]) == (1, "wrong_nonce")
    code, why = verify(capsys, office_dir, shown, tmp_path, "--nonce", str(req["nonce"]), "--aud", "other")
    assert (code, why["reason"]) == (1, "wrong_audience")

    code, out = run(capsys, "status", "--county", COUNTY, "--credentials", str(office_dir), "--revoke", cid)
    assert code == 0 and json.loads(out[0])["changed"]
    code, why = verify(capsys, office_dir, shown, tmp_path, "--request", str(req_path))
    assert (code, why["reason"]) == (1, "revoked")


def test_the_trust_and_status_lists_built_from_the_office_are_what_kiosks_accept(
    office_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cid, _ = issue_exam(capsys, office_dir, holder(), tmp_path)
    assert (
        run(capsys, "trust", "--county", COUNTY, "--credentials", str(office_dir), "--out", str(tmp_path / "t.json"))[0]
        == 0
    )
    trust = TrustList.from_json(json.loads((tmp_path / "t.json").read_text()))
    assert trust.issuer("did:web:wangjing.example", "wangjing-1", Vct.HEALTH_EXAM).grade == "三甲"
    assert trust.verifier("jtj.lankao").name == "交通局"
    office = CredentialOffice(office_dir, COUNTY)
    try:
        ref = office.set_status(TokenStatus.SUSPENDED, credential=cid)
        lists = StatusLists.from_json(office.status_payload(1_800_000_000))
        assert lists.check(ref, 1_800_000_000).status is TokenStatus.SUSPENDED
        office.set_status(TokenStatus.INVALID, credential=cid)
        with pytest.raises(Exception, match="stays revoked"):
            office.set_status(TokenStatus.VALID, credential=cid)
    finally:
        office.close()


def test_bad_input_to_the_tools_is_refused_with_a_reason(
    office_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--county", COUNTY, "--credentials", str(office_dir)]
    jwk = json.dumps(jose.public_jwk("ed25519", holder().public_key))
    assert main(["issue", *common, "--issuer", "wangjing", "--vct", "land_contract", "--claims",
                 json.dumps({"village": "张庄村", "area_mu": 3, "contract_no": "1"}), "--holder-jwk", jwk]) == 1  # fmt: skip
    assert "may not issue" in capsys.readouterr().err
    assert (
        main(["issue", *common, "--issuer", "wangjing", "--vct", "health_exam", "--claims", "{}", "--holder-jwk", jwk])
        == 1
    )
    assert main(["issuer", "add", "wangjing", "--id", "x", "--display", "x", "--vct", "health_exam", *common]) == 1
    assert "never replaced" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing"), *common, "--nonce", "n", "--aud", "a"]) == 1
    assert "cannot read the presentation" in capsys.readouterr().err


def test_real_name_claims_from_the_card_record() -> None:
    claims = real_name_claims(CARD, __import__("datetime").date(2026, 11, 24))
    assert claims["sex"] == "女" and claims["ethnicity"] == "汉族" and claims["region"] == "河南省兰考县东坝头乡张庄村"
    assert claims["age_over_18"] is True and claims["age_over_60"] is True
    assert "41022519580314002X" not in json.dumps(claims)
    assert region_of("北京市朝阳区某街道1号") == "北京市朝阳区某街道"


def _enrolments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[County, Kiosk, Path, SqliteLedger]:
    county = County(tmp_path / "county")
    office_dir = tmp_path / "county" / "credentials"
    common = ["--county", COUNTY, "--credentials", str(office_dir)]
    assert run(capsys, "issuer", "add", "county", "--id", "did:web:lankao.example", "--display", "兰考县公安局",
               "--vct", "real_name", *common)[0] == 0  # fmt: skip
    assert run(capsys, "issuer", "enrolment-key", "--out", str(tmp_path / "enrol.pub"), *common)[0] == 0
    kiosk = Kiosk(tmp_path / "kiosk", county, enrolment_key=load_public_key(tmp_path / "enrol.pub"))
    ledger = SqliteLedger(county.ledger, COUNTY, load_county_signer(county.key))
    good = kiosk._enrolment(1)
    garbage = Kiosk(tmp_path / "other", county, "other-01")._enrolment(1)
    ledger.submit_many([(good.id, good.to_bytes()), (garbage.id, garbage.to_bytes())])
    ledger.flush(0, force=True)
    return county, kiosk, office_dir, ledger


def test_the_county_issues_the_real_name_credential_once_per_committed_enrolment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county, kiosk, office_dir, ledger = _enrolments(tmp_path, capsys)
    signer = load_county_signer(county.key)
    offices = [CredentialOffice(office_dir, COUNTY) for _ in range(2)]  # two bridges sharing the office
    issuers = [EnrolmentIssuer(o, ledger, signer, COUNTY) for o in offices]
    try:
        assert issuers[0].scan(1_795_500_000_000) + issuers[1].scan(1_795_500_000_000) == 1
        rows = offices[0].conn.execute("SELECT tx, outcome FROM enrolment ORDER BY outcome").fetchall()
        assert [r[1][:7] for r in rows] == ["issued", "refused"]
        assert issuers[1].due(1_795_500_000_000) == []  # its kiosk has not been seen online
        issuers[1].on_state(f"lxt/v1/{COUNTY}/{kiosk.kiosk_id}/up/state", b'{"online":true,"session":1}')
        ((tx, out),) = issuers[1].due(1_795_500_000_000)
        assert issuers[1].due(1_795_500_000_001) == []  # offered: not again until the retry time
        notice = open_notice(out.payload, load_county_key(county.pub), COUNTY, NoticeKind.INBOX).body
        assert notice["id"] == delivery_id(tx) and notice["kiosk"] == kiosk.kiosk_id
        token = notice["payload"]["sd_jwt"]
        trust = TrustList.from_json(offices[0].trust_payload(0))
        verified = sdjwt.verify(token, trust.issuer_key, now_s=1_795_500_000)
        assert verified.claims["name"] == "张秀英" and verified.vct == Vct.REAL_NAME
        assert jose.key_of_jwk(verified.holder_jwk) == ("ed25519", kiosk.villager.public_key)
        issuers[1].delivered(tx, 1_795_500_000_002)
        issuers[0].on_state(f"lxt/v1/{COUNTY}/{kiosk.kiosk_id}/up/state", b'{"online":true,"session":2}')
        assert issuers[0].due(1_795_600_000_000) == []
    finally:
        for o in offices:
            o.close()
        ledger.close()
