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


class _Bad(Exception):
    """Raised at the offending value; each level on the way up adds its step to the path (errors only)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.steps: list[str] = []


def _walk(value: Any) -> None:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
            raise _Bad("integer out of the safe range")
        return
    if isinstance(value, float):
        raise _Bad("floats are not allowed in canonical JSON; use integers")
    if isinstance(value, Mapping):
        _walk_object(value)
        return
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        _walk_array(value)
        return
    raise _Bad(f"{type(value).__name__} cannot be encoded as canonical JSON")


def _walk_object(value: Mapping[Any, Any]) -> None:
    for k, v in value.items():
        if not isinstance(k, str):
            raise _Bad("object keys must be strings")
        try:
            _walk(v)
        except _Bad as bad:
            bad.steps.append(f".{k}")
            raise


def _walk_array(value: Sequence[Any]) -> None:
    for i, v in enumerate(value):
        try:
            _walk(v)
        except _Bad as bad:
            bad.steps.append(f"[{i}]")
            raise


def _check(value: Any, path: str) -> None:
    # The path is only built when something is wrong: on a valid envelope the walk is one call per value.
    try:
        _walk(value)
    except _Bad as bad:
        where = path + "".join(reversed(bad.steps))
        raise CanonicalJsonError(f"{bad.message} (at {where})") from None


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


def _safe_int(text: str) -> int:
    value = int(text)
    if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        raise CanonicalJsonError(f"integer out of the safe range: {text[:20]}")
    return value


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
        # The hooks refuse floats, NaN/Infinity, unsafe integers and duplicate keys while parsing, and JSON keys
        # are always strings: what comes out is canonical-encodable without another walk.
        value = json.loads(
            text,
            parse_float=_no_float,
            parse_int=_safe_int,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except UnicodeDecodeError as exc:
        raise CanonicalJsonError("not UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise CanonicalJsonError(f"not JSON: {exc.msg} at {exc.pos}") from exc
    if strict and dumps(value, checked=True) != raw:
        raise CanonicalJsonError("JSON is not in canonical form")
    return value
