"""The sample services catalog with fresh office keys, and a villager with a real-name credential (unit and e2e)."""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.core import Core
from kiosk.crypto import canonical
from tests.unit.loan_world import bank_public

SAMPLE = Path(__file__).resolve().parents[2] / "sync" / "county" / "services_catalog.json"
DPF, TAX, HRSS = "lankao-dpf", "lankao-tax", "lankao-hrss"
ALLOWANCE, TAX_CERT, PENSION = "disability-allowance", "tax-certificate", "pension-qualification"

ALLOWANCE_ANSWERS: dict[str, Any] = {
    "disability_card_no": "41022519580312002X43",
    "category": "physical",
    "grade": "grade-2",
    "allowance": "both",
    "low_income": True,
}


def office_keys() -> dict[str, X25519PrivateKey]:
    return {o: X25519PrivateKey.generate() for o in (DPF, TAX, HRSS)}


def services_payload(keys: dict[str, X25519PrivateKey]) -> dict[str, Any]:
    """The shipped sample, each office's key replaced by the public half of `keys`."""
    payload = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for office in payload["offices"]:
        office["key"] = bank_public(keys[office["id"]])
    return dict(payload)


def service(payload: dict[str, Any], service_id: str) -> dict[str, Any]:
    return dict(next(s for s in payload["services"] if s["id"] == service_id))


def put_services(core: Core, payload: dict[str, Any], version: int = 1) -> None:
    with core.db.transaction() as conn:
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES ('services', ?, ?, 0) "
            "ON CONFLICT (kind) DO UPDATE SET version = excluded.version, payload = excluded.payload",
            (version, canonical.dumps(deepcopy(payload)).decode()),
        )
