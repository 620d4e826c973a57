"""Canonical JSON: the bytes we hash and sign."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.crypto import canonical
from kiosk.errors import CanonicalJsonError

json_ints = st.integers(min_value=-canonical.MAX_SAFE_INT, max_value=canonical.MAX_SAFE_INT)
json_values = st.recursive(
    st.none() | st.booleans() | json_ints | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@given(json_values)
def test_round_trip(value: Any) -> None:
    encoded = canonical.dumps(value)
    assert canonical.loads(encoded) == value
    assert canonical.dumps(canonical.loads(encoded)) == encoded


def test_sorted_compact_utf8() -> None:
    assert canonical.dumps({"b": 1, "a": [True, None], "名": "兰考"}) == '{"a":[true,null],"b":1,"名":"兰考"}'.encode()


@pytest.mark.parametrize("value", [1.5, {"x": 0.0}, [float("nan")], 2**53, {1: "x"}, b"bytes", {"s": {1, 2}}])
def test_refuses_what_is_not_canonical(value: Any) -> None:
    with pytest.raises(CanonicalJsonError):
        canonical.dumps(value)


@pytest.mark.parametrize(
    "text",
    [b'{"b":1,"a":2}', b'{"a": 1}', b'{"a":1.0}', b'{"a":1e3}', b'{"a":NaN}', b'{"a":1,"a":2}', b"\xff", b"{"],
)
def test_loads_refuses(text: bytes) -> None:
    with pytest.raises(CanonicalJsonError):
        canonical.loads(text)


def test_loads_lenient_accepts_non_canonical_order() -> None:
    assert canonical.loads(b'{"b":1, "a":2}', strict=False) == {"a": 2, "b": 1}
