"""The technician's pass: a county-signed notice, shown to the kiosk camera as a QR, that opens diagnostics.

A pass is a notice of kind `tech_pass` (kiosk/tx/notice.py) signed with the county ledger key every kiosk pins,
so nobody but the county can make one and it cannot be replayed as a command or a broadcast. Its body:
`{pass_id, name, kiosks, not_before, expires}` — `kiosks` lists the kiosk ids it opens, or `["*"]` for every
kiosk of the county; the times are milliseconds since the epoch. The kiosk checks it here, without Qt, and
writes every entry and every refusal to the audit log under the pass id (the technician's name stays out of
the log: the county knows who holds which pass).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.clock import TimeService, to_ms
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer
from kiosk.errors import KioskError, VerificationError
from kiosk.store import audit
from kiosk.store.db import Database
from kiosk.tx.notice import MalformedNotice, NoticeKind, open_notice, sign_notice
from kiosk.tx.verify import PublicKey

ALL_KIOSKS = "*"
BODY_FIELDS = frozenset(("pass_id", "name", "kiosks", "not_before", "expires"))
MAX_VALID_MS = 92 * 24 * 3600 * 1000  # a pass longer than a quarter is refused: passes are for a visit, not a job
_PASS_ID = re.compile(r"^[0-9a-f]{16}$")
_KIOSK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
MAX_NAME_CHARS = 40


class RefusalReason(StrEnum):
    MALFORMED = "malformed"  # not a pass at all, or not of this protocol
    FORGED = "forged"  # the signature does not verify under the pinned county key
    OTHER_COUNTY = "other_county"
    OTHER_KIOSK = "other_kiosk"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    NO_COUNTY_KEY = "no_county_key"  # this kiosk has no county key pinned: nothing can be checked


REASON_TEXT = {
    RefusalReason.MALFORMED: "this is not a technician pass",
    RefusalReason.FORGED: "the pass is not signed by this county",
    RefusalReason.OTHER_COUNTY: "the pass is for another county",
    RefusalReason.OTHER_KIOSK: "the pass is not for this kiosk",
    RefusalReason.NOT_YET_VALID: "the pass is not valid yet",
    RefusalReason.EXPIRED: "the pass has expired",
    RefusalReason.NO_COUNTY_KEY: "this kiosk has no county key to check passes with",
}


class TechPassRefused(VerificationError):
    """A pass that does not open this kiosk; `reason` says why, `pass_id` is set when the pass named one."""

    def __init__(self, reason: RefusalReason, pass_id: str | None = None, detail: str = "") -> None:
        super().__init__(REASON_TEXT[reason] + (f": {detail}" if detail else ""))
        self.reason = reason
        self.pass_id = pass_id


@dataclass(frozen=True, slots=True)
class TechPass:
    pass_id: str
    name: str
    county: str
    kiosks: tuple[str, ...]
    not_before_ms: int
    expires_ms: int

    def opens(self, kiosk: str) -> bool:
        return ALL_KIOSKS in self.kiosks or kiosk in self.kiosks


def new_pass_id() -> str:
    return secrets.token_hex(8)


def issue_tech_pass(
    signer: Signer,
    county: str,
    name: str,
    kiosks: Sequence[str],
    not_before_ms: int,
    expires_ms: int,
    pass_id: str | None = None,
) -> bytes:
    """The signed pass (canonical JSON bytes, what the QR carries); ValueError for a pass the kiosk would refuse."""
    body = {
        "pass_id": pass_id or new_pass_id(),
        "name": name,
        "kiosks": list(kiosks) or [ALL_KIOSKS],
        "not_before": not_before_ms,
        "expires": expires_ms,
    }
    problem = _body_problem(body)
    if problem:
        raise ValueError(problem)
    return sign_notice(NoticeKind.TECH_PASS, county, not_before_ms, body, signer)


def _body_problem(body: Mapping[str, Any]) -> str:
    """What is wrong with a pass body, or "" if nothing is."""
    if set(body) != BODY_FIELDS:
        return f"a pass body has exactly {sorted(BODY_FIELDS)}"
    name, kiosks, start, end = body["name"], body["kiosks"], body["not_before"], body["expires"]
    if not isinstance(body["pass_id"], str) or not _PASS_ID.match(body["pass_id"]):
        return "pass_id must be 16 lower-case hex digits"
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        return f"name must be 1 to {MAX_NAME_CHARS} characters"
    if not isinstance(kiosks, list) or not kiosks:
        return "kiosks must be a non-empty list"
    if not all(isinstance(k, str) and (k == ALL_KIOSKS or _KIOSK_ID.match(k)) for k in kiosks):
        return "kiosks must be kiosk ids or '*'"
    if not all(isinstance(t, int) and not isinstance(t, bool) for t in (start, end)):
        return "not_before and expires must be integers (ms)"
    if not 0 < end - start <= MAX_VALID_MS:
        return "expires must come after not_before, within 92 days"
    return ""


def _peek(payload: bytes) -> Mapping[str, Any]:
    """The notice's outer fields before the signature is checked, to say which refusal it is."""
    try:
        data = canonical.loads(payload)
    except KioskError as exc:
        raise TechPassRefused(RefusalReason.MALFORMED, detail="not canonical JSON") from exc
    if not isinstance(data, Mapping) or data.get("kind") != NoticeKind.TECH_PASS.value:
        raise TechPassRefused(RefusalReason.MALFORMED, detail="not a notice of kind tech_pass")
    return data


