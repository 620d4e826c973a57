"""Queueing a loan application or its withdrawal: the transactions, the consent receipts and the local row,
in one database transaction, so a crash leaves all of it or none (the queueing shared with service requests is
kiosk/applications/submit.py; the withdrawal is the loan's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.applications.submit import Consent, queue, queue_consents, signers
from kiosk.crypto.suites import Signer
from kiosk.errors import UserFacingError
from kiosk.loans.catalog import Bank, Product
from kiosk.loans.drafts import DraftStore
from kiosk.store import audit

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


def queue_application(services: LoanServices, sub: Submission, signer: Signer, drafts: DraftStore) -> LoanReceipt:
    by = signers(services, signer, sub.did)
    consent = Consent(sub.did, sub.bank.id, sub.bank.name, f"{CONSENT_PURPOSE}：{sub.product.name}", sub.nonce)
    with services.db.transaction() as conn:
        env = queue(conn, services, "loan.apply", sub.body(), by)
        consents = queue_consents(conn, services, consent, sub.shown, sub.presentations, by)
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
    return LoanReceipt(sub.number, env.id, sub.product.name, sub.bank.name, sub.amount_fen, sub.term_months, consents)


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
            env = queue(conn, services, "loan.withdraw", body, signers(services, signer, did))
            conn.execute(
                "UPDATE loan_application SET withdraw_tx = ?, withdrawn_ms = ? WHERE number = ?",
                (env.id, env.ts, number),
            )
    finally:
        signer.wipe()
    return env.id
