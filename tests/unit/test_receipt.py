"""Receipts: a committed ack verifies against the pinned county key, and every kind of tampering is refused."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from kiosk.crypto import canonical, merkle
from kiosk.crypto.suites import Signer, get_suite
from kiosk.errors import VerificationError
from kiosk.tx import receipt as rc
from kiosk.tx.verify import PublicKey

COUNTY = "410225"


def _signer(suite: str = "ed25519") -> Signer:
    s = get_suite(suite)
    return s.signer(s.generate())


def _key(signer: Signer) -> PublicKey:
    return PublicKey(signer.suite.name, signer.public_key)


def _ids(n: int) -> list[str]:
    return [hashlib.sha256(f"tx{i}".encode()).hexdigest() for i in range(n)]


def _receipts(signer: Signer, ids: list[str], height: int = 3) -> list[rc.Receipt]:
    tree = merkle.MerkleTree([bytes.fromhex(i) for i in ids])
    header = rc.BlockHeader(
        v=1,
        county=COUNTY,
        height=height,
        prev=hashlib.sha256(b"previous").hexdigest() if height else rc.GENESIS_PREV,
        root=tree.root.hex(),
        size=len(ids),
        time_ms=1_795_424_400_000,
    )
    sig = rc.sign_header(header, signer)
    return [rc.Receipt(t, height, i, tuple(tree.proof(i)), header, sig) for i, t in enumerate(ids)]


@pytest.fixture
def signer() -> Signer:
    return _signer()


@pytest.mark.parametrize("suite", ["ed25519", "ecdsa-p256"])
@pytest.mark.parametrize("n", [1, 2, 7])
def test_every_receipt_of_a_block_verifies(suite: str, n: int) -> None:
    signer = _signer(suite)
    ids = _ids(n)
    for r in _receipts(signer, ids):
        wire = canonical.loads(rc.committed_ack_json(r))
        got = rc.verify_receipt(wire, r.tx, _key(signer), county=COUNTY)
        assert got == r
        assert rc.Receipt.from_json(r.to_json()) == r


def test_header_hash_and_signature_are_over_the_canonical_header(signer: Signer) -> None:
    r = _receipts(signer, _ids(3), height=0)[0]
    h = r.header
    assert h.prev == "0" * 64
    assert h.hash() == hashlib.sha256(canonical.dumps(h.to_json())).hexdigest()
    message = b"lxt/block/v1\n" + h.hash().encode("ascii")
    signer.suite.verify(signer.public_key, message, r.sig.sig)
    assert rc.BlockHeader.from_bytes(h.to_bytes()) == h


def _wire(signer: Signer) -> tuple[dict[str, Any], str]:
    r = _receipts(signer, _ids(5))[2]
    return r.to_json(), r.tx


def _flip_hex(value: str) -> str:
    return ("1" if value[0] == "0" else "0") + value[1:]


TAMPER = {
    "tx": lambda w: w.update(tx=_flip_hex(w["tx"])),
    "status": lambda w: w.update(status="rejected"),
    "height": lambda w: w.update(height=w["height"] + 1),
    "index": lambda w: w.update(index=w["index"] + 1),
    "proof element": lambda w: w["proof"].__setitem__(0, _flip_hex(w["proof"][0])),
    "proof dropped": lambda w: w["proof"].pop(),
    "proof extended": lambda w: w["proof"].append("ab" * 32),
    "header.v": lambda w: w["header"].update(v=2),
    "header.county": lambda w: w["header"].update(county="410226"),
    "header.height": lambda w: w["header"].update(height=w["header"]["height"] + 1),
    "header.prev": lambda w: w["header"].update(prev=_flip_hex(w["header"]["prev"])),
    "header.root": lambda w: w["header"].update(root=_flip_hex(w["header"]["root"])),
    "header.size": lambda w: w["header"].update(size=w["header"]["size"] + 1),
    "header.time_ms": lambda w: w["header"].update(time_ms=w["header"]["time_ms"] + 1),
    "sig.sig": lambda w: w["sig"].update(sig=("B" if w["sig"]["sig"][0] == "A" else "A") + w["sig"]["sig"][1:]),
    "sig.suite": lambda w: w["sig"].update(suite="ecdsa-p256"),
    "extra field": lambda w: w.update(note="hello"),
    "missing field": lambda w: w.pop("header"),
    "header extra field": lambda w: w["header"].update(extra=1),
    "bool for int": lambda w: w.update(index=True),
    "proof not a list": lambda w: w.update(proof="00" * 32),
    "uppercase hex": lambda w: w.update(tx=w["tx"].upper()),
    "sig not base64url": lambda w: w["sig"].update(sig="not base64url!"),
}


@pytest.mark.parametrize("what", sorted(TAMPER))
def test_a_tampered_receipt_is_refused(signer: Signer, what: str) -> None:
    wire, tx = _wire(signer)
    bad = copy.deepcopy(wire)
    TAMPER[what](bad)
    with pytest.raises(VerificationError):
        rc.verify_receipt(bad, tx, _key(signer), county=COUNTY)


def test_a_receipt_for_another_transaction_is_refused(signer: Signer) -> None:
    wire, _tx = _wire(signer)
    with pytest.raises(VerificationError, match="another transaction"):
        rc.verify_receipt(wire, _ids(5)[0], _key(signer))


def test_another_countys_key_or_name_is_refused(signer: Signer) -> None:
    wire, tx = _wire(signer)
    with pytest.raises(VerificationError):
        rc.verify_receipt(wire, tx, _key(_signer()))
    with pytest.raises(VerificationError):
        rc.verify_receipt(wire, tx, _key(_signer("ecdsa-p256")))
    with pytest.raises(VerificationError, match="another county"):
        rc.verify_receipt(wire, tx, _key(signer), county="410226")


def test_a_receipt_signed_over_another_block_does_not_verify(signer: Signer) -> None:
    """A valid signature from the county, moved onto another header, is refused."""
    a = _receipts(signer, _ids(4), height=5)[1]
    b = _receipts(signer, _ids(6), height=6)[1]
    moved = rc.Receipt(a.tx, a.height, a.index, a.proof, a.header, b.sig)
    with pytest.raises(VerificationError):
        rc.verify_receipt(moved.to_json(), a.tx, _key(signer))


def test_genesis_rule(signer: Signer) -> None:
    r = _receipts(signer, _ids(2), height=0)[0]
    rc.verify_receipt(r.to_json(), r.tx, _key(signer))
    header = rc.BlockHeader(**{**r.header.to_json(), "prev": "ab" * 32})
    forged = rc.Receipt(r.tx, 0, 0, r.proof, header, rc.sign_header(header, signer))
    with pytest.raises(VerificationError, match="first block"):
        rc.verify_receipt(forged.to_json(), r.tx, _key(signer))


def test_header_bytes_must_be_canonical() -> None:
    with pytest.raises(rc.MalformedReceipt):
        rc.BlockHeader.from_bytes(b'{"v": 1}')


def test_rejected_ack_carries_code_and_text() -> None:
    tx = _ids(1)[0]
    signer = _signer()
    raw = rc.rejected_ack_json(
        tx, rc.RejectCode.BAD_SIGNATURE, "the device\nsignature does not verify", county="370102", signer=signer
    )
    ack = canonical.loads(raw)
    assert ack["reason"] == "bad_signature: the device signature does not verify"
    assert rc.verify_rejection(ack, tx, _key(signer), county="370102") == ack["reason"]
    assert rc.reject_code(ack["reason"]) is rc.RejectCode.BAD_SIGNATURE
    bare = canonical.loads(rc.rejected_ack_json(tx, rc.RejectCode.UNKNOWN_KIOSK, county="370102", signer=signer))
    assert bare["reason"] == "unknown_kiosk"
    assert rc.reject_code(bare["reason"]) is rc.RejectCode.UNKNOWN_KIOSK
    assert rc.reject_code("something else") is None
    long = canonical.loads(rc.rejected_ack_json(tx, rc.RejectCode.MALFORMED, "x" * 1000, county="c", signer=signer))
    assert len(long["reason"]) == len("malformed: ") + rc.MAX_REASON_TEXT


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "malformed"},
        {"tx": "0" * 64},
        {"county": "999999"},
        {"status": "committed"},
        {"extra": 1},
    ],
)
def test_a_tampered_rejection_is_refused(change: dict[str, object]) -> None:
    tx = _ids(1)[0]
    signer = _signer()
    ack = dict(canonical.loads(rc.rejected_ack_json(tx, rc.RejectCode.BAD_SIGNATURE, county="370102", signer=signer)))
    ack.update(change)
    with pytest.raises(VerificationError):
        rc.verify_rejection(ack, tx, _key(signer), county="370102")


def test_a_rejection_signed_by_another_key_is_refused() -> None:
    tx = _ids(1)[0]
    ack = canonical.loads(rc.rejected_ack_json(tx, rc.RejectCode.BAD_SIGNATURE, county="370102", signer=_signer()))
    with pytest.raises(VerificationError):
        rc.verify_rejection(ack, tx, _key(_signer()))


def test_a_rejected_ack_is_not_a_receipt() -> None:
    ack = canonical.loads(rc.rejected_ack_json(_ids(1)[0], rc.RejectCode.MALFORMED, county="c", signer=_signer()))
    with pytest.raises(rc.MalformedReceipt):
        rc.Receipt.from_json(ack)
