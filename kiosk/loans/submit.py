"""Queueing a loan application or its withdrawal: the transactions, the consent receipts and the local row,
in one database transaction, so a crash leaves all of it or none.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.crypto.suites import Signer
from kiosk.errors import UserFacingError
from kiosk.identity import did as didm
from kiosk.loans.catalog import Bank, Product
from kiosk.loans.drafts import DraftStore
from kiosk.store import audit, outbox
from kiosk.tx import envelope
from kiosk.tx.bodies import validate_body
from kiosk.tx.envelope import Envelope, RoleSigner, SignerRole
from kiosk.tx.verify import device_kid

if TYPE_CHECKING:
    from kiosk.flows.loan import LoanServices

CONSENT_PURPOSE = "贷款申请"


@dataclass(frozen=True, slots=True, repr=False)
class Submission:
    number: str
    did: str
    product: Product
    bank: Bank
    catalog_version: int
    purpose: str
    amount_fen: int
    term_months: int
    shown: tuple[tuple[str, str, list[str]], ...]  # (vct, credential id, claim names)
    presentations: tuple[str, ...]
    materials: tuple[tuple[str, str, int], ...]  # (material id, sha256, sharpness)
    nonce: str
    sealed: dict[str, str]

    def body(self) -> dict[str, Any]:
        return {
            "application": self.number,
            "did": self.did,
            "bank": self.bank.id,
            "product": self.product.id,
            "catalog_version": self.catalog_version,
            "amount_fen": self.amount_fen,
            "term_months": self.term_months,
            "purpose": self.purpose,
            "disclosures": [{"vct": v, "credential": c, "claims": claims} for v, c, claims in self.shown],
            "materials": [{"id": m, "sha256": h, "sharpness": s} for m, h, s in self.materials],
            "nonce": self.nonce,
            "sealed": self.sealed,
        }

    def __repr__(self) -> str:
        return f"Submission({self.number})"


@dataclass(frozen=True, slots=True)
class LoanReceipt:
    """What the receipt screen shows (and puts in its QR: the application number)."""

    number: str
    tx_id: str
    product_name: str
    bank_name: str
    amount_fen: int
    term_months: int
    consent_tx_ids: tuple[str, ...]


def _signers(services: LoanServices, signer: Signer, did: str) -> list[RoleSigner]:
    version = services.keystore.get(did).version
    dev = services.device
    return [
        RoleSigner(SignerRole.VILLAGER, didm.key_id(did, version), signer),
        RoleSigner(SignerRole.DEVICE, device_kid(dev.county_id, dev.kiosk_id), services.device_signer),
    ]


def _queue(
    conn: sqlite3.Connection, services: LoanServices, tx_type: str, body: dict[str, Any], signers: list[RoleSigner]
) -> Envelope:
    validate_body(tx_type, body)  # the county runs the same check: refuse here rather than be rejected there
    when = services.time.now()
    services.time.persist(conn)
    dev = services.device

    def build(seq: int) -> Envelope:
        return envelope.build(
            tx_type, county=dev.county_id, kiosk=dev.kiosk_id, seq=seq, when=when, body=body, signers=signers
        )

    return outbox.append(conn, build)


def _consent_body(sub: Submission, vct: str, cid: str, claims: list[str], presentation: str) -> dict[str, Any]:
    return {
        "did": sub.did,
        "verifier": sub.bank.id,
        "verifier_name": sub.bank.name,
        "purpose": f"{CONSENT_PURPOSE}：{sub.product.name}"[:60],
        "vct": vct,
        "credential": cid,
        "issuer": "see-credential",
        "claims": claims,
        "nonce": sub.nonce,
        "presentation_sha256": hashlib.sha256(presentation.encode("ascii")).hexdigest(),
        "delivery": "county",
    }


def queue_application(services: LoanServices, sub: Submission, signer: Signer, drafts: DraftStore) -> LoanReceipt:
    signers = _signers(services, signer, sub.did)
    with services.db.transaction() as conn:
        env = _queue(conn, services, "loan.apply", sub.body(), signers)
        consents = []
        for (vct, cid, claims), pres in zip(sub.shown, sub.presentations, strict=True):
            body = _consent_body(sub, vct, cid, claims, pres)
            body["issuer"] = services.wallet.get(sub.did, cid).issuer
            consents.append(_queue(conn, services, "consent.receipt", body, signers).id)
        conn.execute(
            "INSERT INTO loan_application (number, holder, tx_id, bank, bank_name, product, product_name, "
            "amount_fen, term_months, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *(sub.number, sub.did, env.id, sub.bank.id, sub.bank.name, sub.product.id, sub.product.name),
                *(sub.amount_fen, sub.term_months, env.ts),
            ),
        )
        drafts.wipe(conn, sub.did)
        audit.append(conn, services.time.now(), audit.AuditAction.CONSENT, sub.did, sub.did, {"loan.apply": env.id})
    return LoanReceipt(
        sub.number, env.id, sub.product.name, sub.bank.name, sub.amount_fen, sub.term_months, tuple(consents)
    )


def withdraw(services: LoanServices, did: str, number: str, pin: str) -> str:
    """Queue `loan.withdraw` for one of the villager's open applications, confirmed with the PIN; its tx id."""
    rows = services.db.read(
        "SELECT tx_id, withdraw_tx FROM loan_application WHERE number = ? AND holder = ?", (number, did)
    )
    if not rows:
        raise UserFacingError("loan.application.unknown")
    if rows[0][1] is not None:
        raise UserFacingError("loan.application.withdrawn")
    signer = services.keystore.unlock(did, pin, services.time.now)
    try:
        body = {"application": number, "did": did, "apply_tx": str(rows[0][0])}
        with services.db.transaction() as conn:
            env = _queue(conn, services, "loan.withdraw", body, _signers(services, signer, did))
            conn.execute(
                "UPDATE loan_application SET withdraw_tx = ?, withdrawn_ms = ? WHERE number = ?",
                (env.id, env.ts, number),
            )
    finally:
        signer.wipe()
    return env.id
