"""The villager's wallet: import (verify, then keep) and the repository of credentials, sealed at rest.

Each credential is stored once (its id is the SHA-256 of the issuer-signed JWT), sealed under the device secret
and bound to its row and holder, so a blob copied to another villager's row does not open. The columns in the
clear are what the wallet lists without opening anything: vct, issuer, status reference, times, source.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.credentials import jose, sdjwt
from kiosk.credentials.errors import (
    AlreadyHeld,
    CredentialError,
    CredentialRevoked,
    CredentialSuspended,
    InvalidClaims,
    MalformedCredential,
    NotBoundToHolder,
    UntrustedIssuer,
)
from kiosk.credentials.kinds import Kind, Vct, kind_of, validate_claims
from kiosk.credentials.sdjwt import StatusRef, VerifiedSdJwt
from kiosk.credentials.status import StatusCheck, StatusLists, TokenStatus
from kiosk.credentials.trust import TrustList
from kiosk.crypto.sealing import Sealer
from kiosk.errors import KioskError
from kiosk.identity import did as didm
from kiosk.store import deliveries
from kiosk.store.db import Database
from kiosk.tx.verify import KeyResolver

logger = logging.getLogger(__name__)

_VILLAGER_ISSUED = (Vct.PEER_ATTESTATION, Vct.SELF_PROFILE)


class Source(StrEnum):
    QR = "qr"
    INBOX = "inbox"
    PEER = "peer"
    SELF = "self"


def credential_id(issuer_jwt: str) -> str:
    return hashlib.sha256(issuer_jwt.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class Holder:
    """Whose wallet: the DID and the public key credentials must be bound to."""

    did: str
    suite: str
    public_key: bytes

    @property
    def jwk(self) -> dict[str, str]:
        return jose.public_jwk(self.suite, self.public_key)


class IssuerKeys:
    """Issuer keys: the trust list for institutions; the DID logs for villagers (peer and self-issued)."""

    def __init__(self, trust: TrustList, villagers: KeyResolver | None) -> None:
        self.trust = trust
        self._villagers = villagers

    def lookup(self, iss: str, kid: str | None, vct: str) -> Mapping[str, Any]:
        if vct in _VILLAGER_ISSUED:
            if self._villagers is None or kid is None or not iss.startswith("did:lxt:"):
                raise UntrustedIssuer("a villager-issued credential needs a resolvable DID key id")
            try:
                if didm.split_key_id(kid)[0] != iss:
                    raise UntrustedIssuer("the key id is not of the issuing DID")
                key = self._villagers.villager_key(kid)
            except UntrustedIssuer:
                raise
            except KioskError as exc:
                raise UntrustedIssuer("the issuing villager's DID is not known here") from exc
            return jose.public_jwk(key.suite, key.key)
        return self.trust.issuer_key(iss, kid, vct)

    def issuer_name(self, verified: VerifiedSdJwt) -> str:
        if verified.vct == Vct.PEER_ATTESTATION:
            return str(verified.claims.get("attester_name", "村民"))
        if verified.vct == Vct.SELF_PROFILE:
            return "本人"
        kid = verified.header.get("kid")
        return self.trust.issuer(verified.iss, kid if isinstance(kid, str) else None, verified.vct).name

    def issuer_grade(self, iss: str, vct: str) -> str | None:
        for entry in self.trust.issuers_named(iss):
            if vct in entry.vct:
                return entry.grade
        return None


def verify_issued(token: str, holder: Holder, keys: IssuerKeys, *, now_s: int, max_bytes: int) -> VerifiedSdJwt:
    """A credential in issued form, checked for import: issuer, signature, times, schema, binding to `holder`."""
    if token.strip().rsplit("~", 1)[-1]:
        raise MalformedCredential("a credential to import carries no key binding (that is a presentation)")
    verified = sdjwt.verify(token, keys.lookup, now_s=now_s, max_bytes=max_bytes)
    kind = kind_of(verified.vct)
    validate_claims(kind.vct, verified.claims)
    if kind.needs_exp and verified.exp is None:
        raise InvalidClaims(f"{kind.vct.value} must carry an expiry")
    if jose.key_of_jwk(verified.holder_jwk) != (holder.suite, holder.public_key):
        raise NotBoundToHolder("the credential is bound to another key than this villager's")
    if kind.self_issued and verified.iss != holder.did:
        raise UntrustedIssuer("a self-declared credential must be issued by its holder")
    return verified


@dataclass(frozen=True, slots=True)
class WalletEntry:
    id: str
    holder: str
    vct: str
    issuer: str
    issuer_name: str
    status: StatusRef | None
    issued_s: int
    expires_s: int | None
    received_ms: int
    source: Source

    @property
    def kind(self) -> Kind:
        return kind_of(self.vct)


@dataclass(frozen=True, slots=True)
class WalletCard:
    """One credential as the wallet screen shows it: what, from whom, its status and how fresh that is."""

    entry: WalletEntry
    name_zh: str
    icon: str
    status: StatusCheck
    expired: bool


_COLUMNS = "id, holder, vct, issuer, issuer_name, status_uri, status_idx, issued_s, expires_s, received_ms, source"


def _entry(row: tuple[Any, ...] | sqlite3.Row) -> WalletEntry:
    cid, holder, vct, iss, name, uri, idx, issued, expires, received, source = tuple(row)
    status = None if uri is None else StatusRef(str(uri), int(idx))
    return WalletEntry(
        str(cid),
        str(holder),
        str(vct),
        str(iss),
        str(name),
        status,
        int(issued),
        expires,
        int(received),
        Source(source),
    )


class Wallet:
    """The credential repository (table `credential`, migration 0005)."""

    def __init__(self, db: Database, device_secret: bytes) -> None:
        self._db = db
        self._sealer = Sealer(device_secret, "credential")

    def _context(self, cid: str, holder: str) -> str:
        return f"credential:{holder}:{cid}"

    def add(
        self,
        conn: sqlite3.Connection,
        verified: VerifiedSdJwt,
        *,
        holder: str,
        issuer_name: str,
        source: Source,
        now_ms: int,
    ) -> WalletEntry:
        """Keep a verified credential, inside the caller's transaction; AlreadyHeld if it is there."""
        cid = credential_id(verified.issuer_jwt)
        if conn.execute("SELECT 1 FROM credential WHERE id = ?", (cid,)).fetchone():
            raise AlreadyHeld("this credential is already in a wallet here")
        sealed = self._sealer.seal(verified.issued_form.encode("ascii"), self._context(cid, holder))
        ref = verified.status
        conn.execute(
            f"INSERT INTO credential ({_COLUMNS}, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            (
                *(cid, holder, verified.vct, verified.iss, issuer_name),
                *((None, None) if ref is None else (ref.uri, ref.idx)),
                *(verified.iat, verified.exp, now_ms, source.value, sealed),
            ),
        )
        return _entry(conn.execute(f"SELECT {_COLUMNS} FROM credential WHERE id = ?", (cid,)).fetchone())  # noqa: S608

    def entries(self, holder: str, vct: str | None = None) -> list[WalletEntry]:
        sql = f"SELECT {_COLUMNS} FROM credential WHERE holder = ?"  # noqa: S608
        params: tuple[object, ...] = (holder,)
        if vct is not None:
            sql, params = sql + " AND vct = ?", (holder, vct)
        return [_entry(r) for r in self._db.read(sql + " ORDER BY received_ms, id", params)]

    def get(self, holder: str, cid: str) -> WalletEntry:
        rows = self._db.read(f"SELECT {_COLUMNS} FROM credential WHERE id = ? AND holder = ?", (cid, holder))  # noqa: S608
        if not rows:
            raise MalformedCredential("no such credential in this wallet")
        return _entry(rows[0])

    def open(self, holder: str, cid: str) -> str:
        """The SD-JWT (issued form) of one of the holder's credentials."""
        rows = self._db.read("SELECT sealed FROM credential WHERE id = ? AND holder = ?", (cid, holder))
        if not rows:
            raise MalformedCredential("no such credential in this wallet")
        return self._sealer.open(bytes(rows[0][0]), self._context(cid, holder)).decode("ascii")

    def claims(self, holder: str, cid: str) -> dict[str, Any]:
        """Every claim of a held credential (verified when it was imported), for the detail view."""
        parsed = sdjwt.parse(self.open(holder, cid), max_bytes=sdjwt.MAX_CREDENTIAL_BYTES)
        return {d[1]: d[2] for d in parsed.decoded if len(d) == 3}

    def remove(self, conn: sqlite3.Connection, holder: str, cid: str) -> bool:
        return conn.execute("DELETE FROM credential WHERE id = ? AND holder = ?", (cid, holder)).rowcount == 1

    def cards(self, holder: str, lists: StatusLists, now_s: int) -> list[WalletCard]:
        out = []
        for e in self.entries(holder):
            kind = e.kind
            expired = e.expires_s is not None and now_s >= e.expires_s
            out.append(WalletCard(e, kind.name_zh, kind.icon, lists.check(e.status, now_s), expired))
        return out


