"""The status history of applications, read from the inbox items a party delivered (loans and services alike).

A bank or an office answers with inbox deliveries of its kind (`loan_status`, `service_status`); the history of
one application is every such delivery naming it and its holder, oldest first. What a delivery may hold, and how
a malformed one is told apart, is the kind's own `parse`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from kiosk.store import deliveries


class Event(Protocol):
    @property
    def at_ms(self) -> int: ...


E = TypeVar("E", bound=Event)


def inbox_history(
    conn: sqlite3.Connection, kind: str, parse: Callable[[Any], tuple[str, str, E] | None]
) -> dict[tuple[str, str], list[E]]:
    """Every event of inbox `kind` held, by (number, did), oldest first; what `parse` refuses is left out."""
    out: dict[tuple[str, str], list[E]] = {}
    for item in deliveries.inbox(conn, kind):
        parsed = parse(item.payload)
        if parsed is not None:
            out.setdefault((parsed[0], parsed[1]), []).append(parsed[2])
    for events in out.values():
        events.sort(key=lambda e: e.at_ms)
    return out


def event_words(head: str, materials: tuple[str, ...], reason: str) -> str:
    """An event in plain words: the status (and what the kind adds to it), the materials asked for, why."""
    text = head
    if materials:
        text += "：" + "、".join(materials)
    if reason:
        text += f"（{reason}）"
    return text
