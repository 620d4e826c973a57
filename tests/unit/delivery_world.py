"""The credential test county with a traffic bureau that has an encryption key: requests through the inbox."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.core import Core
from kiosk.credentials.kinds import Vct
from kiosk.credentials.pending import INBOX_KIND, item_id_of
from kiosk.credentials.request import make_request
from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.flows.present import new_nonce
from tests.unit.credential_world import JTJ, County


class DeliveryCounty(County):
    """交通局 holds an X25519 key; its trust list entry carries `enc`, so it may ask for delivery by the county."""

    def __init__(self, core: Core, *, with_enc: bool = True) -> None:
        super().__init__(core)
        self.jtj_enc = X25519PrivateKey.generate()
        self.with_enc = with_enc

    def trust_payload(self) -> dict[str, Any]:
        payload = super().trust_payload()
        if self.with_enc:
            raw = self.jtj_enc.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            payload["verifiers"][0]["enc"] = b64u(raw)
        return payload

    def ask(self, *, response: str = "county", lifetime: int = 3600, purpose: str = "驾驶证体检") -> str:
        payload = {
            "iss": JTJ,
            "purpose": purpose,
            "vct": Vct.HEALTH_EXAM.value,
            "claims": ["conclusion", "date", "hospital"],
            "accept": {"issuers": [], "grades": ["三甲"]},
            "nonce": new_nonce(),
            "aud": JTJ,
            "iat": self.now_s(),
            "exp": self.now_s() + lifetime,
            "response": response,
        }
        return make_request(payload, self.jtj, "jtj-1")

    def to_inbox(self, did: str, token: str) -> str:
        """Store the request as lxt-sync stores an inbox delivery; returns the item id."""
        item = item_id_of(token)
        payload = canonical.dumps({"holder": did, "request": token}).decode()
        with self.core.db.transaction() as conn:
            conn.execute(
                "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (item, INBOX_KIND, payload, self.now_s() * 1000),
            )
        return item