# --- import ------------------------------------------------------------------------------------------------

INBOX_KIND = "credential"  # an inbox delivery {"holder": DID, "sd_jwt": "<issued form>"}


def import_credential(
    db: Database,
    wallet: Wallet,
    token: str,
    holder: Holder,
    keys: IssuerKeys,
    lists: StatusLists,
    *,
    now_ms: int,
    source: Source,
    max_bytes: int = sdjwt.MAX_QR_BYTES,
) -> WalletEntry:
    """Verify and keep a credential, or raise the CredentialError that says why not.

    A revoked or suspended credential is refused; one whose status nobody can tell yet (no list, or an old
    one) is kept, and its card shows that the status is unknown until a fresh list arrives.
    """
    with db.transaction() as conn:
        return accept_credential(
            conn, wallet, token, holder, keys, lists, now_ms=now_ms, source=source, max_bytes=max_bytes
        )


def accept_credential(
    conn: sqlite3.Connection,
    wallet: Wallet,
    token: str,
    holder: Holder,
    keys: IssuerKeys,
    lists: StatusLists,
    *,
    now_ms: int,
    source: Source,
    max_bytes: int,
) -> WalletEntry:
    """`import_credential` inside the caller's transaction (lxt-sync takes deliveries in the one that stores them)."""
    verified = verify_issued(token, holder, keys, now_s=now_ms // 1000, max_bytes=max_bytes)
    status = lists.check(verified.status, now_ms // 1000)
    if status.status is TokenStatus.INVALID:
        raise CredentialRevoked("the issuer revoked this credential")
    if status.status in (TokenStatus.SUSPENDED, TokenStatus.APPLICATION_SPECIFIC):
        raise CredentialSuspended("the issuer suspended this credential")
    return wallet.add(
        conn, verified, holder=holder.did, issuer_name=keys.issuer_name(verified), source=source, now_ms=now_ms
    )


@dataclass(frozen=True, slots=True)
class InboxOutcome:
    item_id: str
    entry: WalletEntry | None
    refusal: str | None  # the message key of the CredentialError, when it was refused


def import_inbox(
    db: Database, wallet: Wallet, holder: Holder, keys: IssuerKeys, lists: StatusLists, *, now_ms: int
) -> list[InboxOutcome]:
    """Import the credentials the county delivered for `holder` (inbox kind `credential`); each item is handled once.

    A refused item is marked handled too, with its reason returned (the wallet shows it once); it is never retried,
    since the same bytes would be refused again.
    """
    items = [
        i
        for i in deliveries.inbox(db.conn, INBOX_KIND, unhandled=True)
        if isinstance(i.payload, dict) and i.payload.get("holder") == holder.did
    ]
    out = []
    for item in items:
        token = item.payload.get("sd_jwt")
        try:
            if not isinstance(token, str):
                raise MalformedCredential("the delivery carries no sd_jwt text")
            entry = import_credential(
                db,
                wallet,
                token,
                holder,
                keys,
                lists,
                now_ms=now_ms,
                source=Source.INBOX,
                max_bytes=sdjwt.MAX_CREDENTIAL_BYTES,
            )
            out.append(InboxOutcome(item.id, entry, None))
        except CredentialError as exc:
            logger.warning("a delivered credential was refused: %s", exc.reason.value)
            out.append(InboxOutcome(item.id, None, exc.message_key))
        with db.transaction() as conn:
            deliveries.mark_handled(conn, item.id, now_ms)
    return out
