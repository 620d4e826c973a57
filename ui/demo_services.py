"""A made-up county's government services, credit profile and answers, for the tour and the screens' tests.

Stands in for what reaches a kiosk from outside: the county's `services` catalog broadcast (stored as lxt-sync
stores it once its signature is checked; the offices' keys fresh each run), a real-name credential the county
issued to the villager, a `credit_profile` inbox item, and the offices' `service_status` answers. Nobody here is
real.
"""

from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.core import Core
from kiosk.credentials import jose, sdjwt
from kiosk.credentials.kinds import Vct
from kiosk.credentials.wallet import Source, Wallet
from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import get_suite

REAL_NAME = Vct.REAL_NAME.value
ALLOWANCE, TAX_CERT, PENSION = "disability-allowance", "tax-certificate", "pension-qualification"
DAY_MS = 86_400_000
ID_ISSUER = "did:web:gongan.lankao.example"


def _words(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _prefill(fid: str, zh: str, en: str, claim: str, ftype: str = "text") -> dict[str, Any]:
    return {"id": fid, "type": ftype, "label": _words(zh, en), "prefill": {"vct": REAL_NAME, "claim": claim}}


def _choice(fid: str, zh: str, en: str, choices: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "id": fid,
        "type": "choice",
        "label": _words(zh, en),
        "choices": [{"value": v, "label": _words(label, v)} for v, label in choices],
    }


def catalog(keys: dict[str, X25519PrivateKey]) -> dict[str, Any]:
    """Three offices and their services: the disability allowance (a form with materials), the tax certificate
    (a form only) and the yearly pension check (a face check)."""

    def key(office: str) -> str:
        return b64u(keys[office].public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    allowance = {
        "id": ALLOWANCE,
        "office": "lankao-dpf",
        "name": _words("残疾人两项补贴", "Disability living allowances"),
        "summary": _words("困难残疾人生活补贴和重度残疾人护理补贴的申请", "Living and care allowances"),
        "fields": [
            _prefill("name", "姓名", "Name", "name"),
            _prefill("region", "户籍地", "Registered residence", "region"),
            {"id": "card_no", "type": "text", "label": _words("残疾人证号", "Card number"), "min": 20, "max": 22},
            _choice(
                "category",
                "残疾类别",
                "Kind",
                [("vision", "视力"), ("hearing", "听力"), ("speech", "言语"), ("physical", "肢体"), ("mental", "精神")],
            ),
            _choice("grade", "残疾等级", "Grade", [("g1", "一级"), ("g2", "二级"), ("g3", "三级"), ("g4", "四级")]),
            {"id": "low_income", "type": "yes_no", "label": _words("是否低保家庭", "Low-income household")},
            {
                "id": "phone",
                "type": "text",
                "label": _words("联系电话", "Phone"),
                "required": False,
                "min": 11,
                "max": 11,
            },
        ],
        "materials": [{"id": "card", "name": "残疾人证"}, {"id": "household", "name": "户口簿本人页"}],
        "outcome": "approved",
    }
    tax = {
        "id": TAX_CERT,
        "office": "lankao-tax",
        "name": _words("开具完税证明", "Tax payment certificate"),
        "summary": _words("开具个人已缴税费的证明", "A certificate of the taxes paid"),
        "fields": [
            _prefill("name", "姓名", "Name", "name"),
            {"id": "tax_year", "type": "integer", "label": _words("哪一年的", "Tax year"), "min": 2015, "max": 2035},
            _choice("tax_kind", "税费种类", "Kind", [("iit", "个人所得税"), ("social", "城乡居民社会保险费")]),
        ],
        "outcome": "issued",
    }
    pension = {
        "id": PENSION,
        "office": "lankao-hrss",
        "name": _words("养老待遇资格认证", "Yearly pension check"),
        "summary": _words("每年一次，对着摄像头刷脸即可", "Once a year: a live face check"),
        "kind": "face_check",
        "tx": "pension.proof_of_life",
    }
    offices = [
        ("lankao-dpf", "兰考县残联", "Lankao Disabled Persons' Federation", "河南省兰考县"),
        ("lankao-tax", "兰考县税务局", "Lankao Tax Bureau", ""),
        ("lankao-hrss", "兰考县社保局", "Lankao Social Security Bureau", "河南省兰考县"),
    ]
    return {
        "offices": [
            {"id": o, "name": _words(zh, en), "key": key(o), "region": region} for o, zh, en, region in offices
        ],
        "services": [allowance, tax, pension],
    }


def office_keys() -> dict[str, X25519PrivateKey]:
    return {o: X25519PrivateKey.generate() for o in ("lankao-dpf", "lankao-tax", "lankao-hrss")}


def broadcast_services(core: Core, keys: dict[str, X25519PrivateKey] | None = None) -> dict[str, X25519PrivateKey]:
    """The services catalog as lxt-sync stores it once checked; the offices' private keys."""
    keys = keys or office_keys()
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES ('services', 1, ?, 0) "
            "ON CONFLICT (kind) DO UPDATE SET version = version + 1, payload = excluded.payload",
            (canonical.dumps(catalog(keys)).decode(),),
        )
    return keys


def give_real_name(core: Core, did: str, name: str) -> None:
    """The real-name credential the county's identity office issued at enrolment, in the villager's wallet."""
    wallet = Wallet(core.db, core.device.secret)
    if wallet.entries(did, REAL_NAME):
        return
    ed = get_suite("ed25519")
    issuer = ed.signer(ed.generate())
    stored = core.keystore.get(did)
    now_s = int(core.time.now().at.timestamp())
    claims = {
        "name": name,
        "sex": "女",
        "ethnicity": "汉",
        "birth_date": "1958-03-12",
        "region": "河南省兰考县东坝头乡张庄村",
        "age_over_18": True,
        "age_over_60": True,
        "id_number_hash": "cd" * 32,
    }
    token = sdjwt.issue(
        signer=issuer,
        iss=ID_ISSUER,
        kid="id-2026",
        vct=REAL_NAME,
        claims=claims,
        holder_jwk=jose.public_jwk(stored.suite, stored.public_key),
        iat=now_s - 60,
        exp=None,
    )
    jwk = jose.public_jwk(issuer.suite.name, issuer.public_key)
    verified = sdjwt.verify(token, lambda _i, _k, _v: jwk, now_s=now_s)
    with core.db.transaction() as conn:
        wallet.add(conn, verified, holder=did, issuer_name="兰考县公安局", source=Source.INBOX, now_ms=now_s * 1000)


def _inbox(core: Core, kind: str, payload: dict[str, Any]) -> None:
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, ?, ?, ?)",
            (secrets.token_hex(8), kind, canonical.dumps(payload).decode(), _now_ms(core)),
        )


