"""The technician's pass: a good one opens the kiosk; every kind of bad one is refused with its reason, and audited."""

from __future__ import annotations

import pytest

from drivers.fake.clock import FakeClock
from kiosk.clock import to_ms
from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer, get_suite
from kiosk.store import audit
from kiosk.techpass import (
    ALL_KIOSKS,
    RefusalReason,
    TechnicianGate,
    TechPassRefused,
    issue_tech_pass,
    read_tech_pass,
)
from kiosk.tx.notice import NoticeKind, sign_notice
from kiosk.tx.verify import PublicKey

COUNTY, KIOSK = "410225", "dev-kiosk"
DAY = 24 * 3600 * 1000
NOW = 1_780_000_000_000
PASS_ID = "00112233aabbccdd"  # noqa: S105 — a pass id, not a secret


def _county() -> tuple[Signer, PublicKey]:
    suite = get_suite("ed25519")
    signer = suite.signer(suite.generate())
    return signer, PublicKey("ed25519", signer.public_key)


@pytest.fixture
def county() -> tuple[Signer, PublicKey]:
    return _county()


def _pass(signer: Signer, *, kiosks: tuple[str, ...] = (KIOSK,), start: int = NOW - DAY, days: int = 3) -> bytes:
    return issue_tech_pass(signer, COUNTY, "李师傅", kiosks, start, start + days * DAY, pass_id=PASS_ID)


def _refusal(payload: bytes, key: PublicKey | None, now: int = NOW, county: str = COUNTY) -> RefusalReason:
    with pytest.raises(TechPassRefused) as caught:
        read_tech_pass(payload, key, county, KIOSK, now)
    return caught.value.reason


def test_a_good_pass_opens_this_kiosk(county: tuple[Signer, PublicKey]) -> None:
    signer, key = county
    tech = read_tech_pass(_pass(signer), key, COUNTY, KIOSK, NOW)
    assert (tech.name, tech.pass_id, tech.county, tech.kiosks) == ("李师傅", "00112233aabbccdd", COUNTY, (KIOSK,))
    every = read_tech_pass(_pass(signer, kiosks=(ALL_KIOSKS,)), key, COUNTY, KIOSK, NOW)
    assert every.opens("another-kiosk")


def test_expired_and_not_yet_valid(county: tuple[Signer, PublicKey]) -> None:
    signer, key = county
    good = _pass(signer)
    assert _refusal(good, key, now=NOW + 2 * DAY) is RefusalReason.EXPIRED  # expires = start + 3 days
    assert _refusal(good, key, now=NOW - 2 * DAY) is RefusalReason.NOT_YET_VALID


def test_another_county_or_kiosk(county: tuple[Signer, PublicKey]) -> None:
    signer, key = county
    assert _refusal(_pass(signer, kiosks=("other-kiosk",)), key) is RefusalReason.OTHER_KIOSK
    assert _refusal(_pass(signer), key, county="410101") is RefusalReason.OTHER_COUNTY


def test_forged_passes(county: tuple[Signer, PublicKey]) -> None:
    signer, key = county
    stranger, _ = _county()
    assert _refusal(_pass(stranger), key) is RefusalReason.FORGED
    # The body changed after signing: a longer validity, say.
    data = canonical.loads(_pass(signer))
    data["body"]["expires"] += 30 * DAY
    assert _refusal(canonical.dumps(data), key) is RefusalReason.FORGED


def test_malformed_passes(county: tuple[Signer, PublicKey]) -> None:
    signer, key = county
    assert _refusal(b"https://example.org/not-a-pass", key) is RefusalReason.MALFORMED
    assert _refusal(b'{"kind": "tech_pass"}', key) is RefusalReason.MALFORMED  # not canonical
    # A genuine county command is not a pass: the kind is inside the signature.
    command = sign_notice(NoticeKind.COMMAND, COUNTY, NOW, {"op": "unlock"}, signer)
    assert _refusal(command, key) is RefusalReason.MALFORMED
    # Signed by the county, but with a body the kiosk does not take.
    body = {"pass_id": "00112233aabbccdd", "name": "", "kiosks": [KIOSK], "not_before": NOW, "expires": NOW + DAY}
    odd = sign_notice(NoticeKind.TECH_PASS, COUNTY, NOW, body, signer)
    assert _refusal(odd, key) is RefusalReason.MALFORMED
    assert _refusal(_pass(signer), None) is RefusalReason.NO_COUNTY_KEY


def test_the_console_side_refuses_to_sign_a_pass_the_kiosk_would_refuse(county: tuple[Signer, PublicKey]) -> None:
    signer, _ = county
    with pytest.raises(ValueError, match="92 days"):
        _pass(signer, days=100)
    with pytest.raises(ValueError, match="kiosk ids"):
        _pass(signer, kiosks=("Not A Kiosk",))


def test_the_gate_audits_entries_and_refusals(core: Core, clock: FakeClock, county: tuple[Signer, PublicKey]) -> None:
    signer, key = county
    now = to_ms(clock.now().at)
    gate = TechnicianGate(core.db, core.time, key, COUNTY, KIOSK)
    good = issue_tech_pass(signer, COUNTY, "李师傅", [KIOSK], now - DAY, now + DAY, pass_id=PASS_ID)
    tech = gate.admit(good)
    with pytest.raises(TechPassRefused, match="expired"):
        clock.advance(2 * 24 * 3600)
        gate.admit(good)
    with pytest.raises(TechPassRefused, match="not a technician pass"):
        gate.admit(b"\x00garbage")
    gate.left(tech, "exit")
    with core.db.transaction() as conn:
        rows = [e for e in audit.entries(conn) if e.action.startswith("technician.")]
        assert audit.verify(conn).ok
    assert [(e.action, e.actor, canonical.loads(e.detail.encode()).get("reason")) for e in rows] == [
        ("technician.admitted", "technician:00112233aabbccdd", None),
        ("technician.refused", "technician:00112233aabbccdd", "expired"),
        ("technician.refused", "technician:unknown", "malformed"),
        ("technician.left", "technician:00112233aabbccdd", None),
    ]
    assert not any("李师傅" in e.detail or "李师傅" in e.actor for e in rows)  # the name stays out of the log
