"""The wallet's work for the screens, built from the core: listing, detail, import, and the sharing and 互证 flows.

Qt-free. Every method blocks (database, scrypt, signatures) and runs on a Background lane through the
view-models' `run` callables; nothing here is called on the GUI thread. The trust and status lists are read
fresh for every piece of work, so a broadcast that arrives during a session applies at the next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from kiosk.core import Core
from kiosk.credentials import kinds, pending
from kiosk.credentials import status as statusm
from kiosk.credentials import trust as trustm
from kiosk.credentials.pending import PendingRequest
from kiosk.credentials.status import StatusCheck, StatusLists, TokenStatus
from kiosk.credentials.trust import TrustList
from kiosk.credentials.wallet import Holder, IssuerKeys, Source, Wallet, WalletCard, WalletEntry, import_credential
from kiosk.errors import DeviceError, UserFacingError
from kiosk.flows.attest import AttestFlow
from kiosk.flows.present import PresentDeps, PresentFlow
from kiosk.flows.signin import VillagerSession
from kiosk.identity.resolver import LocalResolver
from kiosk.ports import CardReader, CardRemoved, CorruptCardRecord, DeviceTimeout
from kiosk.store import outbox
from kiosk.store.outbox import OutboxState

CHINA = timezone(timedelta(hours=8))


def cn_date(seconds: int) -> str:
    """A date as a villager reads it: 2026年11月23日 (China time)."""
    d = datetime.fromtimestamp(seconds, UTC).astimezone(CHINA)
    return f"{d.year}年{d.month}月{d.day}日"


def cn_iso_date(iso: str) -> str:
    """A claim date (YYYY-MM-DD) as 2026年10月8日; anything else as it is."""
    try:
        d = datetime.strptime(iso, "%Y-%m-%d")
    except ValueError:
        return iso
    return f"{d.year}年{d.month}月{d.day}日"


class StatusWord(StrEnum):
    """The four status words of UI.md, and suspension (the issuer's own pause), each shown with an icon."""

    VALID = "valid"  # 有效
    EXPIRED = "expired"  # 已过期
    REVOKED = "revoked"  # 已撤销
    SUSPENDED = "suspended"  # 暂停使用
    UNKNOWN = "unknown"  # 状态待更新


def status_word(check: StatusCheck, expired: bool) -> StatusWord:
    if check.status is TokenStatus.INVALID:
        return StatusWord.REVOKED
    if expired:
        return StatusWord.EXPIRED
    if check.status in (TokenStatus.SUSPENDED, TokenStatus.APPLICATION_SPECIFIC):
        return StatusWord.SUSPENDED
    if check.status is None or not check.fresh:
        return StatusWord.UNKNOWN
    return StatusWord.VALID


@dataclass(frozen=True, slots=True)
class CardView:
    """One credential as a card: what, from whom, when, its status word and how fresh that status is."""

    id: str
    kind: str  # the Chinese display name (体检报告)
    icon: str  # the kind's icon name
    issuer: str
    issued: str  # 2026年10月7日
    expires: str | None
    status: StatusWord
    checked: str | None  # when the status list that said so was made; None: never checked


@dataclass(frozen=True, slots=True)
class ClaimLine:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class DetailView:
    card: CardView
    claims: tuple[ClaimLine, ...]


def _value(value: Any) -> str:
    """A claim value in plain words (yes/no, dates, lists); never a JSON dump."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    text = str(value)
    return cn_iso_date(text) if len(text) == 10 and text[4:5] == "-" else text


def card_view(card: WalletCard) -> CardView:
    e = card.entry
    return CardView(
        id=e.id,
        kind=card.name_zh,
        icon=card.icon,
        issuer=e.issuer_name,
        issued=cn_date(e.issued_s),
        expires=None if e.expires_s is None else cn_date(e.expires_s),
        status=status_word(card.status, card.expired),
        checked=None if card.status.as_of_s is None else cn_date(card.status.as_of_s),
    )


class ProofDesk:
    """The core's credential pieces for the screens (each call blocks: run it on a lane)."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self.wallet = Wallet(core.db, core.device.secret)

    def _now_s(self) -> int:
        return int(self._core.time.now().at.timestamp())

    def _max_age(self) -> int:
        return self._core.settings.credentials.status_max_age_s

    def trust(self) -> TrustList:
        found = trustm.load(self._core.db.conn)
        if found is None:
            raise UserFacingError("credential.no_trust_list")
        return found

    def lists(self) -> StatusLists:
        return statusm.load(self._core.db.conn)

    def holder(self, did: str) -> Holder:
        key = self._core.keystore.get(did)
        return Holder(did, key.suite, key.public_key)

    def cards(self, did: str) -> tuple[CardView, ...]:
        lists, now = self.lists(), self._now_s()
        found = []
        for e in self.wallet.entries(did):
            kind = e.kind
            expired = e.expires_s is not None and now >= e.expires_s
            check = lists.check(e.status, now, self._max_age())
            found.append(card_view(WalletCard(e, kind.name_zh, kind.icon, check, expired)))
        found.reverse()  # the newest first
        return tuple(found)

    def detail(self, did: str, cid: str) -> DetailView:
        entry: WalletEntry = self.wallet.get(did, cid)
        card = next(c for c in self.cards(did) if c.id == entry.id)
        held = self.wallet.claims(did, cid)
        kind = kinds.kind_of(entry.vct)
        lines = tuple(ClaimLine(kind.labels[n][0], _value(held[n])) for n in kind.labels if n in held)
        return DetailView(card, lines)

    def import_qr(self, did: str, token: str) -> CardView:
        """Verify and keep a credential read from a QR; raises the CredentialError that says why not."""
        keys = IssuerKeys(self.trust(), LocalResolver(self._core.db, self._core.device))
        entry = import_credential(
            self._core.db,
            self.wallet,
            token,
            self.holder(did),
            keys,
            self.lists(),
            now_ms=self._now_s() * 1000,
            source=Source.QR,
        )
        return next(c for c in self.cards(did) if c.id == entry.id)

    def pending_requests(self, did: str) -> tuple[PendingRequest, ...]:
        """The villager's unanswered requests that came through the inbox, newest first (at most four)."""
        found = trustm.load(self._core.db.conn)
        if found is None:
            return ()
        return tuple(pending.pending(self._core.db.conn, did, found, now_s=self._now_s()))

    def delivered(self, tx_id: str) -> bool:
        """Whether the county committed a queued transaction (a presentation it relays to the verifier)."""
        item = outbox.get(self._core.db.conn, tx_id)
        return item is not None and item.state is OutboxState.COMMITTED

    def deps(self) -> PresentDeps:
        c = self._core
        return PresentDeps(c.db, self.wallet, c.keystore, c.time, c.device, c.device_signer, self._max_age())

    def present_flow(self, session: VillagerSession) -> PresentFlow:
        return PresentFlow(self.deps(), session, self.trust(), self.lists())

    def attest_flow(self, session: VillagerSession) -> AttestFlow:
        cfg = self._core.settings.credentials
        return AttestFlow(self.deps(), session, cap=cfg.max_peer_attestations, valid_days=cfg.peer_attestation_days)

    def subject_from_card(self, reader: CardReader, timeout_s: float) -> Holder:
        """The other villager, from their ID card: they must be enrolled here (their key is in this kiosk)."""
        try:
            card = reader.read_card(timeout_s)
        except DeviceTimeout:
            raise UserFacingError("card.none") from None
        except CardRemoved:
            raise UserFacingError("card.removed") from None
        except CorruptCardRecord:
            raise UserFacingError("card.unreadable") from None
        except DeviceError:
            raise UserFacingError("card.reader_failed") from None
        person = self._core.registry.find(card.id_number)
        if person is None:
            raise UserFacingError("credential.subject_not_here")
        return self.holder(person.did)
