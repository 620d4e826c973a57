"""The county's registry: which kiosks may write to the chain, with which device key, and the DIDs it has seen.

The bridge resolves every signature through it (`KeyResolver`): a device signature against the key registered
for the kiosk the envelope names (unknown or revoked kiosks are refused), a villager or cadre signature against
the DID's key events committed so far. The registry is one SQLite file in WAL mode, shared safely by several
bridge processes and the console; it holds public keys only.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.crypto.encoding import b64u, unb64u
from kiosk.crypto.suites import get_suite
from kiosk.errors import ConfigError, DomainError, KioskError, VerificationError
from kiosk.identity import did as didm
from kiosk.store.db import BUSY_TIMEOUT_MS, translate
from kiosk.tx.verify import PublicKey

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosks (
    county TEXT NOT NULL,
    kiosk TEXT NOT NULL,
    suite TEXT NOT NULL,
    public_key BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    registered_ms INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL,
    PRIMARY KEY (county, kiosk)
) STRICT;
CREATE TABLE IF NOT EXISTS did_events (
    did TEXT NOT NULL,
    n INTEGER NOT NULL,
    event TEXT NOT NULL,
    tx_id TEXT NOT NULL,
    PRIMARY KEY (did, n)
) STRICT;
"""


class UnknownKiosk(VerificationError):
    """The kiosk is not registered with the county, or its registration was revoked."""


class RegistryConflict(DomainError):
    """A kiosk id is already registered with another device key."""


@dataclass(frozen=True, slots=True)
class KioskRecord:
    county: str
    kiosk: str
    key: PublicKey
    status: str
    registered_ms: int
    changed_ms: int


def check_name(value: str, what: str) -> str:
    """County and kiosk ids appear in MQTT topics and certificate names: a short, plain token only."""
    if not _NAME.match(value):
        raise ConfigError(f"{what} {value!r} must be 1–64 letters, digits, '-' or '_'")
    return value