def _now_ms(core: Core) -> int:
    return int(core.time.now().at.timestamp() * 1000)


def deliver_credit_profile(core: Core, did: str, *, age_days: int = 3, line_fen: int = 8_000_000) -> None:
    """The county's scorecard result for `did`, computed `age_days` ago."""
    factors = [
        ("repayment", "还款记录", 30, 40, "按时还清2笔贷款"),
        ("attestations", "乡亲互证", 10, 20, "2位乡亲为您作证"),
        ("land", "承包土地", 15, 20, "承包土地6.5亩"),
        ("cooperative", "合作社", 10, 20, "张庄蜜瓜合作社社员"),
    ]
    payload = {
        "did": did,
        "line_fen": line_fen,
        "points": sum(f[2] for f in factors),
        "computed_ms": _now_ms(core) - age_days * DAY_MS,
        "scorecard": {"id": "lankao-credit", "name": "兰考县农户信用评价", "version": 2},
        "factors": [{"id": i, "name": n, "points": p, "cap": c, "reason": r} for i, n, p, c, r in factors],
    }
    _inbox(core, "credit_profile", payload)


def office_answers(core: Core, request: str, did: str, status: str, **extra: Any) -> None:
    """An office's service_status answer, as lxt-sync stores it in the inbox."""
    _inbox(core, "service_status", {"request": request, "did": did, "status": status, "at_ms": _now_ms(core), **extra})


def pension_answer(core: Core, tx_id: str, did: str, next_due: str = "2027-06-30") -> None:
    """The social security bureau's answer to a pension check (its `request` is the transaction id)."""
    words = f"认证成功，请在{next_due[:4]}年{int(next_due[5:7])}月底前再来认证"
    office_answers(core, tx_id, did, "approved", service="pension.proof_of_life", reason=words, next_due=next_due)
