"""The county's credential office on disk: issuer and verifier keys, status list entries, enrolment issuances.

One directory (`--credentials DIR`, default `county/credentials`): `keys/<name>.pem` (PKCS#8, 0600, made once,
never replaced; a verifier also has `keys/<name>.enc.pem`, the X25519 key presentations delivered through the
county are sealed to) and `credentials.sqlite3` (WAL; `verifier_inbox` holds those sealed presentations),
shared by every bridge and by the `lxt-county issuer`, `verifier`, `trust`, `status`, `issue`, `request` and
`verify` commands. The trust list and the status lists the county
broadcasts are built from it, so what a verifier checks against is what the kiosks were sent.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.credentials import jose, status
from kiosk.credentials.kinds import kind_of
from kiosk.credentials.sdjwt import StatusRef
from kiosk.credentials.trust import TrustList
from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import Signer
from kiosk.errors import ConfigError
from kiosk.identity.evidence import generate_keypair
from sync.county.ledger_cli import generate_county_key, load_county_signer

ENROLMENT_KEY = "enrolment.pem"  # the county enrolment key (X25519) that opens the kiosks' sealed evidence
STATUS_LIST_SIZE = 16_384  # entries per list: 2 KiB of bits at 1 bit; a new list when one is full
STATUS_BITS: Literal[2] = 2  # revoked and suspended both
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS party (
    name    TEXT PRIMARY KEY,
    role    TEXT NOT NULL CHECK (role IN ('issuer', 'verifier')),
    id      TEXT NOT NULL,
    kid     TEXT NOT NULL,
    display TEXT NOT NULL,
    grade   TEXT,
    rights  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS status_entry (
    uri        TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    status     INTEGER NOT NULL DEFAULT 0,
    credential TEXT NOT NULL,
    issuer     TEXT NOT NULL,
    PRIMARY KEY (uri, idx)
);
CREATE TABLE IF NOT EXISTS enrolment (
    tx        TEXT PRIMARY KEY,
    did       TEXT NOT NULL,
    kiosk     TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    item_id   TEXT,
    notice    BLOB,
    made_ms   INTEGER NOT NULL,
    sent_ms   INTEGER
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS verifier_inbox (
    tx         TEXT PRIMARY KEY,
    verifier   TEXT NOT NULL,
    request    TEXT NOT NULL,
    did        TEXT NOT NULL,
    ts_ms      INTEGER NOT NULL,
    sealed     TEXT NOT NULL,
    relayed_ms INTEGER NOT NULL,
    read_ms    INTEGER
);
CREATE INDEX IF NOT EXISTS verifier_inbox_by_verifier ON verifier_inbox (verifier, read_ms);
"""


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    role: str
    id: str
    kid: str
    display: str
    grade: str | None
    rights: Any  # issuers: [vct, …]; verifiers: [{vct, claims}, …]


def check_party_name(name: str) -> str:
    if not _NAME.match(name):
        raise ConfigError("a name is 1–32 lowercase letters, digits, - or _ (it names the key file)")
    return name


