"""A loan catalog, a bank key and credentials for a villager enrolled on a test kiosk (unit and integration)."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.core import Core
from kiosk.credentials import jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Source, Wallet, WalletEntry
from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import Signer, get_suite

ED = get_suite("ed25519")
ISSUER = "did:web:gongan.lankao.gov.cn"
ISSUER_KID = "county-id-2026"
BANK_ID = "lankao-rcb"


def bank_public(private: X25519PrivateKey) -> str:
    return b64u(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def catalog_payload(bank_key: X25519PrivateKey, **product: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "huinong-01",
        "bank": BANK_ID,
        "name": "惠农贷",
        "purpose": "种植、养殖、农资",
        "amount_min_fen": 3_000_000,
        "amount_max_fen": 200_000_000,
        "term_months": [6, 12, 24, 36],
        "rate_bp": 435,
        "credentials": [{"vct": Vct.REAL_NAME.value, "claims": ["name", "age_over_18", "region"]}],
        "materials": [{"id": "land_photo", "name": "土地承包合同"}],
        "eligibility": [{"rule": "adult"}, {"rule": "region", "prefix": "河南省兰考县"}],
        "withdrawn": False,
    }
    base.update(product)
    return {"banks": [{"id": BANK_ID, "name": "兰考农商银行", "key": bank_public(bank_key)}], "products": [base]}


def trust_payload(issuer: Signer) -> dict[str, Any]:
    """The issuer entry the bank needs to check a real-name presentation."""
    return {"issuer": ISSUER, "kid": ISSUER_KID, "jwk": jose.public_jwk(issuer.suite.name, issuer.public_key)}


def put_catalog(core: Core, payload: dict[str, Any], version: int = 1) -> None:
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES ('catalog', ?, ?, 0) "
            "ON CONFLICT (kind) DO UPDATE SET version = excluded.version, payload = excluded.payload",
            (version, canonical.dumps(deepcopy(payload)).decode()),
        )


REAL_NAME = {
    "name": "张秀兰",
    "sex": "女",
    "ethnicity": "汉",
    "birth_date": "1958-03-12",
    "region": "河南省兰考县东坝头乡张庄村",
    "age_over_18": True,
    "age_over_60": True,
    "id_number_hash": "ab" * 32,
}


def give_credential(
    core: Core, wallet: Wallet, did: str, issuer: Signer, claims: dict[str, Any] | None = None, now_s: int = 0
) -> WalletEntry:
    """Issue a real-name credential bound to the villager's key and put it in their wallet."""
    stored = core.keystore.get(did)
    now_s = now_s or int(core.time.now().at.timestamp())
    token = sdjwt.issue(
        signer=issuer,
        iss=ISSUER,
        kid=ISSUER_KID,
        vct=Vct.REAL_NAME.value,
        claims=claims or REAL_NAME,
        holder_jwk=jose.public_jwk(stored.suite, stored.public_key),
        iat=now_s - 60,
        exp=None,
    )
    jwk = jose.public_jwk(issuer.suite.name, issuer.public_key)
    verified = sdjwt.verify(token, lambda _i, _k, _v: jwk, now_s=now_s)
    with core.db.transaction() as conn:
        return wallet.add(
            conn, verified, holder=did, issuer_name="兰考县公安局", source=Source.INBOX, now_ms=now_s * 1000
        )
