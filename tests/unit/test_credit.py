"""The county's credit scorecard (each factor, caps, version, bad files refused), the profile from a real ledger,
and the kiosk's reader of the credit_profile inbox item (newest, missing, stale, malformed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drivers.fake.clock import FakeClock
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.crypto.suites import get_suite
from kiosk.errors import ConfigError
from kiosk.identity import did as didm
from kiosk.loans.credit import DAY_MS, explain, newest
from kiosk.tx import envelope as envm
from kiosk.tx.verify import device_kid
from sync.county import credit
from sync.county.credit import Facts, load_records, packaged_scorecard, parse_scorecard, profiles, read_ledger, score
from sync.county.credit_cli import run_credit
from sync.county.ledger import LedgerReader, SqliteLedger
from tests.helpers import enrol_someone, make_card

PIN = "382917"
DID = "did:lxt:410225:" + "2" * 16
CARD = parse_scorecard(packaged_scorecard())


def repaid(loans: int, on_time: int, owed: int = 0) -> dict[str, Any]:
    return {"lender": "兰考农商银行", "loans_repaid": loans, "repaid_on_time": on_time, "outstanding_fen": owed,
            "as_of": "2026-10-01"}  # fmt: skip


def land(mu: int | str) -> dict[str, Any]:
    return {"village": "张庄村", "area_mu": mu, "contract_no": "LK-0001"}


COOP = {"cooperative": "张庄蒜业合作社", "member_since": "2021-03-01", "role": "社员"}


def _by_id(facts: Facts) -> dict[str, tuple[int, str]]:
    return {f.id: (f.points, f.reason) for f in score(CARD, DID, facts).factors}


def test_the_packaged_scorecard_is_versioned_and_names_every_factor() -> None:
    assert (CARD.id, CARD.version) == ("lankao-farmer", 1)
    assert set(type(CARD.factors).model_fields) == {"repayment", "attestations", "land", "cooperative"}


def test_nothing_known_scores_zero_and_says_so_in_plain_words() -> None:
    profile = score(CARD, DID, Facts())
    assert (profile.points, profile.line_fen) == (0, 0)
    assert [f.reason for f in profile.factors] == [
        "没有还款记录",
        "还没有村民为您作证",
        "没有土地承包记录",
        "不是合作社社员",
    ]


def test_repayment_counts_on_time_loans_minus_late_ones_within_its_cap() -> None:
    assert _by_id(Facts(repayments=[repaid(2, 2)]))["repayment"] == (20, "按时还清2笔贷款")
    assert _by_id(Facts(repayments=[repaid(3, 2)]))["repayment"] == (5, "按时还清2笔贷款，1笔逾期")
    assert _by_id(Facts(repayments=[repaid(1, 0)]))["repayment"][0] == 0  # never below zero
    assert _by_id(Facts(repayments=[repaid(3, 3), repaid(4, 4)]))["repayment"] == (40, "按时还清7笔贷款（最多40分）")
    assert _by_id(Facts(repayments=[repaid(2, 2, owed=30_000_000)]))["repayment"] == (
        0,
        "还欠30万元，超过20万元，这一项不计分",
    )


def test_attestations_count_each_attester_once_within_the_cap() -> None:
    assert _by_id(Facts(attesters={"a", "b"}))["attestations"] == (10, "2位村民为您作证")
    many = {str(i) for i in range(6)}
    assert _by_id(Facts(attesters=many))["attestations"] == (20, "6位村民为您作证（最多20分）")


def test_land_is_summed_as_decimals_and_capped() -> None:
    assert _by_id(Facts(land=[land("3.25"), land(2)]))["land"] == (10, "承包土地5.25亩")
    assert _by_id(Facts(land=[land(30)]))["land"] == (20, "承包土地30亩（最多20分）")


def test_the_line_is_points_times_fen_rounded_capped_and_needs_a_minimum() -> None:
    facts = Facts(repayments=[repaid(2, 2)], land=[land("3.5")], coops=[COOP], attesters={"a"})
    profile = score(CARD, DID, facts)
    assert profile.points == 20 + 5 + 7 + 10
    assert profile.line_fen == 42 * 300_000
    assert score(CARD, DID, Facts(coops=[COOP])).line_fen == 0  # 10 points: under the minimum of 20
    rich = Facts(repayments=[repaid(9, 9)], land=[land(99)], coops=[COOP], attesters={str(i) for i in range(9)})
    assert score(CARD, DID, rich).line_fen == 27_000_000  # 90 points × 3000元
    text = (
        packaged_scorecard().replace("max_fen = 30000000", "max_fen = 25050000").replace("version = 1", "version = 2")
    )
    smaller = parse_scorecard(text)
    assert smaller.version == 2 and score(smaller, DID, rich).line_fen == 25_000_000  # capped, then whole 1000元


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("version = 1", "version = 0"), "version"),
        (("points_per_late = -15", "points_per_late = 15"), "points_per_late"),
        (("points_per_mu = 2", "points_per_mu = 2\nweight = 3"), "weight"),
        (("[factors.cooperative]", "[factors.coop]"), "factors"),
        (("cap = 40", "cap = '40'"), "cap"),
        (('id = "lankao-farmer"', "id = ["), "not TOML"),
    ],
)
def test_a_bad_scorecard_is_refused_with_what_is_wrong(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        parse_scorecard(packaged_scorecard().replace(*change, 1))


@pytest.mark.parametrize(
    "records",
    [
        {"people": {}},
        {"villagers": {"not-a-did": {}}},
        {"villagers": {DID: {"salary": []}}},
        {"villagers": {DID: {"land_contract": [land("-2")]}}},
        {"villagers": {DID: {"loan_repayment": [{**repaid(1, 1), "outstanding_fen": 1.5}]}}},
    ],
)
def test_bad_records_are_refused(records: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        load_records(records)


# --- from a real ledger ----------------------------------------------------------------------------------------


def _attest(core: Core, attester: str, subject: str, expires_s: int) -> bytes:
    signer = core.keystore.unlock(attester, PIN, core.time.now)
    body = {"attester": attester, "subject": subject, "credential": "a" * 64, "relation": "邻居",
            "statement_sha256": "b" * 64, "expires_s": expires_s}  # fmt: skip
    dev = core.device
    env = envm.build(
        "attest.peer", county=dev.county_id, kiosk=dev.kiosk_id, seq=1, when=core.time.now(), body=body,
        signers=[envm.RoleSigner(envm.SignerRole.VILLAGER, didm.key_id(attester, 0), signer),
                 envm.RoleSigner(envm.SignerRole.DEVICE, device_kid(dev.county_id, dev.kiosk_id), core.device_signer)],
    )  # fmt: skip
    signer.wipe()
    return env.to_bytes()


def test_profiles_from_the_ledger_and_the_registers(core: Core, tmp_path: Path, clock: FakeClock) -> None:
    subject = enrol_someone(core, PIN)
    friends = [enrol_someone(core, PIN, card=make_card(name=f"邻居{i}", serial=f"70{i}")) for i in range(3)]
    now_s = int(core.time.now().at.timestamp())
    ed = get_suite("ed25519")
    ledger = SqliteLedger(tmp_path / "ledger.sqlite3", "410225", ed.signer(ed.generate()))
    txs = [_attest(core, friends[0], subject, now_s + 1000), _attest(core, friends[0], subject, now_s + 2000)]
    txs += [_attest(core, friends[1], subject, now_s + 1000), _attest(core, friends[2], subject, now_s - 1)]
    txs.append(_attest(core, subject, subject, now_s + 1000))  # nobody vouches for themselves
    for raw in txs:
        ledger.submit(envm.parse(raw).id, raw)
    ledger.flush(0, force=True)
    facts = read_ledger(LedgerReader(tmp_path / "ledger.sqlite3"), now_s)
    assert facts.attesters[subject] == {friends[0], friends[1]}  # twice counts once; the expired one not at all
    records = load_records({"villagers": {subject: {"coop_membership": [COOP], "land_contract": [land(5)]}}})
    ((kiosk, profile),) = profiles(CARD, records, facts, [subject])
    assert kiosk == core.device.kiosk_id
    assert (profile.points, profile.line_fen) == (10 + 10 + 10, 30 * 300_000)
    with pytest.raises(ConfigError, match="no committed transaction"):
        profiles(CARD, records, facts, [DID])
    ledger.close()
    # the command, without a broker: the inbox items it would send
    (tmp_path / "records.json").write_text(json.dumps({"villagers": {}}), encoding="utf-8")
    args = credit_args(tmp_path, subject)
    assert run_credit(args) == 0


def credit_args(tmp_path: Path, did: str) -> Any:
    from sync.county.cli import build_parser

    return build_parser().parse_args(
        ["credit", "--ledger", str(tmp_path / "ledger.sqlite3"), "--records", str(tmp_path / "records.json"),
         "--did", did, "--county", "410225", "--dry-run"]
    )  # fmt: skip


# --- the kiosk's reader ----------------------------------------------------------------------------------------


def _deliver(core: Core, item_id: str, payload: dict[str, Any]) -> None:
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, 'credit_profile', ?, 1)",
            (item_id, canonical.dumps(payload).decode("utf-8")),
        )


def test_the_kiosk_shows_the_newest_profile_with_why_and_how_fresh(core: Core) -> None:
    facts = Facts(repayments=[repaid(2, 2)], coops=[COOP])
    did = enrol_someone(core, PIN)
    old = score(CARD, did, Facts(coops=[COOP])).payload(CARD, 1_000)
    new = score(CARD, did, facts).payload(CARD, 5 * DAY_MS)
    for i, payload in enumerate([new, old, {**new, "did": DID, "computed_ms": 9 * DAY_MS}, {"did": did}]):
        _deliver(core, f"c{i}", payload)
    with core.db.transaction() as conn:
        profile = newest(conn, did)
        assert newest(conn, "did:lxt:410225:" + "3" * 16) is None  # none for this villager: nothing to show
    assert profile is not None and profile.line_fen == 30 * 300_000 and profile.scorecard_version == 1
    assert profile.line_words() == "预授信额度9万元"
    assert profile.freshness(5 * DAY_MS + 3_600_000) == "今天更新"
    assert profile.freshness(8 * DAY_MS) == "3天前更新" and not profile.stale(8 * DAY_MS)
    assert profile.stale(100 * DAY_MS) and profile.freshness(100 * DAY_MS).endswith("可能已经过时，县里更新后会再发来")
    assert explain(profile) == [
        "还款记录：20分（满分40）：按时还清2笔贷款",
        "村民互证：0分（满分20）：还没有村民为您作证",
        "承包土地：0分（满分20）：没有土地承包记录",
        "合作社社员：10分（满分10）：张庄蒜业合作社社员",
        "合计30分，预授信额度9万元（兰考县农户信用评分卡第1版）",
    ]


def test_a_malformed_profile_is_ignored(core: Core) -> None:
    did = enrol_someone(core, PIN)
    good = score(CARD, did, Facts()).payload(CARD, 1)
    _deliver(core, "m1", {**good, "line_fen": -5, "computed_ms": 9})
    _deliver(core, "m2", {**good, "factors": [{"id": "x"}], "computed_ms": 8})
    with core.db.transaction() as conn:
        assert newest(conn, did) is None
    assert credit.INBOX_KIND == "credit_profile"