class CredentialOffice:
    def __init__(self, root: Path, county: str) -> None:
        self.root = root
        self.county = county
        (root / "keys").mkdir(parents=True, exist_ok=True, mode=0o700)
        self._conn = sqlite3.connect(root / "credentials.sqlite3", isolation_level=None, timeout=30.0)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT: bridges and the tools share this file, one writer at a time."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    # --- keys and parties ------------------------------------------------------------------------------

    def key_path(self, name: str) -> Path:
        return self.root / "keys" / f"{check_party_name(name)}.pem"

    def signer(self, name: str) -> Signer:
        return load_county_signer(self.key_path(name))

    def add_party(self, party: Party, suite: str) -> dict[str, Any]:
        """Make the party's key (never over an existing one) and record it; returns its public JWK."""
        check_party_name(party.name)
        if self._conn.execute("SELECT 1 FROM party WHERE name = ?", (party.name,)).fetchone():
            raise ConfigError(f"{party.name} is already recorded; a key is never replaced")
        if party.role == "issuer":
            for vct in party.rights:
                kind_of(vct)
        generate_county_key(self.key_path(party.name), suite)
        if party.role == "verifier":
            self.make_enc_key(party.name)
        with self.write() as conn:
            conn.execute(
                "INSERT INTO party (name, role, id, kid, display, grade, rights) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*(party.name, party.role, party.id, party.kid, party.display, party.grade), json.dumps(party.rights)),
            )
        TrustList.from_json(self.trust_payload(0))  # refuses an entry the kiosks would refuse, before it is used
        return self.public_jwk(party.name)

    def public_jwk(self, name: str) -> dict[str, Any]:
        signer = self.signer(name)
        try:
            return jose.public_jwk(signer.suite.name, signer.public_key)
        finally:
            signer.wipe()

    def party(self, name: str) -> Party:
        row = self._conn.execute(
            "SELECT name, role, id, kid, display, grade, rights FROM party WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise ConfigError(f"no issuer or verifier named {name[:32]!r} in {self.root}")
        return _party(row)

    def parties(self) -> list[Party]:
        rows = self._conn.execute("SELECT name, role, id, kid, display, grade, rights FROM party ORDER BY name")
        return [_party(r) for r in rows.fetchall()]

    # --- verifiers' encryption keys (presentations delivered through the county are sealed to them) ---------

    def enc_key_path(self, name: str) -> Path:
        return self.root / "keys" / f"{check_party_name(name)}.enc.pem"

    def make_enc_key(self, name: str) -> str:
        """A verifier's X25519 key (private PEM 0600 beside its signing key, never replaced); its public `enc`."""
        private, _ = generate_keypair()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path = self.enc_key_path(name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise ConfigError(f"{path} already exists; presentations are sealed to it") from exc
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return _raw_public(private)

    def enc_public(self, name: str) -> str | None:
        path = self.enc_key_path(name)
        return _raw_public(load_enrolment_key(path)) if path.exists() else None

    def enc_private(self, name: str) -> X25519PrivateKey:
        path = self.enc_key_path(name)
        if not path.exists():
            raise ConfigError(f"{name} has no encryption key (lxt-county verifier enc-key {name})")
        return load_enrolment_key(path)

    # --- the enrolment key --------------------------------------------------------------------------------

    def make_enrolment_key(self) -> bytes:
        """The county enrolment key pair: private PEM here (0600, never replaced); returns the public PEM."""
        path = self.root / ENROLMENT_KEY
        private, public_pem = generate_keypair()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # 0600 from the start
        except FileExistsError as exc:
            raise ConfigError(f"{path} already exists; every kiosk seals evidence to it") from exc
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return public_pem

    def enrolment_key(self) -> X25519PrivateKey:
        return load_enrolment_key(self.root / ENROLMENT_KEY)

    # --- the trust list -----------------------------------------------------------------------------------

    def trust_payload(self, issued_ms: int) -> dict[str, Any]:
        issuers, verifiers = [], []
        for p in self.parties():
            entry: dict[str, Any] = {"id": p.id, "kid": p.kid, "jwk": self.public_jwk(p.name), "name": p.display}
            if p.role == "issuer":
                issuers.append({**entry, "grade": p.grade, "vct": list(p.rights)})
            else:
                enc = self.enc_public(p.name)
                verifiers.append({**entry, "may_request": list(p.rights), **({} if enc is None else {"enc": enc})})
        return {"v": 1, "county": self.county, "issued_ms": issued_ms, "issuers": issuers, "verifiers": verifiers}

    # --- status lists ---------------------------------------------------------------------------------------

    def status_uri(self, issuer: str, list_no: int) -> str:
        return f"https://status.lxt.example/{self.county}/{check_party_name(issuer)}/{list_no}"

    def allocate_status(self, conn: sqlite3.Connection, issuer: str, credential: str) -> StatusRef:
        """The next free entry of the issuer's newest list, inside the caller's write transaction."""
        row = conn.execute(
            "SELECT uri, MAX(idx) FROM status_entry WHERE issuer = ? GROUP BY uri ORDER BY MAX(rowid) DESC LIMIT 1",
            (issuer,),
        ).fetchone()
        if row is None:
            uri, idx = self.status_uri(issuer, 1), 0
        elif int(row[1]) + 1 < STATUS_LIST_SIZE:
            uri, idx = str(row[0]), int(row[1]) + 1
        else:
            uri, idx = self.status_uri(issuer, int(str(row[0]).rsplit("/", 1)[1]) + 1), 0
        conn.execute(
            "INSERT INTO status_entry (uri, idx, credential, issuer) VALUES (?, ?, ?, ?)",
            (uri, idx, credential, issuer),
        )
        return StatusRef(uri, idx)

    def bind_status(self, conn: sqlite3.Connection, ref: StatusRef, credential: str) -> None:
        """Name the credential an entry was allocated for, once it is signed (its id is its JWT's hash)."""
        conn.execute("UPDATE status_entry SET credential = ? WHERE uri = ? AND idx = ?", (credential, ref.uri, ref.idx))

    def set_status(
        self, value: status.TokenStatus, *, credential: str | None = None, ref: StatusRef | None = None
    ) -> StatusRef:
        """Revoke, suspend or reinstate one credential (by its id, or by its list entry)."""
        with self.write() as conn:
            if credential is not None:
                row = conn.execute("SELECT uri, idx FROM status_entry WHERE credential = ?", (credential,)).fetchone()
            elif ref is not None:
                row = conn.execute(
                    "SELECT uri, idx FROM status_entry WHERE uri = ? AND idx = ?", (ref.uri, ref.idx)
                ).fetchone()
            else:
                raise ConfigError("name the credential or its status entry")
            if row is None:
                raise ConfigError("no credential with that id or status entry was issued here")
            current = conn.execute(
                "SELECT status FROM status_entry WHERE uri = ? AND idx = ?", (row[0], row[1])
            ).fetchone()[0]
            if current == status.TokenStatus.INVALID and value != status.TokenStatus.INVALID:
                raise ConfigError("a revoked credential stays revoked")
            conn.execute("UPDATE status_entry SET status = ? WHERE uri = ? AND idx = ?", (int(value), row[0], row[1]))
        return StatusRef(str(row[0]), int(row[1]))

    def status_payload(self, now_s: int, ttl_s: int = 3600) -> dict[str, Any]:
        lists: dict[str, dict[int, int]] = {}
        for uri, idx, value in self._conn.execute("SELECT uri, idx, status FROM status_entry ORDER BY uri, idx"):
            lists.setdefault(str(uri), {})[int(idx)] = int(value)
        entries = [
            {
                "sub": uri,
                "iat": now_s,
                "ttl": ttl_s,
                "status_list": {
                    "bits": STATUS_BITS,
                    "lst": status.encode({i: v for i, v in values.items() if v}, STATUS_BITS, STATUS_LIST_SIZE),
                },
            }
            for uri, values in sorted(lists.items())
        ]
        return {"v": 1, "lists": entries}

    # --- meta -------------------------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn


def _party(row: tuple[Any, ...]) -> Party:
    name, role, pid, kid, display, grade, rights = row
    return Party(str(name), str(role), str(pid), str(kid), str(display), grade, json.loads(rights))


def _raw_public(private: X25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64u(raw)


def load_enrolment_key(path: Path) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path} is not a readable county enrolment key (PEM)") from exc
    if not isinstance(key, X25519PrivateKey):
        raise ConfigError(f"{path} is not an X25519 key")
    return key
