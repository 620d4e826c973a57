"""互证: the signed-in villager vouches for another: their card → the relation → what is vouched → PIN → done.

Wraps `kiosk.flows.attest.AttestFlow` (the cap, the credential, the `attest.peer` transaction). The other
villager's card is read on the `hw` lane; the flow's checks and the PIN (scrypt, signing) on the `store` lane.
The words a villager chooses are the claim values themselves (the Chinese sources of ui/text.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.credentials.wallet import Holder
from kiosk.errors import KeyLockedError, UserFacingError
from kiosk.flows.attest import AttestFlow, AttestStep
from kiosk.flows.signin import VillagerSession
from kiosk.ports import CardReader
from ui import text_proofs as text
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry
from ui.viewmodels.proofdesk import ProofDesk

logger = logging.getLogger(__name__)

CARD_WAIT_S = 30.0
# At most four choices a screen (UI.md): the relations villagers name most; 同组 reads as 同村 to them.
RELATIONS = (text.REL_NEIGHBOUR, text.REL_FAMILY, text.REL_VILLAGE, text.REL_COOP)
STATEMENTS = (text.STMT_KNOWN, text.STMT_LIVES_HERE, text.STMT_FARMS_HERE)


class AttestPhase(StrEnum):
    SUBJECT = "subject"  # 请对方把身份证放在感应区
    RELATION = "relation"
    STATEMENT = "statement"
    PIN = "pin"
    DONE = "done"
    REFUSED = "refused"  # at the cap, or the PIN locked
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class AttestState:
    phase: AttestPhase = AttestPhase.SUBJECT
    busy: bool = False
    relation: str = ""
    statement: str = ""
    stored_here: bool = False
    error: UserFacingError | None = None


class AttestViewModel(Observable):
    def __init__(
        self,
        desk: ProofDesk,
        session: VillagerSession,
        reader: Callable[[], CardReader],
        hw: Run,
        store: Run,
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._desk, self._session = desk, session
        self._reader, self._hw, self._store = reader, hw, store
        self._flow: AttestFlow = desk.attest_flow(session)
        self.pin = PinEntry(shuffle_keypad)
        self.state = AttestState()
        self._ended = False

    def _set(self, **changes: object) -> None:
        if self._ended:
            return
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._changed()

    def _failed(self, exc: Exception) -> None:
        """A card not read, not enrolled here, or oneself: stay and say so; the cap or a lock: refused."""
        if isinstance(exc, KeyLockedError):
            exc = UserFacingError("pin.locked")
        if not isinstance(exc, UserFacingError):
            logger.error("互证 failed unexpectedly: %s", type(exc).__name__)
            exc = UserFacingError("store.failed")
        final = exc.message_key in ("credential.attestation_cap", "pin.locked", "store.failed")
        if final or self._flow.step is AttestStep.ENDED:
            self.pin.clear()
            self._set(busy=False, phase=AttestPhase.REFUSED, error=exc)
        else:
            self._set(busy=False, error=exc)

    # --- 1. whose card ---------------------------------------------------------------------------------

    def read_card(self) -> None:
        if self.state.busy or self.state.phase is not AttestPhase.SUBJECT:
            return
        self._set(busy=True, error=None)
        reader = self._reader()
        self._hw(lambda: self._desk.subject_from_card(reader, CARD_WAIT_S), self._got_subject, self._failed)

    def _got_subject(self, subject: Holder) -> None:
        if subject.did == self._session.did:
            self._failed(UserFacingError("credential.attest_self"))
            return
        flow = self._flow

        def check() -> None:
            flow.set_subject(subject)  # the cap, counted in the database

        self._store(check, lambda _none: self._set(busy=False, phase=AttestPhase.RELATION), self._failed)

    # --- 2. relation and statement --------------------------------------------------------------------

    def pick_relation(self, relation: str) -> None:
        if self.state.phase is AttestPhase.RELATION and relation in RELATIONS:
            self._set(relation=relation)

    def pick_statement(self, statement: str) -> None:
        if self.state.phase is AttestPhase.STATEMENT and statement in STATEMENTS:
            self._set(statement=statement)

    def next(self) -> None:
        s = self.state
        if s.phase is AttestPhase.RELATION and s.relation:
            self._set(phase=AttestPhase.STATEMENT)
        elif s.phase is AttestPhase.STATEMENT and s.statement:
            try:
                self._flow.set_statement(s.relation, s.statement)  # a schema check, no database
            except UserFacingError as exc:
                self._failed(exc)
                return
            self._set(phase=AttestPhase.PIN, error=None)

    def back(self) -> None:
        if self.state.phase is AttestPhase.STATEMENT:
            self._set(phase=AttestPhase.RELATION, statement="")

    # --- 3. PIN ---------------------------------------------------------------------------------------

    def submit_pin(self) -> None:
        if self.state.busy or self.state.phase is not AttestPhase.PIN or not self.pin.state.complete:
            return
        pin = self.pin.take()
        flow = self._flow
        self._set(busy=True, error=None)
        self._store(lambda: flow.confirm(pin).stored_here, self._done, self._failed)

    def _done(self, stored_here: bool) -> None:
        self._set(busy=False, phase=AttestPhase.DONE, stored_here=stored_here)

    @property
    def holds_work(self) -> bool:
        return self.state.phase in (AttestPhase.RELATION, AttestPhase.STATEMENT, AttestPhase.PIN)

    def cancel(self) -> None:
        self.pin.clear()
        self.state = AttestState(phase=AttestPhase.ENDED)
        self._ended = True
        self._changed()
