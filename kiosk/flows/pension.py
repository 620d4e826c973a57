"""The yearly pension qualification check (养老待遇资格认证): a live face, matched 1:1, → `pension.proof_of_life`.

A Qt-free state machine for a signed-in villager; the UI calls one method per step off the GUI thread. The face
is captured with the same liveness as enrolment (blink, head turn, replay check: drivers/face.py) and matched
against the template enrolled on this kiosk, with the enrolment's threshold and retry limit. A pass queues the
transaction, signed by the villager's key (opened by their PIN at sign-in) and the device. When the tries run
out, a *failed* check is queued as well (the county sees that someone failed the check for this pension, which
is the point of it), and a cadre may still check the person in person: their PIN again, and the transaction
records `check: "cadre"` with the cadre as witness (a third signature). No image and no template leave the
kiosk; the body carries the scores. The county's answer comes back as a `service_status` inbox item whose
`request` is the transaction id (sync/county/office.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, NoReturn, Protocol

from kiosk.clock import TimeService
from kiosk.config import EnrolmentSettings
from kiosk.crypto import canonical
from kiosk.crypto.suites import Signer
from kiosk.errors import DeviceError, DomainError, StoreError, UserFacingError
from kiosk.flows.signin import VillagerSession
from kiosk.identity import did as didm
from kiosk.identity.device import DeviceIdentity
from kiosk.identity.keystore import KeyStore
from kiosk.identity.registry import EnrolledPerson, PersonRegistry, Witness
from kiosk.ports import Camera, FaceAnalyser, FaceHint, LivenessFailed
from kiosk.store import deliveries, outbox
from kiosk.store.db import Database, StoreFull
from kiosk.tx import envelope
from kiosk.tx.bodies import validate_body
from kiosk.tx.envelope import RoleSigner, SignerRole
from kiosk.tx.verify import device_kid, verify

logger = logging.getLogger(__name__)

TX_TYPE = "pension.proof_of_life"
STATUS_KIND = "service_status"  # the office's answer (docs/protocol.md)
CHINA = timezone(timedelta(hours=8), "CST")  # the year a check is for is the county's year


class PensionStep(StrEnum):
    FACE = "face"
    DONE = "done"
    FAILED = "failed"  # the face tries ran out (a failed check was queued); a cadre may still check in person
    CANCELLED = "cancelled"


class PensionFlowError(DomainError):
    """A step was called out of order, or with an ended session: a bug in the caller."""


@dataclass(frozen=True, slots=True)
class PensionServices:
    db: Database
    time: TimeService
    device: DeviceIdentity
    device_signer: Signer
    keystore: KeyStore
    registry: PersonRegistry
    camera: Camera
    face: FaceAnalyser
    settings: EnrolmentSettings  # the same capture timeout, retry limit and match threshold as enrolment


class CadreCheck(Protocol):
    """A cadre standing by (kiosk/flows/cadre.py `CadreSession` is one): their DID and their PIN to co-sign."""

    did: str

    def unlock_witness(self, pin: str) -> Witness: ...


@dataclass(frozen=True, slots=True)
class PensionReceipt:
    tx_id: str
    period: str
    outcome: str  # "passed" | "failed"
    check: str  # "face_match" | "cadre"
    score: int | None


@dataclass(frozen=True, slots=True)
class PensionCheck:
    """One check queued here, with the county's answer once it came: what "我的认证" shows."""

    tx_id: str
    period: str
    outcome: str
    check: str
    at_ms: int
    committed: bool
    answer: str  # the office's words ("认证成功，请在2027年6月底前再来认证"), "" until it answers
    next_due: str | None  # YYYY-MM-DD, from the office


def period_of(at: datetime) -> str:
    return str(at.astimezone(CHINA).year)


