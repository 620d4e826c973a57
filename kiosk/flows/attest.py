"""Peer attestation (互证): one villager vouches for another with a credential signed by their own key.

Qt-free, with a typed draft. The attester names the person (their DID and key, from the kiosk's records or the
other's QR), the relation and a short statement; their PIN unlocks their key just to sign the credential and
the `attest.peer` transaction, and the key is wiped after. A villager may have at most
`credentials.max_peer_attestations` unexpired attestations given at a time; each expires after
`credentials.peer_attestation_days`. If the person is enrolled at this kiosk the credential goes straight into
their wallet; it is also returned, to hand over as a QR.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from enum import StrEnum

from kiosk.credentials import sdjwt
from kiosk.credentials.errors import AttestationCapReached, InvalidClaims
from kiosk.credentials.jose import public_jwk
from kiosk.credentials.kinds import Vct, validate_claims
from kiosk.credentials.wallet import Holder, Source, credential_id
from kiosk.errors import DomainError
from kiosk.flows.present import PresentDeps, queue_villager_tx
from kiosk.flows.signin import VillagerSession
from kiosk.identity import did as didm

logger = logging.getLogger(__name__)


class AttestStep(StrEnum):
    SUBJECT = "subject"
    STATEMENT = "statement"
    PIN = "pin"
    DONE = "done"
    ENDED = "ended"


class AttestFlowError(DomainError):
    """A step was called out of order: a bug in the caller."""


@dataclass(slots=True)
class AttestDraft:
    subject: Holder | None = None
    relation: str = ""
    statement: str = ""


@dataclass(frozen=True, slots=True, repr=False)
class AttestResult:
    credential: str  # the SD-JWT VC in issued form (for a QR if the person is not enrolled here)
    credential_id: str
    stored_here: bool
    tx_id: str

    def __repr__(self) -> str:
        return f"AttestResult({self.credential_id[:12]}, stored_here={self.stored_here})"


class AttestFlow:
    def __init__(self, deps: PresentDeps, attester: VillagerSession, *, cap: int, valid_days: int) -> None:
        self._d = deps
        self._did = attester.did
        self._name = attester.name
        self._cap = cap
        self._days = valid_days
        self.draft = AttestDraft()
        self.step = AttestStep.SUBJECT

    def _expect(self, step: AttestStep) -> None:
        if self.step is not step:
            raise AttestFlowError(f"attestation is at {self.step.value}, not {step.value}")

    def _now_s(self) -> int:
        return int(self._d.time.now().at.timestamp())

    def given(self) -> int:
        """Unexpired attestations this villager has given."""
        rows = self._d.db.read(
            "SELECT COUNT(*) FROM attestation_given WHERE attester = ? AND expires_s > ?", (self._did, self._now_s())
        )
        return int(rows[0][0])

    def set_subject(self, subject: Holder) -> None:
        """Who is vouched for; refuses oneself and a villager at the cap."""
        self._expect(AttestStep.SUBJECT)
        if subject.did == self._did:
            raise InvalidClaims("a villager cannot vouch for themselves")
        if self.given() >= self._cap:
            self.step = AttestStep.ENDED
            raise AttestationCapReached("the attester is at the cap", cap=self._cap)
        self.draft.subject = subject
        self.step = AttestStep.STATEMENT

    def set_statement(self, relation: str, statement: str) -> None:
        self._expect(AttestStep.STATEMENT)
        validate_claims(Vct.PEER_ATTESTATION, self._claims(relation, statement))
        self.draft.relation, self.draft.statement = relation, statement
        self.step = AttestStep.PIN

    def _claims(self, relation: str, statement: str) -> dict[str, str]:
        return {"attester": self._did, "attester_name": self._name, "relation": relation, "statement": statement}

    def confirm(self, pin: str) -> AttestResult:
        """Unlock the attester's key, issue the credential, queue `attest.peer`; wipe the key."""
        self._expect(AttestStep.PIN)
        subject = self.draft.subject
        if subject is None:
            raise AttestFlowError("no subject")
        if self.given() >= self._cap:  # another session at the kiosk may have used the last one meanwhile
            self.step = AttestStep.ENDED
            raise AttestationCapReached("the attester is at the cap", cap=self._cap)
        stored = self._d.keystore.get(self._did)
        now = self._now_s()
        exp = now + self._days * 86_400
        signer = self._d.keystore.unlock(self._did, pin, self._d.time.now)
        try:
            token = sdjwt.issue(
                signer=signer,
                iss=self._did,
                kid=didm.key_id(self._did, stored.version),
                vct=Vct.PEER_ATTESTATION.value,
                claims=self._claims(self.draft.relation, self.draft.statement),
                holder_jwk=subject.jwk,
                iat=now,
                exp=exp,
            )
            cid = credential_id(token.split("~", 1)[0])
            body = {
                "attester": self._did,
                "subject": subject.did,
                "credential": cid,
                "relation": self.draft.relation,
                "statement_sha256": hashlib.sha256(self.draft.statement.encode("utf-8")).hexdigest(),
                "expires_s": exp,
            }
            env = queue_villager_tx(self._d, "attest.peer", body, signer, didm.key_id(self._did, stored.version))
        finally:
            signer.wipe()
        stored_here = self._record(token, cid, subject, exp)
        self.step = AttestStep.DONE
        logger.info("a peer attestation was issued (stored here: %s)", stored_here)
        return AttestResult(token, cid, stored_here, env.id)

    def _record(self, token: str, cid: str, subject: Holder, exp: int) -> bool:
        with self._d.db.transaction() as conn:
            conn.execute(
                "INSERT INTO attestation_given (credential_id, attester, subject, issued_ms, expires_s) "
                "VALUES (?, ?, ?, ?, ?)",
                (cid, self._did, subject.did, self._now_s() * 1000, exp),
            )
            enrolled = conn.execute("SELECT 1 FROM person WHERE did = ?", (subject.did,)).fetchone() is not None
            if enrolled:  # checked like any import: the attester's own key, the subject's binding
                key = self._d.keystore.get(self._did)
                jwk = public_jwk(key.suite, key.public_key)
                verified = sdjwt.verify(token, lambda *_: jwk, now_s=self._now_s())
                self._d.wallet.add(
                    conn,
                    verified,
                    holder=subject.did,
                    issuer_name=self._name,
                    source=Source.PEER,
                    now_ms=self._now_s() * 1000,
                )
        return enrolled
