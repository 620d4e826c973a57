"""The county ledger: the `Ledger` Protocol and its embedded SQLite implementation (blocks, proofs, verification).

Transactions are submitted once each (deduplicated by id, so a kiosk's resends have no second effect) and sealed
into blocks of up to N transactions, or whatever is pending once the oldest has waited T ms. A block is one SQLite
transaction: the county-signed header and every transaction's place in it commit together. Several bridges may
share one ledger file from separate processes: every write is BEGIN IMMEDIATE, and the block to seal is chosen
inside that transaction, so each height is sealed by exactly one of them.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.crypto import canonical, merkle
from kiosk.crypto.suites import Signer
from kiosk.errors import DomainError, StoreError
from kiosk.store.db import BUSY_TIMEOUT_MS, translate
from kiosk.tx.receipt import (
    BLOCK_VERSION,
    GENESIS_PREV,
    BlockHeader,
    HeaderSignature,
    Receipt,
    is_hex_id,
    sign_header,
)
from kiosk.tx.verify import PublicKey
from sync.county.ledger_verify import LedgerVerdict, verify_ledger

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # received_ms: when this ledger first saw the transaction, for the "oldest pending waited T ms" rule.
    "CREATE TABLE tx (id TEXT PRIMARY KEY, envelope BLOB NOT NULL, received_ms INTEGER NOT NULL, "
    "height INTEGER, idx INTEGER)",
    "CREATE UNIQUE INDEX tx_position ON tx (height, idx)",
    "CREATE TABLE block (height INTEGER PRIMARY KEY, header BLOB NOT NULL, hash TEXT NOT NULL UNIQUE, "
    "sig BLOB NOT NULL)",
)
_BLOCK_CACHE = 8
_LOOKUP_CHUNK = 500  # well under SQLite's limit on bound parameters
_KEY_SQL = "SELECT value FROM meta WHERE key = 'public_key'"


class LedgerError(StoreError):
    """The ledger file is missing, belongs to another county or key, or is of an unknown schema."""


class BadTransactionId(DomainError):
    """A transaction id that is not 64 lowercase hex digits (the ledger's Merkle leaves are its 32 bytes)."""


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Block:
    header: BlockHeader
    hash: str
    sig: HeaderSignature
    tx_ids: tuple[str, ...]

    @property
    def height(self) -> int:
        return self.header.height

    def receipts(self) -> list[Receipt]:
        """Every transaction's receipt, building the tree once (O(n) hashes for the whole block)."""
        tree = merkle.MerkleTree([bytes.fromhex(t) for t in self.tx_ids])
        return [self._receipt(tree, i) for i in range(len(self.tx_ids))]

    def receipt(self, index: int, tree: merkle.MerkleTree | None = None) -> Receipt:
        tree = tree or merkle.MerkleTree([bytes.fromhex(t) for t in self.tx_ids])
        return self._receipt(tree, index)

    def _receipt(self, tree: merkle.MerkleTree, index: int) -> Receipt:
        return Receipt(self.tx_ids[index], self.height, index, tuple(tree.proof(index)), self.header, self.sig)


class Ledger(Protocol):
    def submit(self, tx_id: str, envelope: bytes) -> bool:
        """Record a verified transaction; False if it was already there (its effect happens exactly once)."""
        ...

    def submit_many(self, items: Iterable[tuple[str, bytes]]) -> list[bool]:
        """`submit` for a batch, in one database transaction."""
        ...

    def flush(self, now_ms: int, *, force: bool = False) -> list[Block]:
        """Seal the blocks that are due (N pending, or the oldest pending T ms old); all pending if `force`."""
        ...

    def receipt(self, tx_id: str) -> Receipt | None:
        """The receipt of a committed transaction; None if unknown or not yet in a block."""
        ...

    def contains(self, tx_id: str) -> bool: ...

    def height(self) -> int:
        """The number of sealed blocks, which is the height the next block will get."""
        ...

    def block(self, height: int) -> Block | None: ...

    def verify(self) -> LedgerVerdict: ...


def _connect(path: Path) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise LedgerError(f"could not switch the ledger to WAL (got {mode})")
        # A sealed block was acked to kiosks, which then drop the transaction: it must survive a power cut.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    return conn


class LedgerReader:
    """Read-only access to a ledger file: blocks, receipts, and verification against a pinned county key."""

    def __init__(self, path: Path, county_key: PublicKey | None = None) -> None:
        """With no `county_key`, the key recorded in the file is used: fine for showing, not for trusting."""
        if not path.exists():
            raise LedgerError(f"no ledger at {path}")
        self.path = path
        self._conn = _connect(path)
        self._cache: OrderedDict[int, tuple[Block, merkle.MerkleTree]] = OrderedDict()
        version = self._scalar("PRAGMA user_version")
        if version != SCHEMA_VERSION:
            raise LedgerError(f"{path} is not a ledger of schema {SCHEMA_VERSION} (found {version})")
        self.county_id = str(self._scalar("SELECT value FROM meta WHERE key = 'county'"))
        self.recorded_key = PublicKey(
            str(self._scalar("SELECT value FROM meta WHERE key = 'suite'")), bytes.fromhex(self._scalar(_KEY_SQL))
        )
        self.county_key = county_key or self.recorded_key

    def close(self) -> None:
        self._conn.close()

    def _scalar(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        row = self._rows(sql, params)
        return row[0][0] if row else None

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._conn.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT: the write lock is taken before anything is read."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException as exc:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                logger.debug("rollback found no open transaction")
            if isinstance(exc, sqlite3.Error):
                raise translate(exc) from exc
            raise

    # --- reads ----------------------------------------------------------------------------------

    def contains(self, tx_id: str) -> bool:
        return self._scalar("SELECT 1 FROM tx WHERE id = ?", (tx_id,)) is not None

    def height(self) -> int:
        top = self._scalar("SELECT MAX(height) FROM block")
        return 0 if top is None else int(top) + 1

    def block(self, height: int) -> Block | None:
        cached = self._cached(height)
        return cached[0] if cached else None

    def _cached(self, height: int) -> tuple[Block, merkle.MerkleTree] | None:
        # Sealed blocks never change, so a bridge acking a whole block builds its tree once, not once per tx.
        if height in self._cache:
            self._cache.move_to_end(height)
            return self._cache[height]
        block = self._load_block(height)
        if block is None:
            return None
        entry = (block, merkle.MerkleTree([bytes.fromhex(t) for t in block.tx_ids]))
        self._cache[height] = entry
        while len(self._cache) > _BLOCK_CACHE:
            self._cache.popitem(last=False)
        return entry

    def _load_block(self, height: int) -> Block | None:
        rows = self._rows("SELECT header, hash, sig FROM block WHERE height = ?", (height,))
        if not rows:
            return None
        header, block_hash, sig = rows[0]
        ids = self._rows("SELECT id FROM tx WHERE height = ? ORDER BY idx", (height,))
        return Block(
            header=BlockHeader.from_bytes(bytes(header)),
            hash=str(block_hash),
            sig=HeaderSignature.from_json(canonical.loads(bytes(sig))),
            tx_ids=tuple(str(r[0]) for r in ids),
        )

    def receipt(self, tx_id: str) -> Receipt | None:
        rows = self._rows("SELECT height, idx FROM tx WHERE id = ? AND height IS NOT NULL", (tx_id,))
        if not rows:
            return None
        height, idx = int(rows[0][0]), int(rows[0][1])
        cached = self._cached(height)
        if cached is None:
            raise LedgerError(f"transaction is placed in block {height}, which is missing")
        block, tree = cached
        return block.receipt(idx, tree)

    def envelopes(self, height: int) -> list[tuple[int, str, bytes]]:
        """(index, id, envelope bytes) of every transaction placed in block `height`, by index."""
        rows = self._rows("SELECT idx, id, envelope FROM tx WHERE height = ? ORDER BY idx", (height,))
        return [(int(i), str(t), bytes(e)) for i, t, e in rows]

    def pending_count(self) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM tx WHERE height IS NULL"))

    def verify(self) -> LedgerVerdict:
        """Re-walk every block against the pinned county key (see `ledger_verify`)."""
        with self.snapshot():
            return verify_ledger(self)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction, so blocks sealed by another bridge meanwhile do not half-appear."""
        try:
            self._conn.execute("BEGIN")
            yield
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        finally:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def block_rows(self) -> Iterator[tuple[int, bytes, str, bytes]]:
        """Every block row as stored, by height, without parsing: the verifier judges what it finds."""
        cur = self._conn.execute("SELECT height, header, hash, sig FROM block ORDER BY height")
        for height, header, block_hash, sig in cur:
            yield int(height), bytes(header), str(block_hash), bytes(sig)

    def first_orphan_height(self, blocks: int) -> int | None:
        """The lowest height a transaction claims beyond the last block (a removed tip)."""
        value = self._scalar("SELECT MIN(height) FROM tx WHERE height >= ?", (blocks,))
        return None if value is None else int(value)


class SqliteLedger(LedgerReader):
    """The embedded ledger for the demo and tests; several bridge processes may share its file."""

    def __init__(
        self,
        path: Path,
        county_id: str,
        signer: Signer,
        *,
        max_block_txs: int = 500,
        max_block_ms: int = 200,
        clock_ms: Callable[[], int] = wall_ms,
    ) -> None:
        if max_block_txs < 1 or max_block_ms < 0:
            raise DomainError("a block holds at least one transaction and waits a non-negative time")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = PublicKey(signer.suite.name, signer.public_key)
        _create(path, county_id, key)
        super().__init__(path, key)
        if self.county_id != county_id:
            raise LedgerError(f"this ledger belongs to county {self.county_id}, not {county_id}")
        if self.recorded_key != key:
            raise LedgerError("this ledger is signed by another county key")
        self._signer = signer
        self.max_block_txs = max_block_txs
        self.max_block_ms = max_block_ms
        self._clock_ms = clock_ms

    def submit(self, tx_id: str, envelope: bytes) -> bool:
        return self.submit_many([(tx_id, envelope)])[0]

    def submit_many(self, items: Iterable[tuple[str, bytes]]) -> list[bool]:
        batch = list(items)
        for tx_id, _ in batch:
            if not is_hex_id(tx_id):
                raise BadTransactionId("a transaction id must be 64 lowercase hex digits")
        now = self._clock_ms()
        with self._write() as conn:
            # Under the write lock nobody else can add an id between this look-up and the insert.
            known = _existing(conn, [t for t, _ in batch])
            added, fresh = [], []
            for tx_id, envelope in batch:
                added.append(tx_id not in known)
                if tx_id not in known:
                    known.add(tx_id)
                    fresh.append((tx_id, envelope, now))
            conn.executemany("INSERT INTO tx (id, envelope, received_ms) VALUES (?, ?, ?)", fresh)
        return added

    def flush(self, now_ms: int, *, force: bool = False) -> list[Block]:
        sealed = []
        while (block := self._seal_one(now_ms, force)) is not None:
            sealed.append(block)
        return sealed

    def _seal_one(self, now_ms: int, force: bool) -> Block | None:
        with self._write() as conn:
            pending = conn.execute(
                "SELECT id, received_ms FROM tx WHERE height IS NULL ORDER BY rowid LIMIT ?", (self.max_block_txs,)
            ).fetchall()
            if not pending:
                return None
            due = len(pending) >= self.max_block_txs or now_ms - min(r[1] for r in pending) >= self.max_block_ms
            if not (due or force):
                return None
            block = self._next_block(conn, [str(r[0]) for r in pending], now_ms)
            conn.execute(
                "INSERT INTO block (height, header, hash, sig) VALUES (?, ?, ?, ?)",
                (block.height, block.header.to_bytes(), block.hash, canonical.dumps(block.sig.to_json())),
            )
            conn.executemany(
                "UPDATE tx SET height = ?, idx = ? WHERE id = ?",
                [(block.height, i, t) for i, t in enumerate(block.tx_ids)],
            )
        logger.info("sealed block %d with %d transactions", block.height, len(block.tx_ids))
        return block

    def _next_block(self, conn: sqlite3.Connection, tx_ids: list[str], now_ms: int) -> Block:
        last = conn.execute("SELECT height, header, hash FROM block ORDER BY height DESC LIMIT 1").fetchone()
        if last is None:
            height, prev, floor_ms = 0, GENESIS_PREV, 0
        else:
            height, prev = int(last[0]) + 1, str(last[2])
            # Bridges' clocks differ a little; block times never go backwards along the chain.
            floor_ms = BlockHeader.from_bytes(bytes(last[1])).time_ms
        tree = merkle.MerkleTree([bytes.fromhex(t) for t in tx_ids])
        header = BlockHeader(
            v=BLOCK_VERSION,
            county=self.county_id,
            height=height,
            prev=prev,
            root=tree.root.hex(),
            size=len(tx_ids),
            time_ms=max(now_ms, floor_ms),
        )
        return Block(header, header.hash(), sign_header(header, self._signer), tuple(tx_ids))


def _existing(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[i : i + _LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in conn.execute(f"SELECT id FROM tx WHERE id IN ({marks})", chunk))  # noqa: S608
    return found


def _create(path: Path, county_id: str, key: PublicKey) -> None:
    """Make the schema once; two bridges starting together both get here, and BEGIN IMMEDIATE lets one win."""
    conn = _connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) == 0:
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("county", county_id), ("suite", key.suite), ("public_key", key.key.hex())],
            )
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(exc) from exc
    finally:
        conn.close()
