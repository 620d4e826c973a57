"""Queueing an application (`loan.apply`, `service.request`) with one `consent.receipt` per credential shown,
shared by loans and services: the signers, the outbox entries and the consent bodies, so that the caller can put
them and its own local row in one database transaction, and a crash leaves all of it or none.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.clock import TimeService
from kiosk.credentials.wallet import Wallet
from kiosk.crypto.suites import Signer
from kiosk.identity import did as didm
from kiosk.identity.device import DeviceIdentity
from kiosk.identity.keystore import KeyStore
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.bodies import validate_body
from kiosk.tx.envelope import Envelope, RoleSigner, SignerRole
from kiosk.tx.verify import device_kid


class ApplicationServices(Protocol):
    """What queueing needs of a flow's services (LoanServices, ServiceServices)."""

    @property
    def time(self) -> TimeService: ...
    @property
    def device(self) -> DeviceIdentity: ...
    @property
    def device_signer(self) -> Signer: ...
    @property
    def keystore(self) -> KeyStore: ...
    @property
    def wallet(self) -> Wallet: ...


@dataclass(frozen=True, slots=True)
class Consent:
    """Who is shown the credentials and why, in the consent receipts ("贷款申请：…", "办事申请：…")."""

    did: str
    verifier: str
    verifier_name: str
    purpose: str
    nonce: str


def signers(services: ApplicationServices, signer: Signer, did: str) -> list[RoleSigner]:
    """The villager (with their key's current version) and this kiosk."""
    version = services.keystore.get(did).version
    dev = services.device
    return [
        RoleSigner(SignerRole.VILLAGER, didm.key_id(did, version), signer),
        RoleSigner(SignerRole.DEVICE, device_kid(dev.county_id, dev.kiosk_id), services.device_signer),
    ]


def queue(
    conn: sqlite3.Connection,
    services: ApplicationServices,
    tx_type: str,
    body: dict[str, Any],
    signers: list[RoleSigner],
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


def consent_body(consent: Consent, vct: str, cid: str, claims: list[str], presentation: str) -> dict[str, Any]:
    return {
        "did": consent.did,
        "verifier": consent.verifier,
        "verifier_name": consent.verifier_name,
        "purpose": consent.purpose[:60],
        "vct": vct,
        "credential": cid,
        "issuer": "see-credential",
        "claims": claims,
        "nonce": consent.nonce,
        "presentation_sha256": hashlib.sha256(presentation.encode("ascii")).hexdigest(),
        "delivery": "county",
    }


def queue_consents(
    conn: sqlite3.Connection,
    services: ApplicationServices,
    consent: Consent,
    shown: tuple[tuple[str, str, list[str]], ...],
    presentations: tuple[str, ...],
    signers: list[RoleSigner],
) -> tuple[str, ...]:
    """One `consent.receipt` per credential shown (issuer from the wallet); their tx ids."""
    ids = []
    for (vct, cid, claims), pres in zip(shown, presentations, strict=True):
        body = consent_body(consent, vct, cid, claims, pres)
        body["issuer"] = services.wallet.get(consent.did, cid).issuer
        ids.append(queue(conn, services, "consent.receipt", body, signers).id)
    return tuple(ids)
