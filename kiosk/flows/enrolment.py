"""The enrolment flow: ID card → checks → consent → face → PIN twice → keys, DID and `identity.enroll`.

A Qt-free state machine. The UI calls one method per step (off the GUI thread: they block on devices) and
renders `step`. Each step has a deadline and a retry limit; every failure a villager can meet is a
`UserFacingError` with a message key. `cancel()` at any point wipes what the session held and writes
nothing. A person already enrolled here goes, with a cadre, down the recovery path instead: the same
checks, then their DID's pre-committed next key takes over under a new PIN (`did.rotate`).

With a cadre, the witness is either fixed at the start (`witness`) or signs at the end (`witness_at_end`): after
the villager's PIN twice the flow waits at WITNESS for the cadre's own PIN, which unlocks the cadre's key as
`Witness`, and only then commits (UI.md: "with the cadre's PIN at the end as witness").
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NoReturn, Protocol

from kiosk.clock import TimeService
from kiosk.config import EnrolmentSettings
from kiosk.domain.consent import ENROLMENT, ConsentText
from kiosk.domain.idcard import CardKind, IdCard
from kiosk.domain.idnumber import InvalidIdNumber, validate_id_number
from kiosk.errors import DeviceError, DomainError, StoreError, UserFacingError
from kiosk.identity.keystore import check_pin
from kiosk.identity.registry import EnrolledPerson, EnrolmentReceipt, EnrolmentRecord, PersonRegistry, Witness
from kiosk.ports import (
    Camera,
    CardPhotoDecoder,
    CardReader,
    CardRemoved,
    CorruptCardRecord,
    DeviceTimeout,
    FaceAnalyser,
    FaceCapture,
    FaceHint,
    FaceMatch,
    LivenessFailed,
)
from kiosk.store.db import StoreFull
from kiosk.tx.bodies import EnrolMode

logger = logging.getLogger(__name__)


class EnrolStep(StrEnum):
    CARD = "card"
    CONSENT = "consent"
    FACE = "face"
    PIN = "pin"
    PIN_CONFIRM = "pin_confirm"
    WITNESS = "witness"  # the villager's PIN is set; the cadre's PIN signs as witness, then it commits
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


class FlowError(DomainError):
    """A step was called out of order: a bug in the caller, not something a villager did."""


@dataclass(frozen=True, slots=True)
class CardSummary:
    """What the screen may show after the card is read: no full ID number, ever."""

    name: str
    masked_id: str
    recovery: bool  # this person is enrolled here already; the flow will rotate their key


@dataclass(slots=True, repr=False)
class EnrolmentDraft:
    """What the session holds between steps; wiped on cancel, failure and completion."""

    card: IdCard | None = None
    existing: EnrolledPerson | None = None
    consent: ConsentText | None = None
    face: FaceCapture | None = None
    match: FaceMatch | None = None
    cadre_checked: bool = False
    pin: bytearray | None = None
    attempts: dict[EnrolStep, int] = field(default_factory=dict)

    def wipe(self) -> None:
        if self.pin is not None:
            self.pin[:] = b"\0" * len(self.pin)
        self.card = self.existing = self.consent = self.face = self.match = self.pin = None
        self.cadre_checked = False

    def __repr__(self) -> str:
        return "EnrolmentDraft(***)"


class WitnessKey(Protocol):
    """A cadre standing by whose key opens with their PIN at the end of the enrolment they witness."""

    def unlock_witness(self, pin: str) -> Witness:
        """The cadre's Witness (its signer stays the cadre's to wipe); UserFacingError on a wrong PIN."""
        ...


@dataclass(frozen=True, slots=True)
class EnrolmentDevices:
    card_reader: CardReader
    camera: Camera
    face: FaceAnalyser
    photo_decoder: CardPhotoDecoder | None = None


def mask_id(id_number: str) -> str:
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class EnrolmentFlow:
    def __init__(
        self,
        registry: PersonRegistry,
        devices: EnrolmentDevices,
        time: TimeService,
        settings: EnrolmentSettings,
        mode: EnrolMode = EnrolMode.SELF,
        witness: Witness | None = None,
        witness_at_end: WitnessKey | None = None,
    ) -> None:
        if witness is not None and witness_at_end is not None:
            raise FlowError("a witness signs either from the start or at the end, not both")
        if (mode is EnrolMode.SELF) != (witness is None and witness_at_end is None):
            raise FlowError("assisted and proxy enrolment need a witness; self enrolment has none")
        self._registry = registry
        self._dev = devices
        self._time = time
        self._cfg = settings
        self.mode = mode
        self._witness = witness
        self._witness_at_end = witness_at_end
        self._draft = EnrolmentDraft()
        self.step = EnrolStep.CARD
        self.failure: UserFacingError | None = None
        self._started = time.monotonic()

    # --- plumbing -------------------------------------------------------------------------------

    def _go(self, step: EnrolStep) -> None:
        self.step = step
        self._started = self._time.monotonic()

    def _expect(self, *steps: EnrolStep) -> None:
        if self.step not in steps:
            raise FlowError(f"enrolment is at {self.step.value}, not {'/'.join(s.value for s in steps)}")
        if self._time.monotonic() - self._started > self._cfg.step_timeout_s:
            self._fail("enrol.timeout")

    def _fail(self, key: str, **params: object) -> NoReturn:
        self._draft.wipe()
        self.step = EnrolStep.FAILED
        self.failure = UserFacingError(key, **params)
        raise self.failure

    def _retry(self, key: str, **params: object) -> NoReturn:
        """Count a failed try of this step: the villager may try again, or the flow ends."""
        n = self._draft.attempts[self.step] = self._draft.attempts.get(self.step, 0) + 1
        if n >= self._cfg.max_retries:
            self._fail(f"{key}.final", **params)
        raise UserFacingError(key, tries_left=self._cfg.max_retries - n, **params)

    def cancel(self) -> None:
        """The villager (or the idle timeout) ended the session: forget everything, write nothing."""
        self._draft.wipe()
        if self.step not in (EnrolStep.DONE, EnrolStep.FAILED):
            self.step = EnrolStep.CANCELLED

    def check_timeout(self) -> None:
        """Called by the UI's idle timer: ends the flow if the current step ran out of time."""
        if self.step not in (EnrolStep.DONE, EnrolStep.FAILED, EnrolStep.CANCELLED):
            self._expect(self.step)

    @property
    def witnessed(self) -> bool:
        return self._witness is not None or self._witness_at_end is not None

    @property
    def witness_signs_at_end(self) -> bool:
        return self._witness_at_end is not None

    @property
    def is_recovery(self) -> bool:
        return self._draft.existing is not None

    # --- 1. card --------------------------------------------------------------------------------

    def read_card(self) -> CardSummary:
        self._expect(EnrolStep.CARD)
        try:
            card = self._dev.card_reader.read_card(self._cfg.card_read_timeout_s)
        except DeviceTimeout:
            self._retry("card.none")
        except CardRemoved:
            self._retry("card.removed")
        except CorruptCardRecord:
            self._retry("card.unreadable")
        except DeviceError as exc:
            logger.warning("card reader failed: %s", type(exc).__name__)
            self._retry("card.reader_failed")
        self._check_card(card)
        existing = self._registry.find(card.id_number)
        if existing is not None and not self.witnessed:
            self._fail("enrol.already_enrolled")
        self._draft.card, self._draft.existing = card, existing
        self._go(EnrolStep.CONSENT)
        return CardSummary(card.name, mask_id(card.id_number), existing is not None)

    def _check_card(self, card: IdCard) -> None:
        if card.kind is not CardKind.RESIDENT:
            self._fail("card.not_id_card")
        try:
            _number, birth = validate_id_number(card.id_number)
        except InvalidIdNumber:
            self._fail("card.invalid")
        if birth != card.birth_date:
            self._fail("card.invalid")
        today = self._time.now().at.date()
        if card.valid_from > today:
            self._fail("card.not_yet_valid")
        if card.valid_to is not None and card.valid_to < today:
            self._fail("card.expired")
        if age_on(card.birth_date, today) < self._cfg.min_age_years:
            self._fail("enrol.too_young", min_age=self._cfg.min_age_years)

    # --- 2. consent -----------------------------------------------------------------------------

    @property
    def consent_text(self) -> ConsentText:
        return ENROLMENT

    def consent(self, accepted: bool) -> None:
        self._expect(EnrolStep.CONSENT)
        if not accepted:
            self.cancel()
            return
        self._draft.consent = ENROLMENT
        self._go(EnrolStep.FACE)

    # --- 3. face --------------------------------------------------------------------------------

    def capture_face(self, on_hint: Callable[[FaceHint], None]) -> FaceMatch | None:
        """Capture a live face and, where a reference exists, match it 1:1. Returns the match, if any."""
        self._expect(EnrolStep.FACE)
        try:
            face = self._dev.face.capture(self._dev.camera, self._cfg.face_capture_timeout_s, on_hint)
        except LivenessFailed:
            self._retry("face.not_live")
        except DeviceError as exc:
            logger.info("face capture failed: %s", type(exc).__name__)
            self._retry("face.not_found")
        if not face.liveness_passed:
            self._retry("face.not_live")
        reference = self._reference_template()
        match = None
        if reference is not None:
            match = self._dev.face.match(face.template, reference)
            if match.score < self._cfg.face_match_min_score:
                self._retry("face.no_match")
        self._draft.face, self._draft.match = face, match
        self._go(EnrolStep.PIN)
        return match

    def _reference_template(self) -> bytes | None:
        """The face to match: the one enrolled here (recovery), else the card photo if it can be decoded."""
        draft = self._draft
        if draft.existing is not None:
            stored = self._registry.face_template(draft.existing)
            if stored is not None:
                return stored
        if self._dev.photo_decoder is None or draft.card is None or not draft.card.photo:
            return None
        try:
            return self._dev.face.template_from_image(self._dev.photo_decoder.decode(draft.card.photo))
        except DeviceError as exc:
            logger.info("card photo gave no face template: %s", type(exc).__name__)
            return None

    def cadre_confirms_identity(self) -> None:
        """The witnessing cadre checked the person in front of them against the card, in place of the face."""
        self._expect(EnrolStep.FACE)
        if not self.witnessed:
            raise FlowError("only a cadre witness can stand in for the face check")
        self._draft.cadre_checked = True
        self._go(EnrolStep.PIN)

    # --- 4. PIN twice, then commit ------------------------------------------------------------

    def enter_pin(self, pin: str) -> None:
        self._expect(EnrolStep.PIN)
        card = self._draft.card
        if card is None:
            raise FlowError("no card in the draft")
        check_pin(pin, card.birth_date, card.id_number)  # a broken rule is explained, not counted
        self._draft.pin = bytearray(pin.encode("ascii"))
        self._go(EnrolStep.PIN_CONFIRM)

    def confirm_pin(self, pin: str) -> EnrolmentReceipt:
        self._expect(EnrolStep.PIN_CONFIRM)
        if self._witness_at_end is not None:
            raise FlowError("this enrolment ends with the witness: pins_agree, then witness_signs")
        self._same_pin(pin)
        return self._save(pin, self._witness)

    def pins_agree(self, pin: str) -> None:
        """With a witness at the end: the villager's second PIN matched the first; the cadre signs next."""
        self._expect(EnrolStep.PIN_CONFIRM)
        if self._witness_at_end is None:
            raise FlowError("no witness signs at the end of this enrolment")
        self._same_pin(pin)
        self._go(EnrolStep.WITNESS)

    def witness_signs(self, cadre_pin: str) -> EnrolmentReceipt:
        """The cadre's PIN opens their key as witness, then everything commits. A wrong PIN may be tried again."""
        self._expect(EnrolStep.WITNESS)
        key, villager_pin = self._witness_at_end, self._draft.pin
        if key is None or villager_pin is None:
            raise FlowError("the witness step has no villager PIN to save")
        try:
            witness = key.unlock_witness(cadre_pin)
        except UserFacingError as exc:
            if exc.message_key == "pin.locked":
                self._fail("cadre.witness_locked")
            raise
        existing = self._draft.existing
        if existing is not None and existing.did == witness.did:
            self._fail("cadre.self_witness")  # nobody witnesses the recovery of their own key
        return self._save(villager_pin.decode("ascii"), witness)

    def _same_pin(self, pin: str) -> None:
        first = self._draft.pin
        if first is None or not hmac.compare_digest(bytes(first), pin.encode("ascii")):
            self._draft.pin = None
            self._go(EnrolStep.PIN)
            self._retry_pin_mismatch()

    def _save(self, pin: str, witness: Witness | None) -> EnrolmentReceipt:
        try:
            receipt = self._commit(pin, witness)
        except StoreError as exc:
            # Nothing was written (one transaction); the villager can come back once a technician has looked.
            logger.error("enrolment could not be saved: %s", type(exc).__name__)
            self._fail("store.full" if isinstance(exc, StoreFull) else "store.failed")
        finally:
            self._draft.wipe()
        self._go(EnrolStep.DONE)
        return receipt

    def _retry_pin_mismatch(self) -> NoReturn:
        # Counted against the PIN step (we are back on it), so three mismatches end the flow.
        self._retry("pin.mismatch")

    def _commit(self, pin: str, witness: Witness | None) -> EnrolmentReceipt:
        draft = self._draft
        if draft.card is None or draft.consent is None:
            raise FlowError("the draft is not complete")
        rec = EnrolmentRecord(
            card=draft.card,
            face_jpeg=draft.face.image_jpeg if draft.face else None,
            face_template=draft.face.template if draft.face else None,
            identity_check=self._identity_check(),
            face_summary=self._face_summary(),
            consent={"version": draft.consent.version, "text_sha256": draft.consent.sha256},
            mode=self.mode.value,
            witness=witness,
        )
        if draft.existing is not None:
            return self._registry.recover(draft.existing, rec, pin)
        return self._registry.enrol(rec, pin)

    def _identity_check(self) -> str:
        if self._draft.cadre_checked:
            return "cadre"
        return "face_match" if self._draft.match is not None else "face_only"

    def _face_summary(self) -> dict[str, Any] | None:
        face, match = self._draft.face, self._draft.match
        if face is None:
            return None
        return {
            "method": face.method,
            "quality": face.quality,
            "live": face.liveness_passed,
            "match": None if match is None else {"score": match.score, "method": match.method},
        }
