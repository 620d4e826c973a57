"""What the county bridge does with a kiosk's transaction, without any network: check, record, acknowledge.

`Intake.accept` takes one MQTT message from `…/{kiosk}/up/tx` and decides: refuse it for good (a signed
rejection), hold it (no answer, so the kiosk sends it again later — for conditions that can clear, such as a
villager DID whose enrolment another bridge is still committing), or take it (verified, handed to its type's
handler, submitted to the ledger once). `Intake.seal` turns what is pending into blocks and returns the acks,
each a receipt the kiosk verifies. A transaction that is already committed is answered with its receipt again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.crypto.suites import Signer
from kiosk.errors import KioskError, VerificationError
from kiosk.identity import did as didm
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import (
    DidRotateBody,
    IdentityEnrollBody,
    LoanApplyBody,
    LoanWithdrawBody,
    PensionProofOfLifeBody,
    PresentationDeliverBody,
    ServiceRequestBody,
    validate_body,
)
from kiosk.tx.receipt import RejectCode, committed_ack_json, rejected_ack_json
from kiosk.tx.verify import verify
from sync.county.ledger import Block, SqliteLedger
from sync.county.registry import KioskRegistry, UnknownKiosk
from sync.topics import KioskTopics, kiosk_of

logger = logging.getLogger(__name__)

# A handler runs after a transaction verified and before it is submitted; it must be idempotent, because a
# resend of a known transaction runs it again (that is what makes a crash between the two harmless).
Handler = Callable[[envm.Envelope, object], None]
MAX_REMEMBERED = 100_000


@dataclass(frozen=True, slots=True)
class Outgoing:
    topic: str
    payload: bytes


class _Answer(Exception):  # control flow inside accept(): never escapes it
    def __init__(self, out: list[Outgoing]) -> None:
        super().__init__()
        self.out = out


@dataclass(slots=True)
class Counters:
    taken: int = 0
    duplicates: int = 0
    rejected: int = 0
    held: int = 0
    dropped: int = 0
    acked: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


class Intake:
    def __init__(
        self,
        county: str,
        ledger: SqliteLedger,
        registry: KioskRegistry,
        signer: Signer,
        *,
        max_payload_bytes: int = 262_144,
    ) -> None:
        self.county = county
        self.ledger = ledger
        self.registry = registry
        self._signer = signer
        self._max_payload = max_payload_bytes
        self.counters = Counters()
        # Where to ack what this bridge took; a block sealed here may also hold transactions another bridge
        # took (shared ledger), whose envelopes are parsed for their kiosk instead.
        self._ack_topic: dict[str, str] = {}
        self.handlers: dict[str, Handler] = {
            "identity.enroll": self._record_inception,
            "did.rotate": self._record_rotation,
            "loan.apply": self._check_loan_signer,
            "loan.withdraw": self._check_loan_signer,
            "service.request": self._check_service_signer,
            "pension.proof_of_life": self._check_pension_signer,
            "presentation.deliver": self._check_deliver_signer,
        }

    # --- handlers of the types the bridge itself understands --------------------------------------------

    def _record_inception(self, env: envm.Envelope, body: object) -> None:
        if not isinstance(body, IdentityEnrollBody):
            raise TypeError("the identity.enroll handler got another body")
        self.registry.record_did_event(body.did, didm.KeyEvent.from_json(body.inception.model_dump()), env.id)

    def _record_rotation(self, env: envm.Envelope, body: object) -> None:
        if not isinstance(body, DidRotateBody):
            raise TypeError("the did.rotate handler got another body")
        self.registry.record_did_event(body.did, didm.KeyEvent.from_json(body.event.model_dump()), env.id)

    def _check_loan_signer(self, env: envm.Envelope, body: object) -> None:
        """A loan is applied for (or withdrawn) by the villager it names; the bank (sync/county/bank.py) reads it."""
        if not isinstance(body, LoanApplyBody | LoanWithdrawBody):
            raise TypeError("the loan handler got another body")
        sig = env.signature(envm.SignerRole.VILLAGER)
        if sig is None or didm.split_key_id(sig.kid)[0] != body.did:
            raise VerificationError("the loan names another DID than the villager who signed it")

    def _check_pension_signer(self, env: envm.Envelope, body: object) -> None:
        """A pension check is the pensioner's own: the villager who signed it is the DID it names."""
        if not isinstance(body, PensionProofOfLifeBody):
            raise TypeError("the pension handler got another body")
        sig = env.signature(envm.SignerRole.VILLAGER)
        if sig is None or didm.split_key_id(sig.kid)[0] != body.did:
            raise VerificationError("the pension check names another DID than the villager who signed it")

    def _check_deliver_signer(self, env: envm.Envelope, body: object) -> None:
        """A presentation is delivered by the villager it names; the relay (verifier_inbox.py) files it."""
        if not isinstance(body, PresentationDeliverBody):
            raise TypeError("the presentation handler got another body")
        sig = env.signature(envm.SignerRole.VILLAGER)
        if sig is None or didm.split_key_id(sig.kid)[0] != body.did:
            raise VerificationError("the delivery names another DID than the villager who signed it")

    def _check_service_signer(self, env: envm.Envelope, body: object) -> None:
        """A service is requested by the villager it names; the office (sync/county/office.py) reads it."""
        if not isinstance(body, ServiceRequestBody):
            raise TypeError("the service handler got another body")
        sig = env.signature(envm.SignerRole.VILLAGER)
        if sig is None or didm.split_key_id(sig.kid)[0] != body.did:
            raise VerificationError("the service request names another DID than the villager who signed it")

    # --- one message ------------------------------------------------------------------------------------

    def _reject(self, county: str, kiosk: str, tx_id: str, code: RejectCode, text: str = "") -> list[Outgoing]:
        self.counters.rejected += 1
        self.counters.reasons[code.value] = self.counters.reasons.get(code.value, 0) + 1
        logger.warning("rejected a transaction from %s/%s: %s", county, kiosk, code.value)
        ack = rejected_ack_json(tx_id, code, text, county=self.county, signer=self._signer)
        return [Outgoing(KioskTopics(county, kiosk).down_ack, ack)]

    def _drop(self, why: str) -> list[Outgoing]:
        self.counters.dropped += 1
        logger.warning("dropped a message: %s", why)
        return []

    def accept(self, topic: str, payload: bytes) -> tuple[list[Outgoing], tuple[str, bytes] | None]:
        """(acks to send now, (id, envelope) to submit) for one message from a kiosk's up/tx topic."""
        try:
            county, kiosk = self._route(topic, payload)
            env = self._parse(county, kiosk, payload)
            known = self.ledger.receipt(env.id)
            if known is not None:  # committed before: the same receipt again, no second effect
                self.counters.duplicates += 1
                return [Outgoing(KioskTopics(county, kiosk).down_ack, committed_ack_json(known))], None
            self._check(county, kiosk, env)
        except _Answer as answer:
            return answer.out, None
        self.counters.taken += 1
        self._ack_topic[env.id] = KioskTopics(county, kiosk).down_ack
        while len(self._ack_topic) > MAX_REMEMBERED:
            del self._ack_topic[next(iter(self._ack_topic))]
        return [], (env.id, payload)

    def _route(self, topic: str, payload: bytes) -> tuple[str, str]:
        where = kiosk_of(topic)
        if where is None or not topic.endswith("/up/tx"):
            raise _Answer(self._drop(f"not a transaction topic: {topic[:120]}"))
        county, kiosk = where
        if county != self.county:
            raise _Answer(self._drop(f"a topic of county {county}, not {self.county}"))
        if len(payload) > self._max_payload:
            tx_id = _loose_id(payload[:4096])
            if tx_id is None:
                raise _Answer(self._drop(f"{len(payload)} bytes from {kiosk}, over the limit, with no id"))
            raise _Answer(self._reject(county, kiosk, tx_id, RejectCode.TOO_LARGE, f"{len(payload)} bytes"))
        return county, kiosk

    def _parse(self, county: str, kiosk: str, payload: bytes) -> envm.Envelope:
        try:
            env = envm.parse(payload)
        except KioskError as exc:
            tx_id = _loose_id(payload)
            if tx_id is None:
                raise _Answer(self._drop(f"a message from {kiosk} that is not an envelope")) from exc
            raise _Answer(self._reject(county, kiosk, tx_id, RejectCode.MALFORMED, str(exc))) from exc
        if env.county != self.county:
            raise _Answer(self._reject(county, kiosk, env.id, RejectCode.WRONG_COUNTY, f"names {env.county}"))
        if env.kiosk != kiosk:
            raise _Answer(self._reject(county, kiosk, env.id, RejectCode.WRONG_TOPIC, "envelope names another kiosk"))
        return env

    def _check(self, county: str, kiosk: str, env: envm.Envelope) -> None:
        """Body, signatures and the type's handler; raises _Answer unless the transaction may be submitted."""
        try:
            body = validate_body(env.type, env.body)
            verify(env, self.registry)
        except UnknownKiosk as exc:
            if "revoked" in str(exc):
                raise _Answer(self._reject(county, kiosk, env.id, RejectCode.UNKNOWN_KIOSK, str(exc))) from exc
            logger.warning("held a transaction from unregistered kiosk %s/%s", county, kiosk)
            raise _Answer(self._hold()) from exc  # it may be registered by the time the kiosk sends again
        except VerificationError as exc:
            if "not known to the county" in str(exc):
                raise _Answer(self._hold()) from exc  # its DID's enrolment is still on its way (another bridge?)
            raise _Answer(self._reject(county, kiosk, env.id, RejectCode.BAD_SIGNATURE, str(exc))) from exc
        except KioskError as exc:
            raise _Answer(self._reject(county, kiosk, env.id, RejectCode.INVALID_BODY, str(exc))) from exc
        handler = self.handlers.get(env.type)
        if handler is not None:
            try:
                handler(env, body)
            except VerificationError as exc:
                raise _Answer(self._reject(county, kiosk, env.id, RejectCode.INVALID_BODY, str(exc))) from exc

    def _hold(self) -> list[Outgoing]:
        self.counters.held += 1
        return []

    def submit(self, items: list[tuple[str, bytes]]) -> None:
        """Record verified transactions (one ledger transaction for the batch); already-known ids count once."""
        if items:
            fresh = self.ledger.submit_many(items)
            self.counters.duplicates += len(fresh) - sum(fresh)

    def seal(self, now_ms: int, *, force: bool = False) -> list[Outgoing]:
        """Seal what is due into blocks and return one ack (receipt) per transaction in them."""
        out: list[Outgoing] = []
        for block in self.ledger.flush(now_ms, force=force):
            out.extend(self._acks(block))
        self.counters.acked += len(out)
        return out

    def _acks(self, block: Block) -> list[Outgoing]:
        receipts = {r.tx: r for r in block.receipts()}
        out = []
        for _idx, tx_id, raw in self.ledger.envelopes(block.height):
            topic = self._ack_topic.pop(tx_id, None)
            if topic is None:
                env = envm.parse(raw)
                topic = KioskTopics(env.county, env.kiosk).down_ack
            out.append(Outgoing(topic, committed_ack_json(receipts[tx_id])))
        return out


_ID = re.compile(rb'"id":"([0-9a-f]{64})"')


def _loose_id(payload: bytes) -> str | None:
    """The `id` of something envelope-shaped that failed to parse (or is cut off), so the kiosk can be told."""
    found = _ID.search(payload)
    return found.group(1).decode("ascii") if found else None
