"""The outbox pump: sends what the county has not acknowledged, oldest first, within a bounded window.

It runs on the daemon's database thread and never blocks on the network: `publish` hands a message to the
link and returns its id at once. A PUBACK only means the broker has the message (`published`); a row becomes
`committed` only when the county's ack arrives with a receipt that verifies against the pinned county key.
Anything not acknowledged within the ack timeout, or in flight when the link dropped, is sent again — the
county deduplicates by id, so the effect stays exactly once.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.crypto import canonical
from kiosk.errors import CanonicalJsonError, VerificationError
from kiosk.store import outbox
from kiosk.store.db import Database
from kiosk.tx.receipt import HeaderCache, verify_receipt, verify_rejection
from kiosk.tx.verify import PublicKey

logger = logging.getLogger(__name__)

READ_AHEAD = 256

Publish = Callable[[bytes], "int | None"]


@dataclass(slots=True)
class _InFlight:
    tx_id: str
    mid: int
    sent_at: float
    broker_has_it: bool = False


@dataclass(frozen=True, slots=True)
class AckOutcome:
    tx_id: str | None
    status: str  # "committed", "rejected", "duplicate", "refused"
    reason: str = ""


class OutboxPump:
    def __init__(
        self,
        db: Database,
        publish: Publish,
        county_key: PublicKey,
        *,
        window: int,
        ack_timeout_s: float,
        max_unacked: int | None = None,
        now_ms: Callable[[], int],
        monotonic: Callable[[], float],
        county: str | None = None,
        max_payload_bytes: int = 1 << 20,
        refusal_pause_s: float = 60.0,
    ) -> None:
        self._db = db
        self._publish = publish
        self._county_key = county_key
        self._window = window
        # Rows the broker has but the county has not acknowledged yet: bounded too, so a county that is down
        # does not make the kiosk hand its whole backlog to the broker's queue (which would drop the excess).
        self._max_unacked = max_unacked if max_unacked is not None else 16 * window
        self._unpubacked = 0
        self._cursor: tuple[int, int] | None = None  # (priority, seq) of the last row read ahead
        self._ahead: deque[outbox.OutboxItem] = deque()
        self._cursor_set = monotonic()
        self._ack_timeout = ack_timeout_s
        self._now_ms = now_ms
        self._mono = monotonic
        self._county = county
        self._max_payload = max_payload_bytes
        self._refusal_pause = refusal_pause_s
        self._paused_until = 0.0
        self.last_refusal: str | None = None
        self._headers = HeaderCache()
        self._by_tx: dict[str, _InFlight] = {}
        self._by_mid: dict[int, _InFlight] = {}
        self._pubacked: list[str] = []
        self.sent = 0
        self.published = 0  # rows marked published (a row sent again counts again)
        self.committed = 0
        self.rejected = 0

    @property
    def in_flight(self) -> int:
        return len(self._by_tx)

    @property
    def unpubacked(self) -> int:
        return self._unpubacked

    @property
    def pubacks_waiting(self) -> bool:
        return bool(self._pubacked)

    def link_lost(self) -> None:
        """Everything in flight is sent again after the next connect."""
        self._by_tx.clear()
        self._by_mid.clear()
        self._unpubacked = 0
        self._cursor = None
        self._ahead.clear()

    def resync(self) -> None:
        """Send again everything the county has not acknowledged (the county's `resync` command)."""
        self._by_tx.clear()
        self._by_mid.clear()
        self._unpubacked = 0
        self._reset(self._mono())

    def _reset(self, now: float) -> None:
        self._cursor = None
        self._ahead.clear()
        self._cursor_set = now

    def _refuse_locally(self, tx_id: str, size: int) -> None:
        if self.last_refusal is None or not self.last_refusal.startswith("too large"):
            logger.error(
                "a queued transaction is %d bytes, over the %d-byte limit; it is kept", size, self._max_payload
            )
        self.last_refusal = f"too large: {size} bytes"

    @property
    def paused(self) -> bool:
        return self._mono() < self._paused_until

    def _forget(self, flight: _InFlight) -> None:
        if self._by_tx.pop(flight.tx_id, None) is not None and not flight.broker_has_it:
            self._unpubacked -= 1
        self._by_mid.pop(flight.mid, None)

    def pump(self) -> int:
        """Send as much as the windows allow; returns how many were handed to the link.

        Two bounds: at most `window` messages the broker has not PUBACKed (MQTT's in-flight), and at most
        `max_unacked` the county has not acknowledged. Oldest first by priority, then seq.
        """
        now = self._mono()
        if now < self._paused_until:
            return 0
        oldest = next(iter(self._by_tx.values()), None)  # insertion order: the first sent is the oldest
        if now - self._cursor_set > self._ack_timeout or (oldest and now - oldest.sent_at > self._ack_timeout):
            # Now and then start again from the oldest row: this sends again what was not acknowledged in
            # time, and picks up a row of higher priority queued behind the cursor.
            for flight in [f for f in self._by_tx.values() if now - f.sent_at > self._ack_timeout]:
                self._forget(flight)
            self._reset(now)
        room = min(self._window - self._unpubacked, self._max_unacked - len(self._by_tx))
        if room <= 0:
            return 0
        sent = 0
        while sent < room:
            item = self._next_row(room - sent)
            if item is None:
                break
            if len(item.envelope) > self._max_payload:
                # The broker would refuse it and drop the connection; enqueueing refuses such envelopes, so
                # this is a row from an older version or a lowered limit. It stays queued and is reported.
                self._refuse_locally(item.id, len(item.envelope))
                continue
            mid = self._publish(item.envelope)
            if mid is None:
                self._ahead.appendleft(item)  # the link is down; the rows stay queued
                break
            flight = _InFlight(item.id, mid, now)
            self._by_tx[item.id] = flight
            self._by_mid[mid] = flight
            self._unpubacked += 1
            sent += 1
        self.sent += sent
        return sent

    def _next_row(self, want: int) -> outbox.OutboxItem | None:
        """The next row to send, from a read-ahead buffer so PUBACKs arriving one by one do not cost a query each."""
        if not self._ahead:
            n = max(want, READ_AHEAD)
            if self._cursor is None:
                # From the start: skip what is in flight (only after a reset, so this longer read is rare).
                rows = [i for i in outbox.pending(self._db.conn, n + len(self._by_tx)) if i.id not in self._by_tx]
            else:
                rows = outbox.pending_from(self._db.conn, self._cursor, n)
            if not rows:
                return None
            self._cursor = (rows[-1].priority, rows[-1].seq)
            self._ahead.extend(rows)
        return self._ahead.popleft()

    def on_puback(self, mid: int, ok: bool, reason: str) -> None:
        flight = self._by_mid.get(mid)
        if flight is None:
            return
        if not ok:
            # The broker refused it (not authorised, quota, too large) and will now close the connection. The
            # row is kept — a villager's transaction is never dropped — and sending pauses so a misconfigured
            # ACL does not become a reconnect loop; the reason is what lxt-diag and the UI show.
            logger.warning("the broker refused a transaction (%s); pausing for %.0f s", reason, self._refusal_pause)
            self.last_refusal = f"broker refused: {reason}"
            self._paused_until = self._mono() + self._refusal_pause
            self._forget(flight)
            self._cursor = None
            self._ahead.clear()
            return
        if not flight.broker_has_it:
            flight.broker_has_it = True
            self._unpubacked -= 1
            self._pubacked.append(flight.tx_id)

    def flush_pubacks(self, conn: sqlite3.Connection) -> int:
        """Record the PUBACKs seen since last time, inside the caller's transaction (one fsync for many)."""
        ids, self._pubacked = self._pubacked, []
        marked = outbox.mark_published(conn, ids, self._now_ms())
        self.published += marked
        return marked

    def on_ack(self, conn: sqlite3.Connection, payload: bytes) -> AckOutcome:
        """A county ack: verify it, and mark the row — inside the caller's transaction."""
        try:
            ack = canonical.loads(payload, strict=False)
        except CanonicalJsonError as exc:
            logger.warning("refused an ack that is not JSON: %s", exc)
            return AckOutcome(None, "refused", "malformed")
        if not isinstance(ack, Mapping) or not isinstance(ack.get("tx"), str):
            return AckOutcome(None, "refused", "malformed")
        tx_id = str(ack["tx"])
        if outbox.get(conn, tx_id) is None:
            logger.warning("refused an ack for a transaction this kiosk never sent")
            return AckOutcome(tx_id, "refused", "unknown transaction")
        status = ack.get("status")
        if status == "rejected":
            return self._rejected(conn, tx_id, ack)
        if status == "committed":
            return self._committed(conn, tx_id, ack)
        return AckOutcome(tx_id, "refused", "unknown status")

    def _committed(self, conn: sqlite3.Connection, tx_id: str, ack: Mapping[str, Any]) -> AckOutcome:
        try:
            verify_receipt(ack, tx_id, self._county_key, county=self._county, verified=self._headers)
        except VerificationError as exc:
            # A tampered or foreign receipt: not committed; the transaction goes out again after the timeout.
            logger.warning("refused a receipt that does not verify: %s", exc)
            return AckOutcome(tx_id, "refused", "bad receipt")
        changed = outbox.mark_committed(conn, tx_id, canonical.dumps(dict(ack)), self._now_ms())
        flight = self._by_tx.get(tx_id)
        if flight is not None:
            self._forget(flight)
        if changed:
            self.committed += 1
        return AckOutcome(tx_id, "committed" if changed else "duplicate")

    def _rejected(self, conn: sqlite3.Connection, tx_id: str, ack: Mapping[str, Any]) -> AckOutcome:
        try:
            reason = verify_rejection(ack, tx_id, self._county_key, county=self._county)
        except VerificationError as exc:
            logger.warning("refused a rejection that does not verify: %s", exc)
            return AckOutcome(tx_id, "refused", "bad rejection")
        changed = outbox.mark_rejected(conn, tx_id, reason, self._now_ms())
        flight = self._by_tx.get(tx_id)
        if flight is not None:
            self._forget(flight)
        if changed:
            self.rejected += 1
            logger.warning("the county rejected a transaction: %s", reason)
        return AckOutcome(tx_id, "rejected" if changed else "duplicate", reason)
