"""Sealed values at rest and the person index."""

from __future__ import annotations

import pytest

from kiosk.crypto.sealing import Sealer, person_ref
from kiosk.errors import VerificationError

SECRET = bytes(range(32))


def test_sealed_value_opens_only_in_its_place() -> None:
    sealer = Sealer(SECRET, "person")
    blob = sealer.seal(b"secret card", "person.card:abc")
    assert sealer.open(blob, "person.card:abc") == b"secret card"
    with pytest.raises(VerificationError):
        sealer.open(blob, "person.card:abd")  # moved to another row
    with pytest.raises(VerificationError):
        Sealer(SECRET, "other").open(blob, "person.card:abc")  # another purpose
    with pytest.raises(VerificationError):
        Sealer(bytes(32), "person").open(blob, "person.card:abc")  # another kiosk
    with pytest.raises(VerificationError):
        sealer.open(blob[:-1] + bytes([blob[-1] ^ 1]), "person.card:abc")
    with pytest.raises(VerificationError):
        sealer.open(b"\x02" + blob[1:], "person.card:abc")


def test_person_ref_is_keyed_and_normalised() -> None:
    a = person_ref(SECRET, "41022519580312301x")
    assert a == person_ref(SECRET, " 41022519580312301X ")
    assert a != person_ref(bytes(32), "41022519580312301X")
    assert "410225" not in a
