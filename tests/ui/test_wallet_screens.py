"""我的证明 on screen with fake devices: cards with their status words, paging, detail, import by QR and refusals."""

from __future__ import annotations

import pytest

from drivers.fake.people import DEMO_VILLAGERS
from kiosk.credentials import sdjwt
from kiosk.credentials.kinds import Vct
from tests.ui.conftest import Kiosk
from tests.ui.proof_helpers import county, enrol, hold_up, sign_in_through
from ui.demo_county import STATUS_URI
from ui.screens.wallet import WalletDetailScreen, WalletImportScreen, WalletListScreen
from ui.viewmodels.proofdesk import ProofDesk

pytestmark = pytest.mark.ui


def _cards(k: Kiosk) -> list[tuple[str, str, str]]:
    screen = k.cur
    assert isinstance(screen, WalletListScreen)
    return [(c.kind.text(), c.issuer.text(), c.status.word.text()) for c in screen.cards if c.isVisible()]


def _all_cards(k: Kiosk) -> list[tuple[str, str, str]]:
    screen = k.cur
    assert isinstance(screen, WalletListScreen)
    vm = k.window.proofs.wallet
    assert vm is not None
    k.wait(lambda: vm.state.loaded)
    seen = _cards(k)
    while screen.next.isVisible() and screen.next.isEnabled():
        screen.next.click()
        seen += _cards(k)
    return seen


def test_the_wallet_tile_signs_in_first_then_shows_cards_with_status_words(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    desk = ProofDesk(k.services.core)
    holder = c.holder(did)
    desk.import_qr(did, c.exam(holder)[0])
    desk.import_qr(did, c.land(holder)[0])
    token, idx = c.coop(holder)
    desk.import_qr(did, token)
    c.revoke(idx)
    home = k.window.screen_named("home")
    [tile] = [t for t in home.tiles if t.text() == "我的证明"]  # type: ignore[attr-defined]
    tile.click()
    k.on("signin_card")  # nobody is signed in: the card first
    sign_in_through(k, "wallet")
    k.on("wallet")
    cards = _all_cards(k)
    assert len(cards) == 3
    assert {(kind, word) for kind, _issuer, word in cards} == {
        ("合作社社员", "状态：已撤销"),  # revoked after it was kept: the word, its icon and colour say so
        ("土地承包", "状态：有效"),
        ("体检报告", "状态：有效"),
    }
    screen = k.cur
    assert isinstance(screen, WalletListScreen)
    assert screen.page.text() == "第2页，共2页"
    assert all(card.fresh.text().startswith("状态核对于") for card in screen.cards if card.isVisible())
    choices = [b for b in (*screen.cards, screen.prev, screen.next) if b.isVisible()]
    assert len(choices) <= 4


def test_the_detail_view_says_the_claims_in_plain_words(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    ProofDesk(k.services.core).import_qr(did, c.exam(c.holder(did))[0])
    sign_in_through(k, "wallet")
    k.on("wallet")
    vm = k.window.proofs.wallet
    assert vm is not None
    k.wait(lambda: vm.state.loaded)
    k.cur.cards[0].click()  # type: ignore[attr-defined]
    k.on("wallet_detail")
    screen = k.cur
    assert isinstance(screen, WalletDetailScreen)
    assert "体检结论：合格，可以驾驶" in screen.claims.text()
    assert "体检日期：2026年10月8日" in screen.claims.text()
    assert "各项检查结果：视力：5.0；血压：正常" in screen.claims.text()
    assert screen.issuer.text() == "开具单位：望京医院"
    assert screen.status.word.text() == "状态：有效"
    assert "合格" not in k.speaker.said[-1]  # the claims are shown, never spoken
    screen.primary.click()  # 回到我的证明
    k.on("wallet")


def test_import_by_qr_keeps_the_proof(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    sign_in_through(k, "wallet")
    k.on("wallet")
    k.cur.primary.click()  # 扫描证明二维码
    k.on("wallet_import")
    screen = k.cur
    assert isinstance(screen, WalletImportScreen)
    assert screen.preview.isVisible()
    hold_up(k, c.exam(c.holder(did))[0])
    vm = k.window.proofs.wallet
    assert vm is not None
    k.wait(lambda: vm.state.imported is not None, what="the import")
    assert screen.title.text() == "已保存到“我的证明”"
    assert screen.card.status.word.text() == "状态：有效"
    assert k.speaker.said[-1].startswith("已保存到“我的证明”")
    assert [e.issuer_name for e in ProofDesk(k.services.core).wallet.entries(did)] == ["望京医院"]


@pytest.mark.parametrize("why", ["not_bound", "untrusted_issuer", "revoked"])
def test_an_import_is_refused_with_its_reason_in_words(kiosk: Kiosk, why: str) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    holder = c.holder(did)
    if why == "not_bound":
        other = enrol(k, 2)
        token = c.exam(c.holder(other))[0]
        words = "这张证明不是开给您的"
    elif why == "untrusted_issuer":  # the township may issue land contracts, not health exams
        iss, kid, _grade, _vct = c.ISSUERS["东坝头乡政府"]
        now = c.now_s()
        claims = {"hospital": "东坝头乡", "hospital_grade": "三甲", "date": "2026-10-08", "conclusion": "合格"}
        token = sdjwt.issue(
            signer=c.keys["东坝头乡政府"],
            iss=iss,
            kid=kid,
            vct=Vct.HEALTH_EXAM.value,
            claims=claims,
            holder_jwk=holder.jwk,
            iat=now - 60,
            exp=now + 86_400,
            status=sdjwt.StatusRef(STATUS_URI, 99),
        )
        words = "出具单位不在信任名单上，不能收下"
    else:
        token, idx = c.exam(holder)
        c.revoke(idx)
        words = "证明已被出具单位撤销"
    sign_in_through(k, "wallet")
    k.on("wallet")
    k.cur.primary.click()
    k.on("wallet_import")
    hold_up(k, token)
    vm = k.window.proofs.wallet
    assert vm is not None
    k.wait(lambda: vm.state.error is not None, what="the refusal")
    screen = k.cur
    assert isinstance(screen, WalletImportScreen)
    assert screen.title.text() == "这张证明没有保存"
    assert screen.error.text() == words
    assert words in k.speaker.said[-1]
    assert screen.primary.text() == "再扫一次"
    assert ProofDesk(k.services.core).wallet.entries(did) == []


def test_idle_timeout_on_the_detail_view_wipes_the_session(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = county(k)
    ProofDesk(k.services.core).import_qr(did, c.exam(c.holder(did))[0])
    sign_in_through(k, "wallet")
    k.on("wallet")
    vm = k.window.proofs.wallet
    assert vm is not None
    k.wait(lambda: vm.state.loaded)
    k.cur.cards[0].click()  # type: ignore[attr-defined]
    k.on("wallet_detail")
    session = k.window.session
    assert session is not None
    k.time.now += 81
    k.window.check_idle()
    assert k.screen == "home"
    assert k.window.session is None and k.window.proofs.wallet is None
    assert session.signer is None
    assert DEMO_VILLAGERS[1].name not in k.cur.title.text()
