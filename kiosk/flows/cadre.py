"""Cadre mode: the cadre's card and PIN (the sign-in flow, with its five-PIN lock) → a `CadreSession`.

Qt-free, like the other flows; the UI calls one method per step off the GUI thread. A cadre is a person enrolled
here whose DID is on the county's roster (kiosk/identity/roster.py). The session holds the cadre's unlocked key
for as long as cadre mode lasts; `wipe()` drops it. At the end of every enrolment the cadre witnesses, their PIN
is asked again (`unlock_witness`, counted like any wrong PIN) before their key co-signs; that enrolment's own
audit row (`identity.enrolled`) names the cadre as actor. `CadreDesk` writes every other cadre action to the
audit log (`cadre.action`, the cadre's DID as actor, never a name).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from enum import StrEnum
from typing import NoReturn

from kiosk.clock import TimeService
from kiosk.crypto.suites import Signer
from kiosk.errors import KeyLockedError, UserFacingError
from kiosk.flows.signin import SignInFlow, SignInStep
from kiosk.identity import did as didm
from kiosk.identity.keystore import KeyStore
from kiosk.identity.registry import Witness
from kiosk.identity.roster import Cadre, Roster, load_roster
from kiosk.store import activity, audit
from kiosk.store.db import Database

logger = logging.getLogger(__name__)


class CadreAction(StrEnum):
    """What a cadre did, as the audit log's `detail.action` of a `cadre.action` row."""

    ENTERED = "entered"
    REFUSED = "refused"  # someone not on the roster (or no roster held) tried the entry
    LEFT = "left"
    ASSISTED = "assisted"  # began an assisted enrolment
    PROXY = "proxy"  # began operating the screen for a villager
    VIEWED_QUEUE = "viewed_queue"
    VIEWED_TODAY = "viewed_today"
    RETRIED = "retried"


class CadreStep(StrEnum):
    CARD = "card"
    PIN = "pin"
    ADMITTED = "admitted"
    REFUSED = "refused"  # not a cadre, or no roster: a calm refusal, then home
    LOCKED = "locked"
    ENDED = "ended"


class CadreSession:
    """The cadre at the screen: DID, the roster's name for the banner, and the unlocked key until `wipe()`."""

    __slots__ = ("_keys", "_time", "did", "kid", "name", "signer")

    def __init__(self, cadre: Cadre, kid: str, signer: Signer, keys: KeyStore, time: TimeService) -> None:
        self.did = cadre.did
        self.name = cadre.name
        self.kid = kid
        self.signer: Signer | None = signer
        self._keys = keys
        self._time = time

    @property
    def active(self) -> bool:
        return self.signer is not None

    def unlock_witness(self, pin: str) -> Witness:
        """The cadre's PIN again, at the end of an enrolment they witness; their held key then co-signs.

        The PIN is checked by opening the stored key (so wrong ones count towards the lock like any other);
        the key opened for the check is wiped at once. A lock ends the session.
        """
        signer = self.signer
        if signer is None:
            raise UserFacingError("cadre.session_ended")
        try:
            self._keys.unlock(self.did, pin, self._time.now).wipe()
        except KeyLockedError:
            self.wipe()
            raise UserFacingError("pin.locked") from None
        except UserFacingError as exc:
            if exc.message_key == "pin.locked":
                self.wipe()
            raise
        return Witness(self.did, self.kid, signer)

    def wipe(self) -> None:
        if self.signer is not None:
            self.signer.wipe()
        self.signer = None
        self.name = ""

    def __repr__(self) -> str:
        return "CadreSession(***)"


