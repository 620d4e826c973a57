"""出示证明 for a request that came through the inbox: offered on the scan screen, answered through the county."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.credentials.kinds import Vct
from kiosk.credentials.pending import INBOX_KIND, item_id_of
from kiosk.credentials.request import make_request, request_id
from kiosk.credentials.sealed import open_presentation
from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.flows.present import new_nonce
from kiosk.store import outbox
from tests.ui.conftest import PIN, Kiosk
from tests.ui.proof_helpers import enrol, sign_in_through, tap_pin
from ui.demo_county import JTJ, DemoCounty
from ui.screens.share import ShareChooseScreen, ShareDoneScreen, SharePinScreen, ShareScanScreen
from ui.viewmodels.proofdesk import ProofDesk

pytestmark = pytest.mark.ui


class SealingCounty(DemoCounty):
    """The demo county, with 交通局 holding an encryption key so it may ask for delivery through the county."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.jtj_enc = X25519PrivateKey.generate()

    def trust_payload(self) -> dict[str, Any]:
        payload = super().trust_payload()
        raw = self.jtj_enc.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        payload["verifiers"][0]["enc"] = b64u(raw)
        return payload

    def send(self, did: str) -> str:
        now = self.now_s()
        payload = {
            "iss": JTJ,
            "purpose": "驾驶证体检",
            "vct": Vct.HEALTH_EXAM.value,
            "claims": ["conclusion", "date", "hospital"],
            "accept": {"issuers": [], "grades": ["三甲"]},
            "nonce": new_nonce(),
            "aud": JTJ,
            "iat": now,
            "exp": now + 3600,
            "response": "county",
        }
        token = make_request(payload, self.jtj, "jtj-1")
        with self.core.db.transaction() as conn:
            conn.execute(
                "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, ?, ?, ?)",
                (
                    item_id_of(token),
                    INBOX_KIND,
                    canonical.dumps({"holder": did, "request": token}).decode(),
                    now * 1000,
                ),
            )
        return token


def test_an_inbox_request_is_chosen_answered_and_sent_through_the_county(kiosk: Kiosk) -> None:
    k = kiosk
    did = enrol(k)
    c = SealingCounty(k.services.core)
    c.broadcast()
    ProofDesk(k.services.core).import_qr(did, c.exam(c.holder(did), "望京医院")[0])
    token = c.send(did)
    sign_in_through(k, "share")
    k.on("share_scan")
    scan = k.cur
    assert isinstance(scan, ShareScanScreen)
    k.wait(lambda: scan.asks[0].isVisible(), what="the inbox request offered")
    assert scan.asks[0].text() == "交通局 请你出示体检报告：驾驶证体检"
    assert not scan.asks[1].isVisible()
    scan.asks[0].click()
    k.on("share_choose")
    choose = k.cur
    assert isinstance(choose, ShareChooseScreen)
    [card] = [card for card in choose.cards if card.isVisible()]
    card.click()
    k.on("share_pin")
    pin_screen = k.cur
    assert isinstance(pin_screen, SharePinScreen)
    tap_pin(pin_screen, pin_screen.keypad, PIN)
    k.on("share_done")
    done = k.cur
    assert isinstance(done, ShareDoneScreen)
    assert done.title.text() == "已发送，联网后自动送到"
    assert not done.qr.isVisible()  # nothing to scan: it travels sealed

    core = k.services.core
    [(tx_id, raw)] = core.db.read("SELECT id, envelope FROM outbox WHERE type = 'presentation.deliver'")
    body = json.loads(bytes(raw))["body"]
    opened = open_presentation(body["sealed"], c.jtj_enc, request_id(token))
    assert opened.request == token
    with core.db.transaction() as conn:  # the county committed it (lxt-sync stores the verified receipt)
        outbox.mark_committed(conn, str(tx_id), b"{}", c.now_s() * 1000)
    k.wait(lambda: done.title.text() == "已送到", timeout_s=10, what="已送到")

    done.primary.click()  # 办好了
    k.on("villager_home")
    k.window.proofs.open("share")
    k.on("share_scan")
    again = k.cur
    assert isinstance(again, ShareScanScreen)
    k.wait(lambda: not again.state_line.text().startswith("正在核对"), what="the scan screen settled")
    assert not any(b.isVisible() for b in again.asks)  # answered: not offered again
    assert ProofDesk(core).pending_requests(did) == ()
