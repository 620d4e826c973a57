"""Sharing a credential: request → qualifying credentials → plain-words preview → PIN → presentation → receipt.

A Qt-free state machine with a typed draft. The request is verified against the trust list before anything
is shown; only credentials that qualify are offered (right vct, accepted issuer or grade, unexpired, a fresh
status that is valid, holding every claim asked for); the preview says exactly which claims the verifier will
see; the PIN unlocks the villager key just for this presentation and the consent receipt, and it is wiped
straight after. The `consent.receipt` transaction records what was shown (claim names), to whom, for what, and
when (the envelope's `ts`). A request with `response: "county"` is answered by a `presentation.deliver` sealed
to the verifier's encryption key, queued in the same database transaction as its receipt and the request's
inbox item being marked answered; otherwise the presentation is the QR to show.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.clock import TimeService
from kiosk.credentials import kinds, sdjwt
from kiosk.credentials.errors import CredentialError, NoDeliveryKey, NoQualifyingCredential, OversizedInput
from kiosk.credentials.pending import mark_answered
from kiosk.credentials.request import PresentationRequest, parse_request, request_id
from kiosk.credentials.sealed import seal_presentation
from kiosk.credentials.status import StatusLists
from kiosk.credentials.trust import TrustList
from kiosk.credentials.wallet import Wallet, WalletEntry
from kiosk.crypto.suites import Signer
from kiosk.errors import DomainError
from kiosk.flows.signin import VillagerSession
from kiosk.identity import did as didm
from kiosk.identity.device import DeviceIdentity
from kiosk.identity.keystore import KeyStore
from kiosk.store import outbox
from kiosk.store.db import Database
from kiosk.tx import envelope
from kiosk.tx.bodies import validate_body
from kiosk.tx.envelope import Envelope, RoleSigner, SignerRole
from kiosk.tx.verify import device_kid

logger = logging.getLogger(__name__)


class PresentStep(StrEnum):
    REQUEST = "request"  # waiting for a request (QR or inbox)
    CHOOSE = "choose"  # qualifying credentials listed
    PREVIEW = "preview"  # the plain-words preview shown; PIN next
    DONE = "done"
    REFUSED = "refused"  # the request was refused, or nothing qualifies
    ENDED = "ended"


class PresentFlowError(DomainError):
    """A step was called out of order: a bug in the caller."""


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: WalletEntry
    issuer_grade: str | None


@dataclass(frozen=True, slots=True)
class Preview:
    verifier_name: str
    purpose: str
    credential_name: str
    issuer_name: str
    claims: tuple[str, ...]  # claim names, in reading order
    labels_zh: tuple[str, ...]
    labels_en: tuple[str, ...]

    @property
    def text_zh(self) -> str:
        return f"{self.verifier_name}将看到：{'、'.join(self.labels_zh)}"

    @property
    def text_en(self) -> str:
        return f"{self.verifier_name} will see: {', '.join(self.labels_en)}"


@dataclass(frozen=True, slots=True, repr=False)
class PresentResult:
    presentation: str  # the SD-JWT with key binding: the QR payload for the verifier (delivery "qr")
    receipt: Envelope  # the queued consent.receipt
    delivery: str = "qr"  # or "county": sealed to the verifier and queued as `deliver`
    deliver: Envelope | None = None  # the queued presentation.deliver

    def __repr__(self) -> str:
        return f"PresentResult({self.delivery}, receipt={self.receipt.id[:12]})"


@dataclass(slots=True)
class PresentDraft:
    request: PresentationRequest | None = None
    candidates: tuple[Candidate, ...] = ()
    chosen: Candidate | None = None
    preview: Preview | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # credential id → why it does not qualify (for logs)


@dataclass(frozen=True, slots=True)
class PresentDeps:
    db: Database
    wallet: Wallet
    keystore: KeyStore
    time: TimeService
    device: DeviceIdentity
    device_signer: Signer
    status_max_age_s: int


class PresentFlow:
    def __init__(self, deps: PresentDeps, session: VillagerSession, trust: TrustList, lists: StatusLists) -> None:
        self._d = deps
        self._did = session.did
        self._trust = trust
        self._lists = lists
        self.draft = PresentDraft()
        self.step = PresentStep.REQUEST

    def _expect(self, step: PresentStep) -> None:
        if self.step is not step:
            raise PresentFlowError(f"sharing is at {self.step.value}, not {step.value}")

    def _now_s(self) -> int:
        return int(self._d.time.now().at.timestamp())

    # --- 1. the request -------------------------------------------------------------------------------

    def read_request(self, token: str) -> tuple[Candidate, ...]:
        """Verify the request and list the credentials that qualify; raises the refusal if none do."""
        self._expect(PresentStep.REQUEST)
        try:
            request = parse_request(token, self._trust, now_s=self._now_s())
        except CredentialError:
            self.step = PresentStep.REFUSED
            raise
        self.draft.request = request
        found = tuple(c for c in (self._qualify(e, request) for e in self._d.wallet.entries(self._did)) if c)
        self.draft.candidates = found
        if not found:
            self.step = PresentStep.REFUSED
            raise NoQualifyingCredential("nothing in the wallet fits the request")
        self.step = PresentStep.CHOOSE
        return found

    def _qualify(self, entry: WalletEntry, request: PresentationRequest) -> Candidate | None:
        ask = request.payload
        grade = None if entry.vct != ask.vct else self._grade(entry)
        why = self._disqualified(entry, request, grade)
        if why:
            self.draft.skipped[entry.id] = why
            return None
        return Candidate(entry, grade)

    def _grade(self, entry: WalletEntry) -> str | None:
        for issuer in self._trust.issuers_named(entry.issuer):
            if entry.vct in issuer.vct:
                return issuer.grade
        return None

    def _disqualified(self, entry: WalletEntry, request: PresentationRequest, grade: str | None) -> str:
        ask, now_s = request.payload, self._now_s()
        if entry.vct != ask.vct:
            return "another type"
        if ask.accept.issuers and entry.issuer not in ask.accept.issuers:
            return "issuer not accepted"
        if ask.accept.grades and grade not in ask.accept.grades:
            return "issuer grade not accepted"
        if entry.expires_s is not None and now_s >= entry.expires_s:
            return "expired"
        try:
            self._lists.require_valid(entry.status, now_s, self._d.status_max_age_s)
        except CredentialError as exc:
            return exc.message_key
        held = self._d.wallet.claims(self._did, entry.id)
        if not set(ask.claims) <= set(held):
            return "lacks a claim"
        return ""

    # --- 2. choose and preview --------------------------------------------------------------------------

    def choose(self, credential_id: str) -> Preview:
        self._expect(PresentStep.CHOOSE)
        request = self.draft.request
        chosen = next((c for c in self.draft.candidates if c.entry.id == credential_id), None)
        if request is None or chosen is None:
            raise PresentFlowError("that credential was not offered")
        ask = request.payload
        kind = kinds.kind_of(ask.vct)
        order = tuple(name for name in kind.labels if name in ask.claims)
        preview = Preview(
            verifier_name=request.verifier_name,
            purpose=ask.purpose,
            credential_name=kind.name_zh,
            issuer_name=chosen.entry.issuer_name,
            claims=order,
            labels_zh=tuple(kind.labels[n][0] for n in order),
            labels_en=tuple(kind.labels[n][1] for n in order),
        )
        self.draft.chosen, self.draft.preview = chosen, preview
        self.step = PresentStep.PREVIEW
        return preview

    def back(self) -> None:
        """From the preview back to the list."""
        self._expect(PresentStep.PREVIEW)
        self.draft.chosen = self.draft.preview = None
        self.step = PresentStep.CHOOSE

    # --- 3. PIN, presentation, receipt ---------------------------------------------------------------------

    def confirm(self, pin: str) -> PresentResult:
        """Unlock the key with the PIN, make the presentation and queue the consent receipt; wipe the key."""
        self._expect(PresentStep.PREVIEW)
        request, chosen, preview = self.draft.request, self.draft.chosen, self.draft.preview
        if request is None or chosen is None or preview is None:
            raise PresentFlowError("nothing chosen")
        stored = self._d.keystore.get(self._did)
        signer = self._d.keystore.unlock(self._did, pin, self._d.time.now)  # wrong PIN: UserFacingError, stay here
        try:
            credential = self._d.wallet.open(self._did, chosen.entry.id)
            ask = request.payload
            presentation = sdjwt.present(
                credential, preview.claims, nonce=ask.nonce, aud=ask.aud, signer=signer, now_s=self._now_s()
            )
            county = ask.response == "county"
            limit = sdjwt.MAX_CREDENTIAL_BYTES if county else sdjwt.MAX_QR_BYTES
            if len(presentation) > limit:
                raise OversizedInput("the presentation is too large to deliver", limit=limit)
            kid = didm.key_id(self._did, stored.version)
            txs = [("consent.receipt", self._receipt_body(request, chosen, preview, presentation))]
            if county:
                txs.append(("presentation.deliver", self._deliver_body(request, presentation)))
            answered = request.token
            queued = queue_villager_txs(
                self._d, txs, signer, kid, after=lambda conn, now_ms: mark_answered(conn, answered, now_ms)
            )
        finally:
            signer.wipe()
        self.step = PresentStep.DONE
        logger.info("a presentation was made (%s) and its consent receipt queued", ask.response)
        if county:
            return PresentResult(presentation, queued[0], "county", queued[1])
        return PresentResult(presentation, queued[0])

    def _deliver_body(self, request: PresentationRequest, presentation: str) -> dict[str, Any]:
        key = request.verifier.enc_key()
        if key is None:  # parse_request refuses such a request; checked again before anything is sealed
            raise NoDeliveryKey("the verifier has no encryption key")
        rid = request_id(request.token)
        return {
            "did": self._did,
            "request": rid,
            "verifier": request.verifier.id,
            "nonce": request.payload.nonce,
            "sealed": seal_presentation(presentation, request.token, key, rid),
        }

    def _receipt_body(
        self, request: PresentationRequest, chosen: Candidate, preview: Preview, presentation: str
    ) -> dict[str, Any]:
        ask = request.payload
        body: dict[str, Any] = {
            "did": self._did,
            "verifier": request.verifier.id,
            "verifier_name": request.verifier_name,
            "purpose": ask.purpose,
            "vct": ask.vct,
            "credential": chosen.entry.id,
            "issuer": chosen.entry.issuer,
            "claims": list(preview.claims),
            "nonce": ask.nonce,
            "presentation_sha256": hashlib.sha256(presentation.encode("ascii")).hexdigest(),
            "delivery": ask.response,
        }
        return body

    def cancel(self) -> None:
        self.draft = PresentDraft()
        self.step = PresentStep.ENDED


def queue_villager_tx(deps: PresentDeps, tx_type: str, body: Mapping[str, Any], signer: Signer, kid: str) -> Envelope:
    """Sign (villager + device) and queue a transaction in its own database transaction."""
    return queue_villager_txs(deps, [(tx_type, body)], signer, kid)[0]


def queue_villager_txs(
    deps: PresentDeps,
    txs: Sequence[tuple[str, Mapping[str, Any]]],
    signer: Signer,
    kid: str,
    *,
    after: Callable[[sqlite3.Connection, int], object] | None = None,
) -> list[Envelope]:
    """Sign (villager + device) and queue transactions together, with `after`'s work, in one database transaction."""
    for tx_type, body in txs:
        validate_body(tx_type, body)
    d = deps
    signers = [
        RoleSigner(SignerRole.VILLAGER, kid, signer),
        RoleSigner(SignerRole.DEVICE, device_kid(d.device.county_id, d.device.kiosk_id), d.device_signer),
    ]
    with d.db.transaction() as conn:
        when = d.time.now()
        d.time.persist(conn)
        queued = []
        for tx_type, body in txs:

            def build(seq: int, tx_type: str = tx_type, body: Mapping[str, Any] = body) -> Envelope:
                return envelope.build(
                    tx_type,
                    county=d.device.county_id,
                    kiosk=d.device.kiosk_id,
                    seq=seq,
                    when=when,
                    body=body,
                    signers=signers,
                )

            queued.append(outbox.append(conn, build))
        if after is not None:
            after(conn, queued[0].ts)
        return queued


def new_nonce() -> str:
    """A request nonce (verifier side and tests): 128 random bits, base64url."""
    return secrets.token_urlsafe(16)