def read_tech_pass(payload: bytes, county_key: PublicKey | None, county: str, kiosk: str, now_ms: int) -> TechPass:
    """The pass, if it opens `kiosk` of `county` at `now_ms`; TechPassRefused (with its reason) otherwise."""
    data = _peek(payload)
    body = data.get("body")
    claimed = body.get("pass_id") if isinstance(body, Mapping) else None
    pass_id = claimed if isinstance(claimed, str) and _PASS_ID.match(claimed) else None
    if county_key is None:
        raise TechPassRefused(RefusalReason.NO_COUNTY_KEY, pass_id)
    if data.get("county") != county:
        raise TechPassRefused(RefusalReason.OTHER_COUNTY, pass_id)
    try:
        notice = open_notice(payload, county_key, county, NoticeKind.TECH_PASS)
    except MalformedNotice as exc:
        raise TechPassRefused(RefusalReason.MALFORMED, pass_id, str(exc)) from exc
    except VerificationError as exc:
        raise TechPassRefused(RefusalReason.FORGED, pass_id) from exc
    problem = _body_problem(notice.body)
    if problem:
        raise TechPassRefused(RefusalReason.MALFORMED, pass_id, problem)
    b = notice.body
    tech = TechPass(b["pass_id"], b["name"], county, tuple(b["kiosks"]), b["not_before"], b["expires"])
    if not tech.opens(kiosk):
        raise TechPassRefused(RefusalReason.OTHER_KIOSK, tech.pass_id)
    if now_ms < tech.not_before_ms:
        raise TechPassRefused(RefusalReason.NOT_YET_VALID, tech.pass_id)
    if now_ms >= tech.expires_ms:
        raise TechPassRefused(RefusalReason.EXPIRED, tech.pass_id)
    return tech


class TechnicianGate:
    """Checks passes for this kiosk and writes each entry and refusal to the audit log. Blocking (SQLite)."""

    def __init__(self, db: Database, time: TimeService, county_key: PublicKey | None, county: str, kiosk: str) -> None:
        self._db = db
        self._time = time
        self._key = county_key
        self._county = county
        self._kiosk = kiosk

    def admit(self, payload: bytes) -> TechPass:
        when = self._time.now()
        try:
            tech = read_tech_pass(payload, self._key, self._county, self._kiosk, to_ms(when.at))
        except TechPassRefused as refused:
            with self._db.transaction() as conn:
                audit.append(
                    conn,
                    when,
                    audit.AuditAction.TECHNICIAN_REFUSED,
                    f"technician:{refused.pass_id or 'unknown'}",
                    self._kiosk,
                    {"reason": refused.reason.value},
                )
            raise
        with self._db.transaction() as conn:
            audit.append(
                conn,
                when,
                audit.AuditAction.TECHNICIAN_ADMITTED,
                f"technician:{tech.pass_id}",
                self._kiosk,
                {"expires": tech.expires_ms},
            )
        return tech

    def left(self, tech: TechPass, why: str) -> None:
        """Maintenance mode ended (exit, idle): recorded, so the log shows how long a technician was in."""
        with self._db.transaction() as conn:
            audit.append(
                conn,
                self._time.now(),
                audit.AuditAction.TECHNICIAN_LEFT,
                f"technician:{tech.pass_id}",
                self._kiosk,
                {"why": why[:40]},
            )
