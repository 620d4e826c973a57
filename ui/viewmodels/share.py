"""出示证明: scan the requester's code (or pick a request that came through the inbox) → what they want to see →
which proof (only qualifying ones) → PIN → a QR, or "已发送" for a request answered through the county.

Wraps `kiosk.flows.present.PresentFlow`; the flow verifies the request against the trust list, lists the
qualifying credentials, and on the PIN makes the presentation and queues the consent receipt. Reading the
request, the PIN (scrypt) and signing run on the `store` lane; looking for the code on the `hw` lane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kiosk.credentials import kinds
from kiosk.credentials.pending import PendingRequest
from kiosk.errors import KeyLockedError, UserFacingError
from kiosk.flows.present import PresentFlow, PresentResult, PresentStep, Preview
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
class InboxAsk:
    """A request that came through the inbox, offered on the scan screen ("交通局 请你出示体检报告：驾驶证体检")."""

    item_id: str
    verifier: str
    kind: str  # the Chinese name of the credential type asked for
    purpose: str
    token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ShareState:
    phase: SharePhase = SharePhase.SCAN
    busy: bool = False
    asked: Asked | None = None
    candidates: tuple[CardView, ...] = ()
    preview: Preview | None = None
    presentation: str | None = None  # delivery "qr": the QR to show
    error: UserFacingError | None = None
    requests: tuple[InboxAsk, ...] = ()  # pending inbox requests, newest first (at most four)
    delivery: str = "qr"  # "county": sealed to the verifier and queued (sent_tx), no QR
    sent_tx: str | None = None
    delivered: bool = False  # the county committed sent_tx: it is in the verifier's inbox


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
        did = self._session.did
        self._store(lambda: self._desk.pending_requests(did), self._listed, self._not_listed)

    def _listed(self, found: tuple[PendingRequest, ...]) -> None:
        if self.state.phase is not SharePhase.SCAN:
            return
        asks = tuple(
            InboxAsk(p.item_id, p.request.verifier_name, kinds.kind_of(p.request.payload.vct).name_zh,
                     p.request.payload.purpose, p.token)
            for p in found
        )  # fmt: skip
        self._set(requests=asks)

    def _not_listed(self, exc: Exception) -> None:
        logger.warning("pending requests were not read: %s", type(exc).__name__)  # scanning still works

    def pick(self, item_id: str) -> None:
        """Answer a request from the inbox instead of a scanned one."""
        ask = next((a for a in self.state.requests if a.item_id == item_id), None)
        if ask is None or self.state.phase is not SharePhase.SCAN or self.state.busy:
            return
        self._scan.stop()
        self._seen(ask.token)

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
        self._store(lambda: flow.confirm(pin), self._done, self._pin_failed)

    def _done(self, result: PresentResult) -> None:
        if result.delivery == "county" and result.deliver is not None:
            self._set(busy=False, phase=SharePhase.DONE, delivery="county", sent_tx=result.deliver.id)
            return
        self._set(busy=False, phase=SharePhase.DONE, presentation=result.presentation)

    def check_delivered(self) -> None:
        """Look whether the county has the delivery yet (the done screen asks now and then)."""
        tx = self.state.sent_tx
        if tx is None or self.state.delivered or self.state.phase is not SharePhase.DONE:
            return
        self._store(lambda: self._desk.delivered(tx), self._delivered, self._not_listed)

    def _delivered(self, done: bool) -> None:
        if done and self.state.phase is SharePhase.DONE:
            self._set(delivered=True)

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
