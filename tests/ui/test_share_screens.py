"""出示证明 and 互证 on screen with fake devices: the Alice scenario, refusals, PIN privacy, a peer attestation."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QImage

from drivers.qr import ZbarQrScanner
from kiosk.credentials import status as statusm
from kiosk.credentials import trust as trustm
from kiosk.credentials.request import parse_request
from kiosk.credentials.verifier import verify_presentation
from kiosk.ports import Frame
from tests.ui.conftest import PIN, Kiosk
from tests.ui.proof_helpers import county, enrol, hold_up, sign_in_through, tap_pin
from ui.screens.attest import AttestPinScreen, AttestRelationScreen, AttestStatementScreen
from ui.screens.share import ShareChooseScreen, ShareDoneScreen, SharePinScreen
from ui.viewmodels.proofdesk import ProofDesk

pytestmark = pytest.mark.ui


def _decode(widget: ShareDoneScreen) -> str:
    """Read the QR the screen shows, as the verifier's phone would: grab it and run the kiosk's own scanner."""
    image = widget.qr.grab().toImage().convertToFormat(QImage.Format.Format_BGR888)
    w, h = image.width(), image.height()
    raw = bytes(image.constBits())
    stride = image.bytesPerLine()
    pixels = b"".join(raw[y * stride : y * stride + w * 3] for y in range(h))
    scanner = ZbarQrScanner()
    try:
        [payload] = scanner.decode(Frame(w, h, pixels, 0, 0))
    finally:
        scanner.close()
    assert payload.text is not None
    return payload.text


def _no_pin_spoken(k: Kiosk) -> None:
    said = list(k.speaker.said)
    assert said, "the screens spoke nothing"
    assert not any(PIN in s or PIN[:3] in s for s in said)
    assert not any(s.strip().isdigit() for s in said)


def test_alice_is_offered_only_her_tier3_exam_and_the_shown_qr_verifies(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    desk = ProofDesk(k.services.core)
    holder = c.holder(did)
    desk.import_qr(did, c.exam(holder, "望京医院")[0])
    desk.import_qr(did, c.exam(holder, "惠兰医院")[0])
    request = c.request()
    sign_in_through(k, "share")
    k.on("share_scan")
    hold_up(k, request)
    k.on("share_choose")
    screen = k.cur
    assert isinstance(screen, ShareChooseScreen)
    assert screen.title.text() == "交通局 要看：体检结论、体检日期、医院名称"
    offered = [card for card in screen.cards if card.isVisible()]
    assert [card.issuer.text().split(" · ")[0] for card in offered] == ["望京医院"]  # 惠兰医院 is 二甲
    assert k.speaker.said[-1].startswith("交通局 要看：体检结论、体检日期、医院名称")
    offered[0].click()
    k.on("share_pin")
    pin_screen = k.cur
    assert isinstance(pin_screen, SharePinScreen)
    assert "交通局将看到：体检结论、体检日期、医院名称" in k.speaker.said[-1]  # the preview, read in full
    tap_pin(pin_screen, pin_screen.keypad, PIN)
    k.on("share_done")
    done = k.cur
    assert isinstance(done, ShareDoneScreen)
    presentation = _decode(done)
    core = k.services.core
    trust = trustm.load(core.db.conn)
    assert trust is not None
    ask = parse_request(request, trust, now_s=c.now_s()).payload
    shown = verify_presentation(
        presentation,
        trust=trust,
        lists=statusm.load(core.db.conn),
        nonce=ask.nonce,
        aud=ask.aud,
        now_s=c.now_s(),
        request=ask,
    )
    assert set(shown.claims) == {"conclusion", "date", "hospital"}  # nothing more than was asked
    assert shown.issuer_name == "望京医院"
    receipts = [
        json.loads(bytes(row[0]))["body"]
        for row in core.db.read("SELECT envelope FROM outbox WHERE type = 'consent.receipt'")
    ]
    assert [r["claims"] for r in receipts] == [["conclusion", "date", "hospital"]]
    _no_pin_spoken(k)
    done.primary.click()  # 办好了
    k.on("villager_home")


def test_nothing_qualifies_says_so_and_what_to_do(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    ProofDesk(k.services.core).import_qr(did, c.exam(c.holder(did), "惠兰医院")[0])
    sign_in_through(k, "share")
    k.on("share_scan")
    hold_up(k, c.request())
    k.on("share_outcome")
    assert k.cur.error.text() == "您没有对方要的证明"  # type: ignore[attr-defined]
    assert "开证明" in k.cur.next_step.text()  # type: ignore[attr-defined]
    assert "您没有对方要的证明" in k.speaker.said[-1]
    assert k.cur.primary.text() == "再扫一次"


def test_a_wrong_pin_keeps_the_preview_and_says_the_tries_left(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    ProofDesk(k.services.core).import_qr(did, c.exam(c.holder(did))[0])
    sign_in_through(k, "share")
    k.on("share_scan")
    hold_up(k, c.request())
    k.on("share_choose")
    next(card for card in k.cur.cards if card.isVisible()).click()  # type: ignore[attr-defined]
    k.on("share_pin")
    screen = k.cur
    assert isinstance(screen, SharePinScreen)
    tap_pin(screen, screen.keypad, "246813")
    vm = k.window.proofs.share
    assert vm is not None
    k.wait(lambda: vm.state.error is not None and not vm.state.busy)
    assert screen.error.text() == "密码不对，还可以试4次"
    assert k.speaker.said[-1] == "密码不对，还可以试4次"
    _no_pin_spoken(k)


def test_idle_timeout_on_the_pin_screen_wipes_the_session(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    ProofDesk(k.services.core).import_qr(did, c.exam(c.holder(did))[0])
    sign_in_through(k, "share")
    k.on("share_scan")
    hold_up(k, c.request())
    k.on("share_choose")
    next(card for card in k.cur.cards if card.isVisible()).click()  # type: ignore[attr-defined]
    k.on("share_pin")
    session = k.window.session
    assert session is not None
    k.time.now += 81
    k.window.check_idle()
    assert k.screen == "home"
    assert k.window.session is None and k.window.proofs.share is None
    assert session.signer is None and session.did == ""


def test_a_peer_attestation_from_card_to_pin(kiosk: Kiosk) -> None:
    k = kiosk
    enrol(k, 1)
    subject = enrol(k, 2)
    county(k)
    sign_in_through(k, "attest")
    k.on("attest_card")
    assert k.speaker.said[-1].startswith("请对方把身份证放在感应区")
    from drivers.fake.people import DEMO_VILLAGERS

    k.reader.place(DEMO_VILLAGERS[2])
    k.on("attest_relation")
    relation = k.cur
    assert isinstance(relation, AttestRelationScreen)
    assert not relation.primary.isEnabled()  # nothing chosen yet
    assert len(relation.choices) <= 4
    relation.choices[0].click()  # 邻居
    relation.primary.click()
    k.on("attest_statement")
    statement = k.cur
    assert isinstance(statement, AttestStatementScreen)
    statement.choices[1].click()  # 他（她）确实住在本村
    statement.primary.click()
    k.on("attest_pin")
    pin = k.cur
    assert isinstance(pin, AttestPinScreen)
    assert pin.body.text() == "您证明：邻居，他（她）确实住在本村"
    tap_pin(pin, pin.keypad, PIN)
    k.on("attest_done")
    core = k.services.core
    [row] = core.db.read("SELECT envelope FROM outbox WHERE type = 'attest.peer'")
    body = json.loads(bytes(row[0]))["body"]
    assert body["subject"] == subject and body["relation"] == "邻居"
    assert [e.vct for e in ProofDesk(core).wallet.entries(subject)] == ["urn:lxt:vct:peer_attestation:1"]
    _no_pin_spoken(k)


def test_attestations_over_the_cap_are_refused_in_plain_words(kiosk: Kiosk) -> None:
    k = kiosk
    attester = enrol(k, 1)
    enrol(k, 2)
    county(k)
    cap = k.settings.credentials.max_peer_attestations
    with k.services.core.db.transaction() as conn:
        for i in range(cap):
            conn.execute(
                "INSERT INTO attestation_given (credential_id, attester, subject, issued_ms, expires_s) "
                "VALUES (?, ?, ?, 0, ?)",
                (f"{i:064x}", attester, "did:lxt:410225:someone", 4_000_000_000),
            )
    sign_in_through(k, "attest")
    k.on("attest_card")
    from drivers.fake.people import DEMO_VILLAGERS

    k.reader.place(DEMO_VILLAGERS[2])
    k.on("attest_outcome")
    assert k.cur.error.text() == f"您作证的人数已到上限（{cap}人）"  # type: ignore[attr-defined]
    assert f"您作证的人数已到上限（{cap}人）" in k.speaker.said[-1]
