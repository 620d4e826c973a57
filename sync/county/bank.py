"""A simulated bank for the demo and tests: reads committed `loan.apply` / `loan.withdraw` from the ledger,
decides by simple rules, and answers through the applicant kiosk's inbox with signed `loan_status` notices.

Rules, in order (docs/protocol.md, "The simulated bank"):
1. The product must be in the bank's catalog and not withdrawn, and the amount and term within it; else rejected.
2. The sealed package must open with the bank's key; each presentation must verify (issuer key from the bank's
   trust file, key binding with the application's nonce and the bank id as audience) and disclose exactly the
   claims the product requires; else rejected.
3. A required material photo missing: more materials needed.
4. The product's eligibility rules on the disclosed claims; the first unmet one is the rejection reason.
5. Otherwise approved, for at most `auto_limit_fen` (the rest needs a loan officer, not simulated).
What the bank received (claim names and values per application) is kept in its state file, for the tests.

The lifecycle a villager meets: the pass that reads an application answers `received`, then `under_review`, then
the decision. An approved application waits in the state file's `disbursement` table (a table of its own, so a
state file from before it still opens), and the next pass answers it `disbursed` with the approved amount, once.
A rejected, more-materials or withdrawn application is never disbursed; a withdrawal read before the money goes
out takes an approval off the list.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.credentials import sdjwt
from kiosk.errors import KioskError
from kiosk.loans import eligibility
from kiosk.loans.catalog import Catalog, Product
from kiosk.loans.package import open_package
from kiosk.messages import MESSAGES
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import LoanApplyBody, LoanWithdrawBody, validate_body
from sync.county.ledger import LedgerReader
from sync.county.party import InboxAnswer, LedgerCursor

logger = logging.getLogger(__name__)
AUTO_LIMIT_FEN = 50_000_000  # 50万元


Answer = InboxAnswer  # its payload a loan_status inbox payload


class SimulatedBank:
    def __init__(
        self,
        bank_id: str,
        key: X25519PrivateKey,
        catalog: Catalog,
        issuer_jwks: Mapping[str, Mapping[str, Any]],
        state: Path,
        *,
        auto_limit_fen: int = AUTO_LIMIT_FEN,
    ) -> None:
        self.bank_id, self._key, self._catalog = bank_id, key, catalog
        self._issuers = issuer_jwks  # iss → JWK
        self._limit = auto_limit_fen
        self._db = sqlite3.connect(state, isolation_level=None)
        self._cursor = LedgerCursor(self._db)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS received (application TEXT PRIMARY KEY, did TEXT, kiosk TEXT, "
            "status TEXT, claims TEXT)"
        )
        # approvals waiting for the money to go out; disbursed_ms stays NULL until the pass that pays
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS disbursement (application TEXT PRIMARY KEY, did TEXT, kiosk TEXT, "
            "amount_fen INTEGER, disbursed_ms INTEGER)"
        )

    def close(self) -> None:
        self._db.close()

    def received_claims(self, application: str) -> dict[str, dict[str, Any]]:
        row = self._db.execute("SELECT claims FROM received WHERE application = ?", (application,)).fetchone()
        return {} if row is None else dict(json.loads(row[0]))

    def scan(self, ledger: LedgerReader, now_ms: int) -> list[Answer]:
        """Every committed block not read yet: the answers to each loan transaction of this bank; then
        `disbursed` for each approval of an earlier pass (one read in this pass waits for the next)."""
        # which approvals were waiting before this pass: those are paid now, unless withdrawn in the new blocks
        waiting = [
            str(r[0]) for r in self._db.execute("SELECT application FROM disbursement WHERE disbursed_ms IS NULL")
        ]
        out = self._cursor.scan(ledger, ("loan.apply", "loan.withdraw"), lambda env: self._one(env, now_ms))
        for number in waiting:
            out.extend(self._disburse(number, now_ms + 3))
        return out

    def _disburse(self, application: str, at_ms: int) -> list[Answer]:
        row = self._db.execute(
            "SELECT did, kiosk, amount_fen FROM disbursement WHERE application = ? AND disbursed_ms IS NULL",
            (application,),
        ).fetchone()
        if row is None:  # withdrawn (or decided again) in this pass
            return []
        self._db.execute("UPDATE disbursement SET disbursed_ms = ? WHERE application = ?", (at_ms, application))
        self._db.execute("UPDATE received SET status = 'disbursed' WHERE application = ?", (application,))
        logger.info("loan application %s: disbursed", application)
        did, kiosk, amount = str(row[0]), str(row[1]), int(row[2])
        return [Answer(kiosk, {**_status(application, did, "disbursed", at_ms), "amount_fen": amount})]

    def _one(self, env: envm.Envelope, now_ms: int) -> list[Answer]:
        body = validate_body(env.type, env.body)
        if isinstance(body, LoanWithdrawBody):
            self._db.execute("UPDATE received SET status = 'withdrawn' WHERE application = ?", (body.application,))
            self._forget_pending(body.application)
            return [Answer(env.kiosk, _status(body.application, body.did, "withdrawn", now_ms))]
        if not isinstance(body, LoanApplyBody) or body.bank != self.bank_id:
            return []
        received = Answer(env.kiosk, _status(body.application, body.did, "received", now_ms))
        status, extra, claims = self._decide(body, env.ts // 1000)
        self._db.execute(
            "INSERT OR REPLACE INTO received (application, did, kiosk, status, claims) VALUES (?, ?, ?, ?, ?)",
            (body.application, body.did, env.kiosk, status, json.dumps(claims, ensure_ascii=False)),
        )
        self._forget_pending(body.application)
        if status == "approved":
            self._db.execute(
                "INSERT OR IGNORE INTO disbursement (application, did, kiosk, amount_fen) VALUES (?, ?, ?, ?)",
                (body.application, body.did, env.kiosk, extra["amount_fen"]),
            )
        logger.info("loan application %s: %s", body.application, status)
        review = Answer(env.kiosk, _status(body.application, body.did, "under_review", now_ms + 1))
        decision = Answer(env.kiosk, {**_status(body.application, body.did, status, now_ms + 2), **extra})
        return [received, review, decision]

    def _forget_pending(self, application: str) -> None:
        """An approval not paid yet is no longer to be paid (withdrawn, or the application decided again)."""
        self._db.execute("DELETE FROM disbursement WHERE application = ? AND disbursed_ms IS NULL", (application,))

    def _product(self, body: LoanApplyBody) -> Product | str:
        try:
            p = self._catalog.product(body.product)
            p.check_amount(body.amount_fen)
            p.check_term(body.term_months)
        except KioskError as exc:
            return f"申请不符合产品要求（{getattr(exc, 'message_key', 'product')}）"
        return p

    def _decide(self, body: LoanApplyBody, signed_s: int) -> tuple[str, dict[str, Any], dict[str, dict[str, Any]]]:
        p = self._product(body)
        if isinstance(p, str):
            return "rejected", {"reason": p}, {}
        try:
            claims, pages = self._open(body, p, signed_s)
        except KioskError as exc:
            logger.warning("loan application %s: the package does not check: %s", body.application, exc)
            return "rejected", {"reason": "证明材料无法核验"}, {}
        missing = [m.name for m in p.materials if m.id not in pages]
        if missing:
            return "more_materials", {"materials": missing}, claims
        failing = eligibility.unmet(p.eligibility, claims)
        if failing:
            zh = MESSAGES[failing[0].message_key][0].format(**failing[0].params)
            return "rejected", {"reason": zh}, claims
        return "approved", {"amount_fen": min(body.amount_fen, self._limit)}, claims

    def _open(self, body: LoanApplyBody, p: Product, signed_s: int) -> tuple[dict[str, dict[str, Any]], set[str]]:
        package = open_package(body.sealed.model_dump(), self._key, body.application)
        wanted = p.required_claims
        claims: dict[str, dict[str, Any]] = {}
        for token in package.presentations:
            # checked as of when the villager signed: the bank may read the ledger much later
            verified = sdjwt.verify(token, self._issuer_key, now_s=signed_s)
            verified = sdjwt.verify_key_binding(token, verified, nonce=body.nonce, aud=self.bank_id, now_s=signed_s)
            if sorted(verified.claims) != sorted(wanted.get(verified.vct, [])):
                raise KioskError("a presentation shows other claims than the product requires")
            claims[verified.vct] = dict(verified.claims)
        if set(claims) != set(wanted):
            raise KioskError("a required credential was not presented")
        return claims, set(package.materials)

    def _issuer_key(self, iss: str, _kid: str | None, _vct: str) -> Mapping[str, Any]:
        jwk = self._issuers.get(iss)
        if jwk is None:
            raise KioskError("an issuer the bank does not trust")
        return jwk


def _status(application: str, did: str, status: str, at_ms: int) -> dict[str, Any]:
    return {"application": application, "did": did, "status": status, "at_ms": at_ms}


def load_issuers(path: Path) -> dict[str, dict[str, Any]]:
    """The bank's trust file: a JSON list of {issuer, kid, jwk}."""
    return {str(e["issuer"]): dict(e["jwk"]) for e in json.loads(path.read_text(encoding="utf-8"))}


def add_bank_command(subparsers: Any) -> None:
    from sync.county.bank_cli import run_bank
    from sync.county.party import add_loop_args

    p = subparsers.add_parser("bank", help="the simulated bank: answer committed loan applications via the inbox")
    p.add_argument("--bank", required=True, help="the bank id in the catalog")
    p.add_argument("--bank-key", type=Path, required=True, help="the bank's X25519 private key (raw 32 bytes)")
    p.add_argument("--catalog", type=Path, required=True, help="the catalog payload JSON the county published")
    p.add_argument("--catalog-version", type=int, default=1)
    p.add_argument("--trust", type=Path, required=True, help="JSON list of trusted issuers {issuer, kid, jwk}")
    p.add_argument("--ledger", type=Path, required=True)
    p.add_argument("--bank-state", type=Path, default=Path("county/bank.sqlite3"))
    add_loop_args(p)
    p.set_defaults(func=run_bank)