class CadreDesk:
    """The roster and the audit log, for the cadre entry and cadre mode. Blocking (SQLite): the store lane."""

    def __init__(self, db: Database, time: TimeService, kiosk_id: str) -> None:
        self._db = db
        self._time = time
        self._kiosk = kiosk_id

    def roster(self) -> Roster | None:
        # Through a transaction: the Database lends its connection only this way.
        with self._db.transaction() as conn:
            return load_roster(conn)

    def record(self, actor: str, action: CadreAction, detail: Mapping[str, object] | None = None) -> None:
        """One `cadre.action` row: who (a DID, or "unknown"), what, and a detail without personal data."""
        with self._db.transaction() as conn:
            self._append(conn, actor, action, detail)

    def _append(
        self, conn: sqlite3.Connection, actor: str, action: CadreAction, detail: Mapping[str, object] | None = None
    ) -> None:
        audit.append(
            conn,
            self._time.now(),
            audit.AuditAction.CADRE_ACTION,
            actor,
            self._kiosk,
            {"action": action.value, **(detail or {})},
        )

    def queue(self, actor: str) -> tuple[activity.QueueCounts, list[activity.QueueItem]]:
        """The queue to the county, as the cadre sees it (and the look is audited)."""
        with self._db.transaction() as conn:
            self._append(conn, actor, CadreAction.VIEWED_QUEUE)
            return activity.queue_counts(conn), activity.queue(conn)

    def resend(self, actor: str, tx_id: str) -> bool:
        """Queue a rejected item again if a resend can cure it; the audit row keeps the county's reason."""
        with self._db.transaction() as conn:
            reason = activity.requeue_rejected(conn, tx_id)
            if reason is None:
                return False
            self._append(conn, actor, CadreAction.RETRIED, {"tx": tx_id, "reason": reason[:200]})
            return True

    def today(self, actor: str) -> activity.Today:
        with self._db.transaction() as conn:
            self._append(conn, actor, CadreAction.VIEWED_TODAY)
            return activity.today(conn, self._time.now().at)


class CadreEntryFlow:
    """Card → roster check → PIN. Wrong PINs and the lock are the sign-in flow's (counted in the database)."""

    def __init__(self, signin: SignInFlow, desk: CadreDesk, keys: KeyStore, time: TimeService) -> None:
        self._signin = signin
        self._desk = desk
        self._keys = keys
        self._time = time
        self._cadre: Cadre | None = None
        self.step = CadreStep.CARD

    def read_card(self) -> str:
        """Read the card; the cadre's name (from the roster) if its holder is one. Refuses calmly otherwise."""
        if self.step is not CadreStep.CARD:
            raise UserFacingError("cadre.session_ended")
        roster = self._desk.roster()
        if roster is None:
            self._refuse("unknown", "no_roster", "cadre.no_roster")
        try:
            self._signin.read_card()
        except UserFacingError:
            self._follow_signin()
            if self._signin.step is SignInStep.NOT_ENROLLED:
                self._refuse("unknown", "not_enrolled", "cadre.not_cadre")
            raise
        did = self._signin.person_did or ""
        cadre = roster.find(did)
        if cadre is None:
            self._signin.cancel()
            self._refuse(did, "not_on_roster", "cadre.not_cadre")
        self._cadre = cadre
        self.step = CadreStep.PIN
        return cadre.name

    def _refuse(self, actor: str, why: str, key: str) -> NoReturn:
        self.step = CadreStep.REFUSED
        self._desk.record(actor, CadreAction.REFUSED, {"why": why})
        raise UserFacingError(key)

    def _follow_signin(self) -> None:
        if self._signin.step is SignInStep.LOCKED:
            self.step = CadreStep.LOCKED
        elif self._signin.step is SignInStep.ENDED:
            self.step = CadreStep.ENDED

    def enter_pin(self, pin: str) -> CadreSession:
        cadre = self._cadre
        if self.step is not CadreStep.PIN or cadre is None:
            raise UserFacingError("cadre.session_ended")
        try:
            villager = self._signin.enter_pin(pin)
        except UserFacingError:
            self._follow_signin()
            raise
        signer = villager.signer
        if signer is None:  # the sign-in flow always hands a key over; this keeps mypy and readers sure
            raise UserFacingError("cadre.session_ended")
        version = self._keys.get(cadre.did).version
        session = CadreSession(cadre, didm.key_id(cadre.did, version), signer, self._keys, self._time)
        villager.signer = None  # the cadre session owns the key now
        villager.wipe()
        self._cadre = None
        self.step = CadreStep.ADMITTED
        self._desk.record(cadre.did, CadreAction.ENTERED)
        return session

    def cancel(self) -> None:
        self._signin.cancel()
        self._cadre = None
        self.step = CadreStep.ENDED
