"""出示证明: scan the requester's code → what they want to see → which proof (only qualifying ones) → PIN → a QR.

Wraps `kiosk.flows.present.PresentFlow`; the flow verifies the request against the trust list, lists the
qualifying credentials, and on the PIN makes the presentation and queues the consent receipt. Reading the
request, the PIN (scrypt) and signing run on the `store` lane; looking for the code on the `hw` lane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.credentials import kinds
from kiosk.errors import KeyLockedError, UserFacingError
from kiosk.flows.present import PresentFlow, PresentStep, Preview
from kiosk.flows.signin import VillagerSession
from ui.viewmodels.base import Observable, Run
from ui.viewmodels.pin import PinEntry
from ui.viewmodels.proofdesk import CardView, ProofDesk
from ui.viewmodels.scan import ScanLoop

logger = logging.getLogger(__name__)


class SharePhase(StrEnum):
    SCAN = "scan"
    CHOOSE = "choose"  # "交通局 要看：…" and the qualifying proofs
    PIN = "pin"  # the full preview ("交通局将看到：…") and the keypad
    DONE = "done"  # the presentation as a QR to show
    REFUSED = "refused"  # the request refused, nothing qualifies, or the PIN locked
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Asked:
    verifier: str  # the verifier's name from the trust list (交通局)
    purpose: str
    labels: tuple[str, ...]  # what they ask for, in words, in reading order


@dataclass(frozen=True, slots=True)
class ShareState:
    phase: SharePhase = SharePhase.SCAN
    busy: bool = False
    asked: Asked | None = None
    candidates: tuple[CardView, ...] = ()
    preview: Preview | None = None
    presentation: str | None = None
    error: UserFacingError | None = None


class ShareViewModel(Observable):
    def __init__(
        self,
        desk: ProofDesk,
        session: VillagerSession,
        look: Callable[[float, bool], str | None],
        hw: Run,
        store: Run,
        shuffle_keypad: bool = False,
    ) -> None:
        super().__init__()
        self._desk, self._session, self._store = desk, session, store
        self._flow: PresentFlow | None = None
        self._scan = ScanLoop(look, hw, self._seen, self._scan_refused)
        self.pin = PinEntry(shuffle_keypad)
        self.state = ShareState()
        self._ended = False

    def _set(self, **changes: object) -> None:
        if self._ended:
            return
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._changed()

    def _refuse(self, exc: Exception) -> None:
        if isinstance(exc, KeyLockedError):
            exc = UserFacingError("pin.locked")
        elif not isinstance(exc, UserFacingError):
            logger.error("sharing failed unexpectedly: %s", type(exc).__name__)
            exc = UserFacingError("store.failed")
        self.pin.clear()
        self._set(busy=False, phase=SharePhase.REFUSED, error=exc)

    # --- 1. the requester's code --------------------------------------------------------------------

    def start(self) -> None:
        """Look for a request (again, after a refusal: a new flow, nothing of the old one kept)."""
        if self._flow is not None:
            self._flow.cancel()
        self._flow = None
        self.pin.clear()
        self.state = ShareState()
        self._changed()
        self._scan.start()

    def _seen(self, token: str) -> None:
        self._set(busy=True)
        session = self._session

        def read() -> tuple[PresentFlow, tuple[CardView, ...]]:
            flow = self._desk.present_flow(session)
            self._flow = flow
            offered = {c.entry.id for c in flow.read_request(token)}
            return flow, tuple(c for c in self._desk.cards(session.did) if c.id in offered)

        self._store(read, self._read, self._refuse)

    def _read(self, found: tuple[PresentFlow, tuple[CardView, ...]]) -> None:
        flow, cards = found
        request = flow.draft.request
        if request is None:
            return
        ask = request.payload
        labels = tuple(kinds.preview(ask.vct, list(ask.claims)))
        self._set(
            busy=False,
            phase=SharePhase.CHOOSE,
            asked=Asked(request.verifier_name, ask.purpose, labels),
            candidates=cards,
        )

    def _scan_refused(self, error: UserFacingError) -> None:
        self._set(busy=False, phase=SharePhase.REFUSED, error=error)

    # --- 2. which proof -------------------------------------------------------------------------------

    def choose(self, cid: str) -> None:
        flow = self._flow
        if flow is None or self.state.phase is not SharePhase.CHOOSE:
            return
        self._set(phase=SharePhase.PIN, preview=flow.choose(cid), error=None)  # pure: no database, no keys

    def back(self) -> None:
        flow = self._flow
        if flow is not None and self.state.phase is SharePhase.PIN and not self.state.busy:
            flow.back()
            self.pin.clear()
            self._set(phase=SharePhase.CHOOSE, preview=None, error=None)

    # --- 3. PIN ---------------------------------------------------------------------------------------

    def submit_pin(self) -> None:
        flow = self._flow
        if flow is None or self.state.busy or self.state.phase is not SharePhase.PIN or not self.pin.state.complete:
            return
        pin = self.pin.take()
        self._set(busy=True, error=None)
        self._store(lambda: flow.confirm(pin).presentation, self._done, self._pin_failed)

    def _done(self, presentation: str) -> None:
        self._set(busy=False, phase=SharePhase.DONE, presentation=presentation)

    def _pin_failed(self, exc: Exception) -> None:
        flow = self._flow
        wrong = isinstance(exc, UserFacingError) and exc.message_key == "pin.wrong"
        if wrong and flow is not None and flow.step is PresentStep.PREVIEW:
            self._set(busy=False, error=exc)  # a wrong PIN: stay, with the tries left
            return
        self._refuse(exc)

    @property
    def scanning(self) -> bool:
        return self._scan.running

    @property
    def holds_work(self) -> bool:
        return self.state.phase in (SharePhase.CHOOSE, SharePhase.PIN)

    def cancel(self) -> None:
        self._scan.stop()
        if self._flow is not None:
            self._flow.cancel()
        self._flow = None
        self.pin.clear()
        self.state = ShareState(phase=SharePhase.ENDED)
        self._ended = True
        self._changed()
