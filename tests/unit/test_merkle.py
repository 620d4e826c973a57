"""Merkle trees: the tree equals RFC 6962's definition, every proof verifies, and any change breaks it."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.crypto import merkle


def _spec_root(leaves: list[bytes]) -> bytes:
    """MTH from RFC 6962 §2.1, written straight from the text, to check the level-by-level build against."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _spec_root(leaves[:k]) + _spec_root(leaves[k:])).digest()


def _spec_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*_spec_path(m, leaves[:k]), _spec_root(leaves[k:])]
    return [*_spec_path(m - k, leaves[k:]), _spec_root(leaves[:k])]


def _spec_shape(m: int, n: int) -> list[str]:
    """Which side each sibling of leaf m sits on, from the leaf up, per RFC 6962's PATH."""
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*_spec_shape(m, k), "right"]
    return [*_spec_shape(m - k, n - k), "left"]


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    return [hashlib.sha256(f"{salt}:{i}".encode()).digest() for i in range(n)]


@pytest.mark.parametrize("n", range(71))
def test_root_and_every_proof_match_the_rfc_definition(n: int) -> None:
    leaves = _leaves(n)
    tree = merkle.MerkleTree(leaves)
    assert tree.root == _spec_root(leaves) == merkle.root(leaves)
    for i in range(n):
        proof = tree.proof(i)
        assert proof == _spec_path(i, leaves)
        assert merkle.verify_inclusion(leaves[i], i, n, proof, tree.root)


def test_known_vector_for_two_leaves() -> None:
    a, b = b"a", b"b"
    expected = hashlib.sha256(b"\x01" + hashlib.sha256(b"\x00a").digest() + hashlib.sha256(b"\x00b").digest()).digest()
    assert merkle.root([a, b]) == expected


def test_no_duplication_of_the_last_leaf() -> None:
    """CVE-2012-2459: with duplication, [a, b, c] and [a, b, c, c] would share a root."""
    leaves = _leaves(3)
    assert merkle.root(leaves) != merkle.root([*leaves, leaves[-1]])
    # And an inner node is never accepted as a leaf (second-preimage by domain separation).
    inner = merkle.node_hash(merkle.leaf_hash(leaves[0]), merkle.leaf_hash(leaves[1]))
    assert merkle.root(leaves[:2]) != merkle.root([inner])


def test_proof_index_outside_the_tree_is_refused() -> None:
    tree = merkle.MerkleTree(_leaves(5))
    with pytest.raises(IndexError):
        tree.proof(5)
    with pytest.raises(IndexError):
        tree.proof(-1)


def test_degenerate_inputs_do_not_verify() -> None:
    leaves = _leaves(4)
    tree = merkle.MerkleTree(leaves)
    proof = tree.proof(1)
    assert not merkle.verify_inclusion(leaves[1], 1, 0, proof, tree.root)
    assert not merkle.verify_inclusion(leaves[1], -1, 4, proof, tree.root)
    assert not merkle.verify_inclusion(leaves[1], 1, 4, [*proof, proof[0]], tree.root)
    assert not merkle.verify_inclusion(leaves[1], 1, 4, proof[:-1], tree.root)
    assert not merkle.verify_inclusion(leaves[1], 1, 4, [p[:31] for p in proof], tree.root)
    assert not merkle.verify_inclusion(leaves[1], 1, 4, proof, tree.root[:31])
    assert not merkle.verify_inclusion(leaves[0], 0, 1, [], merkle.EMPTY_ROOT)


cases = st.integers(min_value=1, max_value=70).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n - 1), st.integers(0, 2**16))
)


@settings(max_examples=300, deadline=None)
@given(cases)
def test_every_index_of_every_size_verifies(case: tuple[int, int, int]) -> None:
    n, i, salt = case
    leaves = _leaves(n, salt)
    tree = merkle.MerkleTree(leaves)
    assert merkle.verify_inclusion(leaves[i], i, n, tree.proof(i), tree.root)


@settings(max_examples=300, deadline=None)
@given(cases, st.data())
def test_any_change_fails(case: tuple[int, int, int], data: st.DataObject) -> None:
    n, i, salt = case
    leaves = _leaves(n, salt)
    tree = merkle.MerkleTree(leaves)
    proof, root = tree.proof(i), tree.root
    what = data.draw(st.sampled_from(["leaf", "index", "size", "proof", "root"]))
    leaf, index, size = leaves[i], i, n
    if what == "leaf":
        leaf = data.draw(st.binary(min_size=32, max_size=32).filter(lambda b: b != leaves[i]))
    elif what == "index":
        index = data.draw(st.integers(min_value=-2, max_value=n + 2).filter(lambda j: j != i))
    elif what == "size":
        size = data.draw(st.integers(min_value=0, max_value=n + 70).filter(lambda m: m != n))
        # A proof does not fix the tree size by itself: (0 of 3) and (0 of 4) have paths of the same shape. The
        # receipt's size is in the signed header for that reason; here a size whose path shape differs must fail.
        if 0 <= i < size and _spec_shape(i, size) == _spec_shape(i, n):
            return
    elif what == "proof":
        if not proof:
            proof = [hashlib.sha256(b"extra").digest()]
        else:
            j = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
            flip = data.draw(st.integers(min_value=0, max_value=31))
            bad = bytearray(proof[j])
            bad[flip] ^= 1 << data.draw(st.integers(min_value=0, max_value=7))
            proof = [*proof[:j], bytes(bad), *proof[j + 1 :]]
    else:
        bad_root = bytearray(root)
        bad_root[data.draw(st.integers(min_value=0, max_value=31))] ^= 0x80
        root = bytes(bad_root)
    assert not merkle.verify_inclusion(leaf, index, size, proof, root)
