"""Queueing a service request: `service.request`, one consent receipt per credential shown, and the local row,
in one database transaction, so a crash leaves all of it or none (the queueing shared with loan applications is
kiosk/applications/submit.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.applications.submit import Consent, queue, queue_consents, signers
from kiosk.crypto.suites import Signer
from kiosk.services.catalog import Office, Service
from kiosk.services.drafts import ServiceDraftStore
from kiosk.store import audit

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


def queue_request(
    services: ServiceServices, sub: ServiceSubmission, signer: Signer, drafts: ServiceDraftStore
) -> ServiceReceipt:
    by = signers(services, signer, sub.did)
    office, service = sub.office.name.zh, sub.service.name.zh
    consent = Consent(sub.did, sub.office.id, office, f"{CONSENT_PURPOSE}：{service}", sub.nonce)
    with services.db.transaction() as conn:
        env = queue(conn, services, "service.request", sub.body(), by)
        consents = queue_consents(conn, services, consent, sub.shown, sub.presentations, by)
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
    return ServiceReceipt(sub.number, env.id, service, office, consents)
