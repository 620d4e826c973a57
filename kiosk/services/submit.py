"""Queueing a service request: `service.request`, one consent receipt per credential shown, and the local row,
in one database transaction, so a crash leaves all of it or none.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.crypto.suites import Signer
from kiosk.identity import did as didm
from kiosk.services.catalog import Office, Service
from kiosk.services.drafts import ServiceDraftStore
from kiosk.store import audit, outbox
from kiosk.tx import envelope
from kiosk.tx.bodies import validate_body
from kiosk.tx.envelope import Envelope, RoleSigner, SignerRole
from kiosk.tx.verify import device_kid

if TYPE_CHECKING:
    from kiosk.flows.service import ServiceServices

CONSENT_PURPOSE = "办事申请"


@dataclass(frozen=True, slots=True, repr=False)
class ServiceSubmission:
    number: str
    did: str
    service: Service
    office: Office
    catalog_version: int
    fields: tuple[str, ...]  # typed field ids answered
    shown: tuple[tuple[str, str, list[str]], ...]  # (vct, credential id, claim names)
    presentations: tuple[str, ...]
    materials: tuple[tuple[str, str, int], ...]  # (material id, sha256, sharpness)
    nonce: str
    sealed: dict[str, str]

    def body(self) -> dict[str, Any]:
        return {
            "request": self.number,
            "did": self.did,
            "office": self.office.id,
            "service": self.service.id,
            "catalog_version": self.catalog_version,
            "fields": list(self.fields),
            "disclosures": [{"vct": v, "credential": c, "claims": claims} for v, c, claims in self.shown],
            "materials": [{"id": m, "sha256": h, "sharpness": s} for m, h, s in self.materials],
            "nonce": self.nonce,
            "sealed": self.sealed,
        }

    def __repr__(self) -> str:
        return f"ServiceSubmission({self.number})"


@dataclass(frozen=True, slots=True)
class ServiceReceipt:
    """What the receipt screen shows (and puts in its QR: the request number)."""

    number: str
    tx_id: str
    service_name: str
    office_name: str
    consent_tx_ids: tuple[str, ...]


def _queue(
    conn: sqlite3.Connection, services: ServiceServices, tx_type: str, body: dict[str, Any], signers: list[RoleSigner]
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


def _consent_body(sub: ServiceSubmission, vct: str, cid: str, claims: list[str], presentation: str) -> dict[str, Any]:
    return {
        "did": sub.did,
        "verifier": sub.office.id,
        "verifier_name": sub.office.name.zh,
        "purpose": f"{CONSENT_PURPOSE}：{sub.service.name.zh}"[:60],
        "vct": vct,
        "credential": cid,
        "issuer": "see-credential",
        "claims": claims,
        "nonce": sub.nonce,
        "presentation_sha256": hashlib.sha256(presentation.encode("ascii")).hexdigest(),
        "delivery": "county",
    }


def queue_request(
    services: ServiceServices, sub: ServiceSubmission, signer: Signer, drafts: ServiceDraftStore
) -> ServiceReceipt:
    dev = services.device
    signers = [
        RoleSigner(SignerRole.VILLAGER, didm.key_id(sub.did, services.keystore.get(sub.did).version), signer),
        RoleSigner(SignerRole.DEVICE, device_kid(dev.county_id, dev.kiosk_id), services.device_signer),
    ]
    with services.db.transaction() as conn:
        env = _queue(conn, services, "service.request", sub.body(), signers)
        consents = []
        for (vct, cid, claims), pres in zip(sub.shown, sub.presentations, strict=True):
            body = _consent_body(sub, vct, cid, claims, pres)
            body["issuer"] = services.wallet.get(sub.did, cid).issuer
            consents.append(_queue(conn, services, "consent.receipt", body, signers).id)
        conn.execute(
            "INSERT INTO service_request (number, holder, tx_id, office, office_name, service, service_name, "
            "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sub.number,
                sub.did,
                env.id,
                sub.office.id,
                sub.office.name.zh,
                sub.service.id,
                sub.service.name.zh,
                env.ts,
            ),
        )
        drafts.wipe(conn, sub.did)
        audit.append(
            conn, services.time.now(), audit.AuditAction.CONSENT, sub.did, sub.did, {"service.request": env.id}
        )
    return ServiceReceipt(sub.number, env.id, sub.service.name.zh, sub.office.name.zh, tuple(consents))