class PensionCheckFlow:
    def __init__(self, services: PensionServices, session: VillagerSession) -> None:
        if session.signer is None:
            raise PensionFlowError("the villager's session has ended")
        person = services.registry.by_did(session.did)
        if person is None:
            raise UserFacingError("signin.not_enrolled")
        self._s = services
        self._session = session
        self._person: EnrolledPerson = person
        self._tries = 0
        self.step = PensionStep.FACE
        self.period = period_of(services.time.now().at)
        self.receipt: PensionReceipt | None = None

    # --- what the screen asks before it starts ------------------------------------------------------------

    @property
    def face_on_file(self) -> bool:
        """False for a villager enrolled by a cadre's check without a face: only a cadre can check them."""
        return self._s.registry.face_template(self._person) is not None

    @property
    def tries_left(self) -> int:
        return max(0, self._s.settings.max_retries - self._tries)

    def done_this_year(self) -> PensionCheck | None:
        """A check that passed for this year already (the screen says so; doing it again is harmless)."""
        for check in checks(self._s.db, self._session.did):
            if check.period == self.period and check.outcome == "passed":
                return check
        return None

    # --- the face ----------------------------------------------------------------------------------------

    def capture_face(self, on_hint: Callable[[FaceHint], None]) -> PensionReceipt:
        """Capture a live face and match it against the enrolled one; a pass is queued and returned."""
        self._expect(PensionStep.FACE)
        reference = self._s.registry.face_template(self._person)
        if reference is None:
            raise UserFacingError("pension.no_face_on_file")
        cfg = self._s.settings
        try:
            face = self._s.face.capture(self._s.camera, cfg.face_capture_timeout_s, on_hint)
        except LivenessFailed:
            self._retry("pension.not_live", None)
        except DeviceError as exc:
            logger.info("pension face capture failed: %s", type(exc).__name__)
            self._retry("pension.no_face", None)
        if not face.liveness_passed:
            self._retry("pension.not_live", None)
        match = self._s.face.match(face.template, reference)
        summary = {
            "method": f"{face.method}; match={match.method}"[:120],
            "quality": face.quality,
            "live": True,
            "score": match.score,
            "threshold": cfg.face_match_min_score,
        }
        if match.score < cfg.face_match_min_score:
            self._retry("pension.no_match", summary)
        self._tries += 1
        return self._record("passed", "face_match", None, summary, None)

    def _retry(self, key: str, summary: Mapping[str, Any] | None) -> NoReturn:
        self._tries += 1
        left = self._s.settings.max_retries - self._tries
        if left > 0:
            raise UserFacingError(key, tries_left=left)
        self._record("failed", "face_match", key.removeprefix("pension."), summary, None)
        self.step = PensionStep.FAILED
        raise UserFacingError(f"{key}.final")

    # --- a cadre checks the person instead ----------------------------------------------------------------

    def cadre_confirms(self, cadre: CadreCheck, cadre_pin: str) -> PensionReceipt:
        """A cadre saw the villager in person and confirms it with their PIN; recorded as a cadre's check."""
        self._expect(PensionStep.FACE, PensionStep.FAILED)
        if cadre.did == self._session.did:
            raise UserFacingError("cadre.self_witness")
        witness = cadre.unlock_witness(cadre_pin)  # a wrong PIN: UserFacingError, counted towards the cadre's lock
        return self._record("passed", "cadre", None, None, witness)

    def cancel(self) -> None:
        if self.step is PensionStep.FACE:
            self.step = PensionStep.CANCELLED

    # --- plumbing ----------------------------------------------------------------------------------------

    def _expect(self, *steps: PensionStep) -> None:
        if self.step not in steps:
            raise PensionFlowError(f"the pension check is at {self.step.value}, not {'/'.join(s.value for s in steps)}")
        if self._session.signer is None:
            raise PensionFlowError("the villager's session has ended")

    def _record(
        self,
        outcome: str,
        check: str,
        reason: str | None,
        face: Mapping[str, Any] | None,
        witness: Witness | None,
    ) -> PensionReceipt:
        try:
            env = self._queue(outcome, check, reason, face, witness)
        except StoreError as exc:
            logger.error("the pension check could not be saved: %s", type(exc).__name__)
            self.step = PensionStep.FAILED
            raise UserFacingError("store.full" if isinstance(exc, StoreFull) else "store.failed") from None
        score = None if face is None else int(face["score"])
        receipt = PensionReceipt(env.id, self.period, outcome, check, score)
        if outcome == "passed":
            self.step = PensionStep.DONE
            self.receipt = receipt
        return receipt

    def _queue(
        self, outcome: str, check: str, reason: str | None, face: Mapping[str, Any] | None, witness: Witness | None
    ) -> envelope.Envelope:
        s, did, signer = self._s, self._session.did, self._session.signer
        if signer is None:
            raise PensionFlowError("the villager's session has ended")
        when = s.time.now()
        body = {
            "did": did,
            "period": self.period,
            "outcome": outcome,
            "check": check,
            "reason": reason,
            "face": None if face is None else dict(face),
            "tries": self._tries,
            "witness": None if witness is None else witness.did,
            "clock": when.source.value,
        }
        validate_body(TX_TYPE, body)
        signers = [
            RoleSigner(SignerRole.VILLAGER, didm.key_id(did, s.keystore.get(did).version), signer),
            RoleSigner(SignerRole.DEVICE, device_kid(s.device.county_id, s.device.kiosk_id), s.device_signer),
        ]
        if witness is not None:
            signers.append(RoleSigner(SignerRole.CADRE, witness.kid, witness.signer))
        dev = s.device
        with s.db.transaction() as conn:
            s.time.persist(conn)

            def build(seq: int) -> envelope.Envelope:
                return envelope.build(
                    TX_TYPE, county=dev.county_id, kiosk=dev.kiosk_id, seq=seq, when=when, body=body, signers=signers
                )

            env = outbox.append(conn, build)
            verify(env, s.registry.resolver)  # the county runs the same check: refuse here rather than there
        return env


# --- what was done, and what the county said ---------------------------------------------------------------


def _answers(db: Database) -> dict[str, tuple[int, str, str | None]]:
    """The office's newest answer per transaction id: (at_ms, words, next_due)."""
    out: dict[str, tuple[int, str, str | None]] = {}
    with db.transaction() as conn:
        items = deliveries.inbox(conn, STATUS_KIND)
    for item in items:
        p = item.payload
        if not isinstance(p, Mapping) or p.get("service") != TX_TYPE:
            continue
        req, at, words, due = p.get("request"), p.get("at_ms"), p.get("reason", ""), p.get("next_due")
        if not isinstance(req, str) or not isinstance(at, int) or not isinstance(words, str):
            logger.warning("a malformed pension answer was ignored")
            continue
        if req not in out or out[req][0] <= at:
            out[req] = (at, words[:200], due if isinstance(due, str) else None)
    return out


def checks(db: Database, did: str) -> list[PensionCheck]:
    """The villager's checks queued on this kiosk, newest first, each with the office's answer if it came."""
    answers = _answers(db)
    rows = db.read("SELECT id, envelope, state, created_ms FROM outbox WHERE type = ? ORDER BY seq DESC", (TX_TYPE,))
    out = []
    for tx_id, raw, state, created in rows:
        body = canonical.loads(bytes(raw)).get("body", {})
        if not isinstance(body, Mapping) or body.get("did") != did:
            continue
        _at, words, due = answers.get(str(tx_id), (0, "", None))
        out.append(
            PensionCheck(
                str(tx_id),
                str(body.get("period")),
                str(body.get("outcome")),
                str(body.get("check")),
                int(created),
                state == "committed",
                words,
                due,
            )
        )
    return out
