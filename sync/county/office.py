"""A simulated government service office for the demo and tests: reads committed `service.request` transactions
from the ledger, opens the sealed answers, decides by simple rules, and answers through the applicant kiosk's
inbox with signed `service_status` notices (docs/protocol.md, "The simulated service office"). The pension check
(`pension.proof_of_life`) has its own office, sync/county/pension_office.py.

One process may stand for several offices: it holds each office's X25519 key and handles the requests sealed to
the offices it has keys for. Rules, in order:
1. The service must be in the office's catalog, not withdrawn, a form, and handled by the office the request
   names; else rejected.
2. The sealed package must open with that office's key; each presentation must verify (issuer key from the
   office's trust file, key binding with the request's nonce and the office id as audience) and disclose exactly
   the claims that pre-fill the form; else rejected.
3. The answers must be exactly the typed fields the body lists, each valid for its field, every required one
   present; else rejected with the first problem.
4. An office with a `region` rejects a request whose pre-filled region lies outside it.
5. A required material photo missing: more materials needed (naming them).
6. Otherwise the service's `outcome`: approved (an allowance) or issued (a certificate).
Every request is first answered `received`. What the office received (answers and claims, per request) is kept in
its state file, for the tests: it must be exactly what the form asked for.
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
from kiosk.services.catalog import Office, Service, ServiceKind, ServicesCatalog
from kiosk.services.package import RequestPackage, open_request
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import ServiceRequestBody, validate_body
from sync.county.ledger import LedgerReader
from sync.county.party import InboxAnswer, LedgerCursor

logger = logging.getLogger(__name__)

INBOX_KIND = "service_status"
Seen = dict[str, Any]  # {"answers": {field: value}, "claims": {vct: {claim: value}}}


OfficeAnswer = InboxAnswer  # its payload a service_status inbox payload


class _Refused(KioskError):
    """A request the office turns down: the reason in plain words for the villager."""


class SimulatedServiceOffice:
    def __init__(
        self,
        state: Path,
        *,
        keys: Mapping[str, X25519PrivateKey],
        catalog: ServicesCatalog,
        issuer_jwks: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self._keys, self._catalog, self._issuers = dict(keys), catalog, dict(issuer_jwks)
        self._db = sqlite3.connect(state, isolation_level=None)
        self._cursor = LedgerCursor(self._db)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS received (request TEXT PRIMARY KEY, did TEXT, kiosk TEXT, office TEXT, "
            "service TEXT, status TEXT, seen TEXT)"
        )

    def close(self) -> None:
        self._db.close()

    def received(self, request: str) -> tuple[str, Seen] | None:
        """(status, what the office saw) of one request, or None."""
        row = self._db.execute("SELECT status, seen FROM received WHERE request = ?", (request,)).fetchone()
        return None if row is None else (str(row[0]), dict(json.loads(row[1])))

    def scan(self, ledger: LedgerReader, now_ms: int) -> list[OfficeAnswer]:
        """Every sealed block not read yet: two answers per service request for one of this process's offices."""
        return self._cursor.scan(ledger, ("service.request",), lambda env: self._one(env, now_ms))

    def _one(self, env: envm.Envelope, now_ms: int) -> list[OfficeAnswer]:
        body = validate_body(env.type, env.body)
        if not isinstance(body, ServiceRequestBody) or body.office not in self._keys:
            return []
        received = OfficeAnswer(env.kiosk, _status(body, "received", now_ms))
        seen: Seen = {"answers": {}, "claims": {}}
        try:
            status, extra = self._decide(body, env.ts // 1000, seen)
        except _Refused as exc:
            status, extra = "rejected", {"reason": str(exc)}
        self._db.execute(
            "INSERT OR REPLACE INTO received (request, did, kiosk, office, service, status, seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                body.request,
                body.did,
                env.kiosk,
                body.office,
                body.service,
                status,
                json.dumps(seen, ensure_ascii=False),
            ),
        )
        logger.info("service request %s: %s", body.request, status)
        return [received, OfficeAnswer(env.kiosk, {**_status(body, status, now_ms + 1), **extra})]

    def _service(self, body: ServiceRequestBody) -> tuple[Service, Office]:
        try:
            s = self._catalog.service(body.service)
            office = self._catalog.office(s.office)
        except KioskError as exc:
            raise _Refused("没有这项服务或已停办") from exc
        if s.kind is not ServiceKind.FORM or s.office != body.office:
            raise _Refused("这项服务不由本部门在网上办理")
        return s, office

    def _decide(self, body: ServiceRequestBody, signed_s: int, seen: Seen) -> tuple[str, dict[str, Any]]:
        s, office = self._service(body)
        try:
            package = open_request(body.sealed.model_dump(), self._keys[office.id], body.request)
            seen["claims"] = self._claims(package, s, body, signed_s)
        except KioskError as exc:
            logger.warning("service request %s: the package does not check: %s", body.request, exc)
            raise _Refused("证明材料无法核验") from exc
        seen["answers"] = dict(package.answers)
        _check_answers(s, body, package)
        region = _prefilled_region(s, seen["claims"])
        if office.region and region is not None and not str(region).startswith(office.region):
            raise _Refused(f"只为{office.region}户籍的居民办理")
        missing = [m.name for m in s.materials if m.id not in package.materials]
        if missing:
            return "more_materials", {"materials": missing}
        return s.outcome, {}

    def _claims(
        self, package: RequestPackage, s: Service, body: ServiceRequestBody, signed_s: int
    ) -> dict[str, dict[str, Any]]:
        wanted = s.required_claims
        claims: dict[str, dict[str, Any]] = {}
        for token in package.presentations:
            # checked as of when the villager signed: the office may read the ledger much later
            verified = sdjwt.verify(token, self._issuer_key, now_s=signed_s)
            verified = sdjwt.verify_key_binding(token, verified, nonce=body.nonce, aud=body.office, now_s=signed_s)
            if sorted(verified.claims) != sorted(wanted.get(verified.vct, [])):
                raise KioskError("a presentation shows other claims than the form takes")
            claims[verified.vct] = dict(verified.claims)
        if set(claims) != set(wanted):
            raise KioskError("a credential that pre-fills the form was not presented")
        return claims

    def _issuer_key(self, iss: str, _kid: str | None, _vct: str) -> Mapping[str, Any]:
        jwk = self._issuers.get(iss)
        if jwk is None:
            raise KioskError("an issuer the office does not trust")
        return jwk


def _check_answers(s: Service, body: ServiceRequestBody, package: RequestPackage) -> None:
    if sorted(package.answers) != sorted(body.fields):
        raise _Refused("填写的内容与申请记录不一致")
    try:
        s.check_answers(package.answers)
    except KioskError as exc:
        raise _Refused(f"填写的内容不符合要求（{getattr(exc, 'message_key', 'form')}）") from exc


def _prefilled_region(s: Service, claims: Mapping[str, Mapping[str, Any]]) -> object | None:
    for f in s.fields:
        if f.prefill is not None and f.prefill.claim == "region":
            return claims.get(f.prefill.vct, {}).get("region")
    return None


def _status(body: ServiceRequestBody, status: str, at_ms: int) -> dict[str, Any]:
    return {"request": body.request, "did": body.did, "service": body.service, "status": status, "at_ms": at_ms}


def add_office_command(subparsers: Any) -> None:
    from sync.county.office_cli import add_office_args

    p = subparsers.add_parser("office", help="the simulated service office: answer committed service requests")
    add_office_args(p)
