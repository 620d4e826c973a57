"""Re-walk a ledger: hash chain, county signatures, Merkle roots, every envelope's id; name the first bad block."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.crypto import canonical, merkle
from kiosk.errors import KioskError, VerificationError
from kiosk.tx.envelope import compute_id, parse
from kiosk.tx.receipt import GENESIS_PREV, BlockHeader, HeaderSignature, verify_header

if TYPE_CHECKING:
    from sync.county.ledger import LedgerReader


@dataclass(frozen=True, slots=True)
class LedgerVerdict:
    """The outcome of re-walking the chain: `bad_height` names the first block that fails, and `reason` why."""

    ok: bool
    blocks: int
    tx_count: int
    pending: int
    bad_height: int | None = None
    reason: str = ""


class BlockInvalid(VerificationError):
    """A block of the ledger fails a check; the message says which."""


def _header(reader: LedgerReader, height: int, raw: bytes, stored_hash: str) -> BlockHeader:
    try:
        header = BlockHeader.from_bytes(raw)
    except KioskError as exc:
        raise BlockInvalid(f"the header is malformed: {exc}") from exc
    if header.height != height:
        raise BlockInvalid(f"the header says height {header.height}")
    if header.county != reader.county_id:
        raise BlockInvalid("the header names another county")
    if hashlib.sha256(raw).hexdigest() != stored_hash:
        raise BlockInvalid("the stored hash is not the hash of the header")
    return header


def _signature(reader: LedgerReader, header: BlockHeader, raw: bytes) -> None:
    try:
        verify_header(header, HeaderSignature.from_json(canonical.loads(raw)), reader.county_key)
    except KioskError as exc:
        raise BlockInvalid(f"the county signature does not verify: {exc}") from exc


def _transactions(reader: LedgerReader, header: BlockHeader) -> None:
    rows = reader.envelopes(header.height)
    if [i for i, _, _ in rows] != list(range(header.size)):
        raise BlockInvalid(f"the block should hold {header.size} transactions at indexes 0…{header.size - 1}")
    for idx, tx_id, data in rows:
        try:
            env = parse(data)
        except KioskError as exc:
            raise BlockInvalid(f"transaction {idx} is not an envelope: {exc}") from exc
        if env.id != tx_id or compute_id(env.unsigned()) != tx_id:
            raise BlockInvalid(f"transaction {idx}'s id is not the hash of its content")
    root = merkle.root([bytes.fromhex(tx_id) for _, tx_id, _ in rows])
    if root.hex() != header.root:
        raise BlockInvalid("the Merkle root is not the root of the block's transactions")


def verify_ledger(reader: LedgerReader) -> LedgerVerdict:
    """Check every block in order; stop at the first bad one. Pending transactions are counted, not judged."""
    prev_hash, prev_time, height, tx_count = GENESIS_PREV, 0, 0, 0
    pending = reader.pending_count()

    def bad(at: int, reason: str) -> LedgerVerdict:
        return LedgerVerdict(False, height, tx_count, pending, at, reason)

    for row_height, raw_header, stored_hash, raw_sig in reader.block_rows():
        if row_height != height:
            return bad(height, f"block {height} is missing")
        try:
            header = _header(reader, height, raw_header, stored_hash)
            if header.prev != prev_hash:
                raise BlockInvalid("the previous-header hash does not match the block before it")
            if header.time_ms < prev_time:
                raise BlockInvalid("the block is older than the block before it")
            _signature(reader, header, raw_sig)
            _transactions(reader, header)
        except BlockInvalid as exc:
            return bad(height, str(exc))
        prev_hash, prev_time = stored_hash, header.time_ms
        height += 1
        tx_count += header.size
    orphan = reader.first_orphan_height(height)
    if orphan is not None:
        return bad(orphan, f"transactions are placed in block {orphan}, which is missing")
    return LedgerVerdict(True, height, tx_count, pending)
