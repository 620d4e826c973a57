"""County block headers, their signatures, and the receipts (acks) a kiosk verifies before it marks a tx committed.

A block header is canonical JSON `{v, county, height, prev, root, size, time_ms}`; its hash is the hex SHA-256 of
those bytes; the county ledger key signs `"lxt/block/v1\\n" ‖ hash` (ASCII). A receipt ties one transaction to a
signed header by an RFC 6962 inclusion proof whose leaf is the 32 bytes of the transaction id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.crypto import canonical, merkle
from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import CanonicalJsonError, KioskError, VerificationError
from kiosk.tx.verify import PublicKey

BLOCK_VERSION = 1
BLOCK_SIGNING_DOMAIN = b"lxt/block/v1\n"
GENESIS_PREV = "0" * 64
HEADER_FIELDS = frozenset(("v", "county", "height", "prev", "root", "size", "time_ms"))
RECEIPT_FIELDS = frozenset(("tx", "status", "height", "index", "proof", "header", "sig"))
REJECT_FIELDS = frozenset(("tx", "status", "reason", "county", "sig"))
# A rejection is final for the kiosk (the row leaves the queue), so it is signed like a block: a forged one would
# otherwise let anyone who can write to a kiosk's ack topic make it give up a villager's transaction.
REJECT_SIGNING_DOMAIN = b"lxt/reject/v1\n"
# A proof is at most as long as the tree is tall; 64 levels covers any block that could ever exist.
MAX_PROOF_LEN = 64
MAX_REASON_TEXT = 200
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class MalformedReceipt(VerificationError):
    """The receipt or header is not of the shape this protocol version defines."""


class AckStatus(StrEnum):
    COMMITTED = "committed"
    REJECTED = "rejected"


class RejectCode(StrEnum):
    """Why the county refused a transaction: the machine-readable part of a rejected ack's `reason`."""

    MALFORMED = "malformed"  # not an envelope, or not canonical
    TOO_LARGE = "too_large"
    WRONG_COUNTY = "wrong_county"
    WRONG_TOPIC = "wrong_topic"  # the envelope names another kiosk than the topic it came on
    UNKNOWN_KIOSK = "unknown_kiosk"  # not registered, or revoked
    BAD_SIGNATURE = "bad_signature"
    INVALID_BODY = "invalid_body"
    DUPLICATE_SEQ_CONFLICT = "duplicate_seq_conflict"  # another transaction already holds this kiosk's seq


def is_hex_id(value: object) -> bool:
    """A transaction id or hash as the wire carries it: 64 lowercase hex digits."""
    return isinstance(value, str) and _HEX64.match(value) is not None


def _int(data: Mapping[str, Any], name: str, minimum: int) -> int:
    value = data.get(name)
    # bool is an int in Python; a header never uses one where a number belongs.
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise MalformedReceipt(f"{name!r} must be an integer ≥ {minimum}")
    return value


