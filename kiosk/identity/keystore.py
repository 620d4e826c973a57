"""Villager keys at rest: wrapped under scrypt(PIN) and the device secret, locked after too many wrong PINs.

The wrapping key is HKDF(scrypt(PIN, salt) ‖ device secret): a stolen disk without the device secret, or a
known PIN without the kiosk, opens nothing. The wrong-PIN counter and the lock live in the database, so a
restart or a second process does not reset them, and every failure and lock is audited.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk.crypto.sealing import Sealer
from kiosk.crypto.suites import Signer, get_suite, wipe
from kiosk.errors import DomainError, KeyLockedError, UserFacingError, VerificationError
from kiosk.ports import ClockReading
from kiosk.store import audit
from kiosk.store.db import Database

logger = logging.getLogger(__name__)

PIN_LENGTH = 6
_FORMAT = 1
_HEADER = struct.Struct(">BBBB16s12s")  # format, log2 N, r, p, salt, nonce


class WrongPin(VerificationError):
    """The PIN did not open the key."""


@dataclass(frozen=True, slots=True)
class KdfParams:
    log2_n: int = 15
    r: int = 8
    p: int = 1


def _kek(pin: str, salt: bytes, device_secret: bytes, params: KdfParams) -> bytes:
    stretched = Scrypt(salt=salt, length=32, n=2**params.log2_n, r=params.r, p=params.p).derive(pin.encode("ascii"))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"lxt/keywrap/v1").derive(
        stretched + device_secret
    )


def wrap_key(private_key: bytes | bytearray, pin: str, device_secret: bytes, aad: bytes, params: KdfParams) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = _kek(pin, salt, device_secret, params)
    body = AESGCM(kek).encrypt(nonce, bytes(private_key), aad)
    return _HEADER.pack(_FORMAT, params.log2_n, params.r, params.p, salt, nonce) + body


def unwrap_key(wrapped: bytes, pin: str, device_secret: bytes, aad: bytes) -> bytearray:
    if len(wrapped) <= _HEADER.size:
        raise VerificationError("wrapped key is malformed")
    fmt, log2_n, r, p, salt, nonce = _HEADER.unpack_from(wrapped)
    if fmt != _FORMAT:
        raise VerificationError("wrapped key has an unknown format")
    kek = _kek(pin, salt, device_secret, KdfParams(log2_n, r, p))
    try:
        return bytearray(AESGCM(kek).decrypt(nonce, wrapped[_HEADER.size :], aad))
    except InvalidTag as exc:
        raise WrongPin("wrong PIN") from exc


# --- PIN policy ---------------------------------------------------------------------------------


def _is_repeating(pin: str) -> bool:
    # 000000, 121212, 123123: one short unit repeated.
    return any(pin == pin[:k] * (PIN_LENGTH // k) for k in (1, 2, 3))


def _is_sequence(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    return steps in ({1}, {9})  # 123456, 654321, and their wrap-arounds such as 890123


def _date_forms(day: date) -> set[str]:
    yy, mm, dd = f"{day.year % 100:02d}", f"{day.month:02d}", f"{day.day:02d}"
    return {yy + mm + dd, dd + mm + yy, mm + dd + yy, f"{day.year:04d}{mm}"}


def check_pin(pin: str, birth_date: date | None = None, id_number: str | None = None) -> None:
    """Refuse PINs a thief holding the card would guess first. Raises UserFacingError with the rule."""
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        raise UserFacingError("pin.rule.six_digits")
    if _is_repeating(pin) or _is_sequence(pin):
        raise UserFacingError("pin.rule.too_simple")
    if birth_date is not None and pin in _date_forms(birth_date):
        raise UserFacingError("pin.rule.birth_date")
    if id_number is not None and pin in (id_number[-7:-1], id_number[-6:]):
        raise UserFacingError("pin.rule.id_number")


# --- the repository -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredKey:
    did: str
    version: int
    suite: str
    public_key: bytes
    wrapped: bytes
    sealed_next: bytes
    failed_attempts: int
    locked_ms: int | None

    @property
    def locked(self) -> bool:
        return self.locked_ms is not None


def key_aad(did: str, version: int) -> bytes:
    return f"lxt/villager-key/v1\n{did}#k{version}".encode()


class KeyStore:
    """Villager keys in the database, with the wrong-PIN counter and the lock."""

    def __init__(self, db: Database, device_secret: bytes, params: KdfParams, max_attempts: int) -> None:
        self._db = db
        self._secret = device_secret
        self._params = params
        self._max = max_attempts
        self._next_sealer = Sealer(device_secret, "next-key")

    def wrap(self, private_key: bytes | bytearray, pin: str, did: str, version: int) -> bytes:
        return wrap_key(private_key, pin, self._secret, key_aad(did, version), self._params)

    def seal_next(self, private_key: bytes | bytearray, did: str) -> bytes:
        return self._next_sealer.seal(bytes(private_key), f"next:{did}")

    def open_next(self, stored: StoredKey) -> bytearray:
        return bytearray(self._next_sealer.open(stored.sealed_next, f"next:{stored.did}"))

    def save(self, conn: sqlite3.Connection, key: StoredKey) -> None:
        """Insert or replace (after a rotation) the key of a DID, inside the caller's transaction."""
        conn.execute(
            "INSERT INTO villager_key (did, version, suite, public_key, wrapped, sealed_next, failed_attempts, "
            "locked_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (did) DO UPDATE SET version = excluded.version, "
            "suite = excluded.suite, public_key = excluded.public_key, wrapped = excluded.wrapped, "
            "sealed_next = excluded.sealed_next, failed_attempts = 0, locked_ms = NULL",
            (key.did, key.version, key.suite, key.public_key, key.wrapped, key.sealed_next, 0, None),
        )

    def get(self, did: str) -> StoredKey:
        rows = self._db.read(
            "SELECT did, version, suite, public_key, wrapped, sealed_next, failed_attempts, locked_ms "
            "FROM villager_key WHERE did = ?",
            (did,),
        )
        if not rows:
            raise DomainError("no key is stored for this DID")
        return StoredKey(*rows[0])

    def unlock(self, did: str, pin: str, now: Callable[[], ClockReading]) -> Signer:
        """The villager's signer if `pin` is right; counts and audits a wrong one; locks at the limit."""
        stored = self.get(did)
        if stored.locked:
            raise KeyLockedError("key is locked")
        try:
            private = unwrap_key(stored.wrapped, pin, self._secret, key_aad(did, stored.version))
        except WrongPin:
            remaining = self._record_failure(did, now)
            if remaining == 0:
                raise UserFacingError("pin.locked") from None
            raise UserFacingError("pin.wrong", remaining=remaining) from None
        try:
            signer = get_suite(stored.suite).signer(private)
        finally:
            wipe(private)
        if stored.failed_attempts:
            with self._db.transaction() as conn:
                conn.execute("UPDATE villager_key SET failed_attempts = 0 WHERE did = ?", (did,))
        return signer

    def _record_failure(self, did: str, now: Callable[[], ClockReading]) -> int:
        with self._db.transaction() as conn:
            when = now()
            conn.execute("UPDATE villager_key SET failed_attempts = failed_attempts + 1 WHERE did = ?", (did,))
            failed = int(conn.execute("SELECT failed_attempts FROM villager_key WHERE did = ?", (did,)).fetchone()[0])
            audit.append(conn, when, audit.AuditAction.PIN_FAILED, did, did, {"failed": failed})
            if failed >= self._max:
                ms = int(when.at.timestamp() * 1000)
                conn.execute("UPDATE villager_key SET locked_ms = ? WHERE did = ?", (ms, did))
                audit.append(conn, when, audit.AuditAction.KEY_LOCKED, did, did, {"after": failed})
                logger.warning("a villager key was locked after %d wrong PINs", failed)
        return max(self._max - failed, 0)
