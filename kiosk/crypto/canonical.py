"""Canonical JSON: sorted keys, no insignificant whitespace, UTF-8, integers only.

The bytes that get hashed and signed. Floats are refused (money is integer fen), and so are NaN, non-string
keys, and integers JavaScript cannot hold exactly (the county console and verifiers may not be Python).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.errors import CanonicalJsonError

# Integers a double holds exactly, so any verifier's JSON parser reads the same number.
MAX_SAFE_INT = 2**53 - 1

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
            raise CanonicalJsonError(f"integer out of the safe range at {path}")
        return
    if isinstance(value, float):
        raise CanonicalJsonError(f"floats are not allowed in canonical JSON (at {path}); use integers")
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise CanonicalJsonError(f"object keys must be strings (at {path})")
            _check(v, f"{path}.{k}")
        return
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for i, v in enumerate(value):
            _check(v, f"{path}[{i}]")
        return
    raise CanonicalJsonError(f"{type(value).__name__} cannot be encoded as canonical JSON (at {path})")


def dumps(value: Any, *, checked: bool = False) -> bytes:
    """Encode `value` canonically. Raises CanonicalJsonError for anything that is not plain JSON of ints.

    `checked=True` skips the walk for values already proven canonical (an envelope built or parsed here):
    on a 3 KB enrolment body the walk is a sixth of the cost of queueing it.
    """
    if not checked:
        _check(value, "$")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def _no_float(text: str) -> Any:
    raise CanonicalJsonError(f"floats are not allowed in canonical JSON: {text[:20]}")


def _no_constant(text: str) -> Any:
    raise CanonicalJsonError(f"{text} is not allowed in canonical JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise CanonicalJsonError(f"duplicate key {k[:40]!r}")
        out[k] = v
    return out


def loads(data: bytes | str, *, strict: bool = True) -> Any:
    """Decode JSON of integers. With `strict`, the input must already be in canonical form."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        text = raw.decode("utf-8")
        value = json.loads(text, parse_float=_no_float, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except UnicodeDecodeError as exc:
        raise CanonicalJsonError("not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise CanonicalJsonError(f"not JSON: {exc.msg} at {exc.pos}") from exc
    _check(value, "$")
    if strict and dumps(value) != raw:
        raise CanonicalJsonError("JSON is not in canonical form")
    return value