def _hex(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not is_hex_id(value):
        raise MalformedReceipt(f"{name!r} must be 64 lowercase hex digits")
    return str(value)


def _exact(data: object, fields: frozenset[str], what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping) or set(data) != fields:
        raise MalformedReceipt(f"{what} must have exactly the fields " + ", ".join(sorted(fields)))
    return data


@dataclass(frozen=True, slots=True)
class BlockHeader:
    v: int
    county: str
    height: int
    prev: str
    root: str
    size: int
    time_ms: int

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "county": self.county,
            "height": self.height,
            "prev": self.prev,
            "root": self.root,
            "size": self.size,
            "time_ms": self.time_ms,
        }

    def to_bytes(self) -> bytes:
        return canonical.dumps(self.to_json())

    def hash(self) -> str:
        return hashlib.sha256(self.to_bytes()).hexdigest()

    @classmethod
    def from_json(cls, data: object) -> BlockHeader:
        raw = _exact(data, HEADER_FIELDS, "a block header")
        v = _int(raw, "v", 1)
        if v != BLOCK_VERSION:
            raise MalformedReceipt(f"block header version {v} is not supported")
        county = raw["county"]
        if not isinstance(county, str) or not county:
            raise MalformedReceipt("'county' must be a non-empty string")
        return cls(
            v=v,
            county=county,
            height=_int(raw, "height", 0),
            prev=_hex(raw, "prev"),
            root=_hex(raw, "root"),
            size=_int(raw, "size", 1),
            time_ms=_int(raw, "time_ms", 0),
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> BlockHeader:
        try:
            return cls.from_json(canonical.loads(data))
        except CanonicalJsonError as exc:
            raise MalformedReceipt(f"block header is not canonical JSON: {exc}") from exc


def block_signing_message(header_hash: str) -> bytes:
    return BLOCK_SIGNING_DOMAIN + header_hash.encode("ascii")


@dataclass(frozen=True, slots=True)
class HeaderSignature:
    suite: str
    sig: bytes

    def to_json(self) -> dict[str, Any]:
        return {"suite": self.suite, "sig": b64u(self.sig)}

    @classmethod
    def from_json(cls, data: object) -> HeaderSignature:
        raw = _exact(data, frozenset(("suite", "sig")), "a header signature")
        suite, sig = raw["suite"], raw["sig"]
        if not isinstance(suite, str) or not isinstance(sig, str):
            raise MalformedReceipt("a header signature's suite and sig must be strings")
        try:
            return cls(suite, unb64u(sig))
        except CanonicalJsonError as exc:
            raise MalformedReceipt("a header signature is not base64url") from exc


def sign_header(header: BlockHeader, signer: Signer) -> HeaderSignature:
    return HeaderSignature(signer.suite.name, signer.sign(block_signing_message(header.hash())))


def verify_header(header: BlockHeader, sig: HeaderSignature, county_key: PublicKey) -> None:
    """Raise VerificationError unless the county key signed this header."""
    if sig.suite != county_key.suite:
        raise VerificationError("the block header is signed with another suite than the county key")
    try:
        suite = get_suite(sig.suite)
    except KioskError as exc:
        raise VerificationError(f"unknown suite in a block signature: {exc}") from exc
    suite.verify(county_key.key, block_signing_message(header.hash()), sig.sig)


@dataclass(frozen=True, slots=True)
class Receipt:
    """Proof that transaction `tx` sits at `index` of the block whose signed header is `header`."""

    tx: str
    height: int
    index: int
    proof: tuple[bytes, ...]
    header: BlockHeader
    sig: HeaderSignature

    def to_json(self) -> dict[str, Any]:
        return {
            "tx": self.tx,
            "status": AckStatus.COMMITTED.value,
            "height": self.height,
            "index": self.index,
            "proof": [p.hex() for p in self.proof],
            "header": self.header.to_json(),
            "sig": self.sig.to_json(),
        }

    def to_bytes(self) -> bytes:
        return canonical.dumps(self.to_json())

    @classmethod
    def from_json(cls, data: object) -> Receipt:
        """Read the shape only; `verify` (or `verify_receipt`) checks what it proves."""
        raw = _exact(data, RECEIPT_FIELDS, "a committed ack")
        if raw["status"] != AckStatus.COMMITTED.value:
            raise MalformedReceipt("a receipt's status must be 'committed'")
        proof = raw["proof"]
        if not isinstance(proof, Sequence) or isinstance(proof, str) or len(proof) > MAX_PROOF_LEN:
            raise MalformedReceipt(f"'proof' must be a list of at most {MAX_PROOF_LEN} hashes")
        if not all(is_hex_id(p) for p in proof):
            raise MalformedReceipt("every proof element must be 64 lowercase hex digits")
        return cls(
            tx=_hex(raw, "tx"),
            height=_int(raw, "height", 0),
            index=_int(raw, "index", 0),
            proof=tuple(bytes.fromhex(p) for p in proof),
            header=BlockHeader.from_json(raw["header"]),
            sig=HeaderSignature.from_json(raw["sig"]),
        )

    def verify(
        self,
        tx_id: str,
        county_key: PublicKey,
        *,
        county: str | None = None,
        verified: HeaderCache | None = None,
    ) -> None:
        """Raise VerificationError unless this receipt proves `tx_id` committed under the county key.

        `verified` remembers headers whose signature already checked out, so the acks of one block (up to
        hundreds) cost one signature verification; the proof is still checked for every receipt.
        """
        h = self.header
        if self.tx != tx_id:
            raise VerificationError("the receipt is for another transaction")
        if county is not None and h.county != county:
            raise VerificationError("the receipt's block belongs to another county")
        if self.height != h.height:
            raise VerificationError("the receipt's height is not its header's")
        if (h.height == 0) != (h.prev == GENESIS_PREV):
            raise VerificationError("only the first block has no previous header")
        if not merkle.verify_inclusion(bytes.fromhex(self.tx), self.index, h.size, self.proof, bytes.fromhex(h.root)):
            raise VerificationError("the inclusion proof does not lead to the block's Merkle root")
        if verified is not None and verified.seen(h, self.sig):
            return
        verify_header(h, self.sig, county_key)
        if verified is not None:
            verified.add(h, self.sig)


class HeaderCache:
    """Block headers (with their exact signature) verified under the pinned key; the newest few are kept."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._seen: dict[tuple[str, bytes], None] = {}

    def seen(self, header: BlockHeader, sig: HeaderSignature) -> bool:
        return (header.hash(), sig.sig) in self._seen

    def add(self, header: BlockHeader, sig: HeaderSignature) -> None:
        self._seen[(header.hash(), sig.sig)] = None
        while len(self._seen) > self._size:
            del self._seen[next(iter(self._seen))]


def verify_receipt(
    receipt_json: Mapping[str, Any],
    tx_id: str,
    county_key: PublicKey,
    *,
    county: str | None = None,
    verified: HeaderCache | None = None,
) -> Receipt:
    """The kiosk's check of a committed ack: the shape, the transaction, the proof, the county's signature.

    Raises VerificationError (MalformedReceipt for a wrong shape) for anything wrong; returns the receipt.
    """
    receipt = Receipt.from_json(receipt_json)
    receipt.verify(tx_id, county_key, county=county, verified=verified)
    return receipt


# --- acks -----------------------------------------------------------------------------------------------


def committed_ack_json(receipt: Receipt) -> bytes:
    """The ack for a committed transaction: the receipt itself, `{tx, status:"committed", height, …, sig}`."""
    return receipt.to_bytes()


def _rejection_message(tx_id: str, county: str, reason: str) -> bytes:
    return REJECT_SIGNING_DOMAIN + canonical.dumps(
        {"tx": tx_id, "status": AckStatus.REJECTED.value, "reason": reason, "county": county}
    )


def rejected_ack_json(tx_id: str, code: RejectCode, text: str = "", *, county: str, signer: Signer) -> bytes:
    """`{tx, status:"rejected", reason, county, sig}` with reason `"<code>"` or `"<code>: <text>"`, county-signed.

    The text goes to the kiosk's diagnostics: it must name what was wrong, never personal data or keys.
    """
    detail = " ".join(text.split())[:MAX_REASON_TEXT]
    reason = f"{code.value}: {detail}" if detail else code.value
    sig = HeaderSignature(signer.suite.name, signer.sign(_rejection_message(tx_id, county, reason)))
    return canonical.dumps(
        {"tx": tx_id, "status": AckStatus.REJECTED.value, "reason": reason, "county": county, "sig": sig.to_json()}
    )


def verify_rejection(
    ack_json: Mapping[str, Any], tx_id: str, county_key: PublicKey, *, county: str | None = None
) -> str:
    """The kiosk's check of a rejected ack: shape, transaction, county and signature. Returns the reason."""
    raw = _exact(ack_json, REJECT_FIELDS, "a rejected ack")
    if raw["status"] != AckStatus.REJECTED.value:
        raise MalformedReceipt("not a rejected ack")
    if raw["tx"] != tx_id:
        raise VerificationError("the rejection is for another transaction")
    reason, who = raw["reason"], raw["county"]
    if not isinstance(reason, str) or not isinstance(who, str) or len(reason) > MAX_REASON_TEXT + 40:
        raise MalformedReceipt("a rejection's reason and county must be short strings")
    if county is not None and who != county:
        raise VerificationError("the rejection comes from another county")
    sig = HeaderSignature.from_json(raw["sig"])
    if sig.suite != county_key.suite:
        raise VerificationError("the rejection is signed with another suite than the county key")
    get_suite(sig.suite).verify(county_key.key, _rejection_message(tx_id, who, reason), sig.sig)
    return reason


def reject_code(reason: str) -> RejectCode | None:
    """The machine code at the front of a rejected ack's reason, or None if it is not one we know."""
    head = reason.split(":", 1)[0].strip()
    try:
        return RejectCode(head)
    except ValueError:
        return None