def read_device_info(path: Path) -> tuple[str, str, PublicKey]:
    """(county, kiosk, device key) from the `device.json` a kiosk's `lxt-provision` wrote (public data only)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        county, kiosk = str(info["county"]), str(info["kiosk"])
        suite = get_suite(str(info["suite"]))
        key = unb64u(str(info["public_key"]))
    except (OSError, ValueError, KeyError, TypeError, KioskError) as exc:
        raise ConfigError(f"{path} is not a kiosk's device.json: {exc}") from exc
    return check_name(county, "county"), check_name(kiosk, "kiosk"), PublicKey(suite.name, key)


class KioskRegistry:
    """Kiosks and DID key events; implements the verifier's `KeyResolver`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    # --- kiosks ---------------------------------------------------------------------------------------

    def register(self, county: str, kiosk: str, key: PublicKey, now_ms: int, *, replace: bool = False) -> bool:
        """Register a kiosk's device key; True if anything changed. Same key again is a no-op."""
        check_name(county, "county")
        check_name(kiosk, "kiosk")
        get_suite(key.suite)
        with self._write() as conn:
            row = conn.execute(
                "SELECT suite, public_key, status FROM kiosks WHERE county = ? AND kiosk = ?", (county, kiosk)
            ).fetchone()
            if row is not None and (row[0], bytes(row[1]), row[2]) == (key.suite, key.key, "active"):
                return False
            if row is not None and (row[0], bytes(row[1])) != (key.suite, key.key) and not replace:
                raise RegistryConflict(
                    f"kiosk {county}/{kiosk} is registered with another device key; "
                    "re-register with --replace only after the old device is retired"
                )
            conn.execute(
                "INSERT INTO kiosks (county, kiosk, suite, public_key, status, registered_ms, changed_ms)"
                " VALUES (?, ?, ?, ?, 'active', ?, ?)"
                " ON CONFLICT (county, kiosk) DO UPDATE SET suite = excluded.suite,"
                " public_key = excluded.public_key, status = 'active', changed_ms = excluded.changed_ms",
                (county, kiosk, key.suite, key.key, now_ms, now_ms),
            )
        return True

    def revoke(self, county: str, kiosk: str, now_ms: int) -> bool:
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE kiosks SET status = 'revoked', changed_ms = ?"
                " WHERE county = ? AND kiosk = ? AND status = 'active'",
                (now_ms, county, kiosk),
            )
            return cur.rowcount > 0

    def kiosk(self, county: str, kiosk: str) -> KioskRecord | None:
        row = self._conn.execute(
            "SELECT county, kiosk, suite, public_key, status, registered_ms, changed_ms FROM kiosks"
            " WHERE county = ? AND kiosk = ?",
            (county, kiosk),
        ).fetchone()
        return None if row is None else _record(row)

    def kiosks(self, county: str | None = None) -> list[KioskRecord]:
        sql = "SELECT county, kiosk, suite, public_key, status, registered_ms, changed_ms FROM kiosks"
        rows = (
            self._conn.execute(sql + " WHERE county = ? ORDER BY kiosk", (county,))
            if county is not None
            else self._conn.execute(sql + " ORDER BY county, kiosk")
        )
        return [_record(r) for r in rows]

    # --- KeyResolver ----------------------------------------------------------------------------------

    def device_key(self, county: str, kiosk: str) -> PublicKey:
        record = self.kiosk(county, kiosk)
        if record is None:
            raise UnknownKiosk(f"kiosk {county}/{kiosk} is not registered")
        if record.status != "active":
            raise UnknownKiosk(f"kiosk {county}/{kiosk} was revoked")
        return record.key

    def villager_key(self, kid: str) -> PublicKey:
        try:
            did, version = didm.split_key_id(kid)
        except DomainError as exc:
            raise VerificationError(f"{kid!r} is not a did:lxt key id") from exc
        events = self.did_events(did)
        if not events:
            raise VerificationError("the DID is not known to the county")
        state = didm.resolve(did, events)
        if state.version != version:
            raise VerificationError(f"the key {kid} is not the DID's current key (version {state.version})")
        return PublicKey(state.suite, state.public_key)

    # --- DIDs -----------------------------------------------------------------------------------------

    def did_events(self, did: str) -> list[didm.KeyEvent]:
        rows = self._conn.execute("SELECT event FROM did_events WHERE did = ? ORDER BY n", (did,)).fetchall()
        return [didm.KeyEvent.from_json(json.loads(r[0])) for r in rows]

    def record_did_event(self, did: str, event: didm.KeyEvent, tx_id: str) -> bool:
        """Store a committed inception or rotation; the chain of events must still resolve. False if known."""
        with self._write() as conn:
            known = conn.execute("SELECT tx_id FROM did_events WHERE did = ? AND n = ?", (did, event.n)).fetchone()
            if known is not None:
                return False
            rows = conn.execute("SELECT event FROM did_events WHERE did = ? ORDER BY n", (did,)).fetchall()
            events = [didm.KeyEvent.from_json(json.loads(r[0])) for r in rows]
            didm.resolve(did, [*events, event])  # raises if the event does not extend the chain
            conn.execute(
                "INSERT INTO did_events (did, n, event, tx_id) VALUES (?, ?, ?, ?)",
                (did, event.n, json.dumps(event.to_json(), sort_keys=True), tx_id),
            )
        return True


def _record(row: tuple[Any, ...]) -> KioskRecord:
    return KioskRecord(row[0], row[1], PublicKey(row[2], bytes(row[3])), row[4], int(row[5]), int(row[6]))


def key_text(key: PublicKey) -> str:
    return f"{key.suite}:{b64u(key.key)}"


__all__ = [
    "KioskRecord",
    "KioskRegistry",
    "RegistryConflict",
    "UnknownKiosk",
    "check_name",
    "key_text",
    "read_device_info",
]
