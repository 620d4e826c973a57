"""Sign-in of a returning villager: ID card → PIN → their signer, or the lock after too many wrong PINs.

A Qt-free state machine like the enrolment flow; the UI calls one method per step off the GUI thread. The
card only finds the person (HMAC index); the PIN opens their key, and the keystore counts wrong PINs in the
database, so neither a restart nor a second card read resets the count.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from kiosk.clock import TimeService
from kiosk.config import EnrolmentSettings
from kiosk.crypto.suites import Signer
from kiosk.errors import DeviceError, DomainError, KeyLockedError, UserFacingError
from kiosk.identity.keystore import KeyStore
from kiosk.identity.registry import EnrolledPerson, PersonRegistry
from kiosk.ports import CardReader, CardRemoved, CorruptCardRecord, DeviceTimeout

logger = logging.getLogger(__name__)


class SignInStep(StrEnum):
    CARD = "card"
    PIN = "pin"
    SIGNED_IN = "signed_in"
    NOT_ENROLLED = "not_enrolled"
    LOCKED = "locked"
    ENDED = "ended"


class SignInFlowError(DomainError):
    """A step was called out of order: a bug in the caller."""


@dataclass(slots=True, repr=False)
class VillagerSession:
    """Who is signed in: their DID, the name to greet them with, and their unlocked key. `wipe()` forgets all."""

    did: str
    name: str
    signer: Signer | None

    def wipe(self) -> None:
        if self.signer is not None:
            self.signer.wipe()
        self.signer = None
        self.did = self.name = ""

    def __repr__(self) -> str:
        return "VillagerSession(***)"


class SignInFlow:
    def __init__(
        self,
        registry: PersonRegistry,
        keystore: KeyStore,
        reader: CardReader,
        time: TimeService,
        cfg: EnrolmentSettings,
    ) -> None:
        self._registry = registry
        self._keys = keystore
        self._reader = reader
        self._time = time
        self._cfg = cfg
        self._person: EnrolledPerson | None = None
        self._name = ""
        self._card_tries = 0
        self.step = SignInStep.CARD

    def _expect(self, step: SignInStep) -> None:
        if self.step is not step:
            raise SignInFlowError(f"sign-in is at {self.step.value}, not {step.value}")

    def read_card(self) -> str:
        """Read the card and find its holder; returns the name to greet them with."""
        self._expect(SignInStep.CARD)
        try:
            card = self._reader.read_card(self._cfg.card_read_timeout_s)
        except DeviceTimeout:
            self._card_failed("card.none")
        except CardRemoved:
            self._card_failed("card.removed")
        except CorruptCardRecord:
            self._card_failed("card.unreadable")
        except DeviceError as exc:
            logger.warning("card reader failed: %s", type(exc).__name__)
            self._card_failed("card.reader_failed")
        person = self._registry.find(card.id_number)
        if person is None:
            self.step = SignInStep.NOT_ENROLLED
            raise UserFacingError("signin.not_enrolled")
        if self._keys.get(person.did).locked:
            self.step = SignInStep.LOCKED
            raise UserFacingError("pin.locked")
        self._person, self._name = person, card.name
        self.step = SignInStep.PIN
        return card.name

    @property
    def person_did(self) -> str | None:
        """The DID of the card's holder, once the card is read (the cadre entry checks the roster with it)."""
        return None if self._person is None else self._person.did

    def _card_failed(self, key: str) -> None:
        self._card_tries += 1
        if self._card_tries >= self._cfg.max_retries:
            self.step = SignInStep.ENDED
            raise UserFacingError(f"{key}.final")
        raise UserFacingError(key, tries_left=self._cfg.max_retries - self._card_tries)

    def enter_pin(self, pin: str) -> VillagerSession:
        """Open the villager's key. A wrong PIN says how many tries are left; the last one locks the key."""
        self._expect(SignInStep.PIN)
        person = self._person
        if person is None:
            raise SignInFlowError("no person found yet")
        try:
            signer = self._keys.unlock(person.did, pin, self._time.now)
        except KeyLockedError:
            self.step = SignInStep.LOCKED
            raise UserFacingError("pin.locked") from None
        except UserFacingError as exc:
            if exc.message_key == "pin.locked":
                self.step = SignInStep.LOCKED
            raise
        self.step = SignInStep.SIGNED_IN
        session = VillagerSession(person.did, self._name, signer)
        self._person, self._name = None, ""
        return session

    def cancel(self) -> None:
        self._person, self._name = None, ""
        self.step = SignInStep.ENDED
