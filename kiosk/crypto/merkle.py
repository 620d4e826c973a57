"""RFC 6962 Merkle trees over SHA-256: roots, inclusion proofs and their verification."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

# Domain separation between leaves and inner nodes: without it an inner node could pose as a leaf.
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
HASH_LEN = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


class MerkleTree:
    """Every level of the tree, built once, so a block's root and all its proofs cost O(n) hashes in total.

    Building bottom-up and carrying an unpaired last node up unchanged gives exactly RFC 6962's tree (split at
    the largest power of two below n). The last node is never paired with a copy of itself: duplicating it,
    as Bitcoin does, lets two different leaf lists share a root (CVE-2012-2459).
    """

    __slots__ = ("_levels", "size")

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.size = len(leaves)
        level = [leaf_hash(leaf) for leaf in leaves]
        self._levels = [level]
        while len(level) > 1:
            nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                nxt.append(level[-1])
            self._levels.append(nxt)
            level = nxt

    @property
    def root(self) -> bytes:
        return self._levels[-1][0] if self.size else EMPTY_ROOT

    def proof(self, index: int) -> list[bytes]:
        """The audit path of leaf `index`, from the leaf's sibling up to the root's child."""
        if not 0 <= index < self.size:
            raise IndexError(f"leaf {index} is not in a tree of {self.size}")
        path = []
        for level in self._levels[:-1]:
            sibling = index ^ 1
            # An unpaired last node has no sibling at this level: it rises unchanged, adding nothing to the path.
            if sibling < len(level):
                path.append(level[sibling])
            index >>= 1
        return path


def root(leaves: Sequence[bytes]) -> bytes:
    return MerkleTree(leaves).root


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    return MerkleTree(leaves).proof(index)


def root_from_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes | None:
    """The root the path leads to (RFC 9162 §2.1.3.2), or None if the path cannot belong to (index, size)."""
    if not 0 <= index < size or any(len(p) != HASH_LEN for p in proof):
        return None
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return None  # a longer path than the tree is tall
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            # Climb past the levels where this node rose without a sibling.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes) -> bool:
    """True only if `proof` shows `leaf` at `index` of a tree of `size` leaves whose root is `expected_root`."""
    got = root_from_proof(leaf, index, size, proof)
    return got is not None and len(expected_root) == HASH_LEN and got == expected_root
