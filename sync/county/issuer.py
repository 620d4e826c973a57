"""The county identity authority in the bridge: a committed `identity.enroll` becomes a real-name credential.

After each sealed block the issuer reads the new blocks' enrolments (the ledger is the record of what was
committed, so a bridge that died between sealing and issuing catches up from it on restart), opens the sealed
evidence with the county enrolment key, issues the real-name SD-JWT VC bound to the key the DID was incepted
with, and keeps the signed inbox notice in the credential office — once per transaction id, in the same write
transaction that moves the office's block cursor, so two bridges never issue one enrolment twice.

Delivery is at least once: the kiosk's MQTT session is clean, so a notice is published only while its kiosk is
online (its retained `up/state`), kept until the broker took it, and offered again after `RETRY_MS` or at the
kiosk's next birth. The kiosk stores inbox items once by id (the id is derived from the transaction id), so the
effect is exactly once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from kiosk.credentials import sdjwt
from kiosk.credentials.jose import public_jwk
from kiosk.credentials.kinds import Vct, validate_claims
from kiosk.credentials.wallet import INBOX_KIND, credential_id
from kiosk.crypto.suites import Signer
from kiosk.domain.ethnicity import ethnicity_name
from kiosk.errors import KioskError
from kiosk.identity import did as didm
from kiosk.identity.evidence import open_evidence
from kiosk.tx import envelope as envm
from kiosk.tx.bodies import IdentityEnrollBody, validate_body
from kiosk.tx.notice import NoticeKind, sign_notice
from sync.county.credstore import CredentialOffice
from sync.county.intake import Outgoing
from sync.county.ledger import LedgerReader
from sync.topics import KioskTopics, kiosk_of

logger = logging.getLogger(__name__)

COUNTY_ISSUER = "county"  # the office's name for the county identity authority's key
CURSOR = "enrolment_height"  # the next block height whose enrolments are still to be read
RETRY_MS = 30_000
_SEX = {"1": "男", "2": "女"}
_REGION_ENDS = ("村", "社区", "居委会", "镇", "乡", "街道", "县", "市")


def delivery_id(tx_id: str) -> str:
    """The inbox item id of an enrolment's credential: the same for every bridge and every retry."""
    return hashlib.sha256(f"lxt/credential-delivery/v1\n{tx_id}".encode("ascii")).hexdigest()[:32]


def region_of(address: str) -> str:
    """The address down to the village (县乡村), never the house: the first of 村, 社区, … that it has."""
    for end in _REGION_ENDS:
        at = address.find(end)
        if at > 0:
            return address[: at + len(end)][:60]
    return address[:60]


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def real_name_claims(card: dict[str, Any], today: date) -> dict[str, Any]:
    """The claims of the real-name credential from the card record in the evidence (schema-checked)."""
    birth = date.fromisoformat(str(card["birth_date"]))
    age = _age_on(birth, today)
    claims = {
        "name": str(card["name"]),
        "sex": _SEX.get(str(card["sex"]), "未知"),
        "ethnicity": ethnicity_name(str(card["ethnicity"])),
        "birth_date": birth.isoformat(),
        "region": region_of(str(card["address"])),
        "age_over_18": age >= 18,
        "age_over_60": age >= 60,
        "id_number_hash": hashlib.sha256(str(card["id_number"]).encode("ascii")).hexdigest(),
    }
    validate_claims(Vct.REAL_NAME, claims)
    return claims


def _card_expiry(card: dict[str, Any]) -> int | None:
    """The credential lives as long as the card (长期: no expiry)."""
    valid_to = card.get("valid_to")
    if not valid_to:
        return None
    return int(datetime.fromisoformat(f"{valid_to}T23:59:59+00:00").timestamp())


class EnrolmentIssuer:
    def __init__(self, office: CredentialOffice, ledger: LedgerReader, notice_signer: Signer, county: str) -> None:
        self.office = office
        self.ledger = ledger
        self.county = county
        self._notice_signer = notice_signer
        self._party = office.party(COUNTY_ISSUER)
        self._enrolment_key = office.enrolment_key()
        self._online: dict[str, bool] = {}
        self._offered: dict[str, int] = {}  # tx → when this bridge last handed its notice to paho
        self.issued = 0

    # --- kiosks' presence -------------------------------------------------------------------------------

    def on_state(self, topic: str, payload: bytes) -> None:
        where = kiosk_of(topic)
        if where is None or where[0] != self.county:
            return
        try:
            online = bool(json.loads(payload).get("online")) if payload else False
        except (ValueError, AttributeError):
            online = False
        if online and not self._online.get(where[1]):
            self._offered.clear()  # a kiosk came (back) online: whatever it missed is due at once
        self._online[where[1]] = online

    # --- issuing ------------------------------------------------------------------------------------------

    def scan(self, now_ms: int) -> int:
        """Issue for the enrolments of every block sealed since the cursor; returns how many were issued."""
        issued = 0
        while True:
            with self.office.write() as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = ?", (CURSOR,)).fetchone()
                height = 0 if row is None else int(row[0])
                if height >= self.ledger.height():
                    return issued
                for _idx, tx_id, raw in self.ledger.envelopes(height):
                    issued += self._one(conn, tx_id, raw, now_ms)
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (CURSOR, str(height + 1)),
                )
            self.issued += issued

    def _one(self, conn: sqlite3.Connection, tx_id: str, raw: bytes, now_ms: int) -> int:
        env = envm.parse(raw)
        if env.type != "identity.enroll":
            return 0
        if conn.execute("SELECT 1 FROM enrolment WHERE tx = ?", (tx_id,)).fetchone():
            return 0
        body = validate_body(env.type, env.body)
        if not isinstance(body, IdentityEnrollBody):
            raise TypeError("identity.enroll validated to another body")
        try:
            notice = self._credential_notice(conn, env, body, now_ms)
            outcome = "issued"
        except (KioskError, KeyError, ValueError) as exc:
            # Evidence that does not open or a card record that does not fit: the enrolment stays committed,
            # the county sees why here, and no credential is made from what it could not check.
            logger.warning("no real-name credential for enrolment %s: %s", tx_id[:16], type(exc).__name__)
            notice, outcome = None, f"refused: {str(exc)[:160]}"
        conn.execute(
            "INSERT INTO enrolment (tx, did, kiosk, outcome, item_id, notice, made_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (tx_id, body.did, env.kiosk, outcome, None if notice is None else delivery_id(tx_id), notice, now_ms),
        )
        return 0 if notice is None else 1

    def _credential_notice(
        self, conn: sqlite3.Connection, env: envm.Envelope, body: IdentityEnrollBody, now_ms: int
    ) -> bytes:
        evidence = open_evidence(body.evidence.model_dump(), self._enrolment_key, body.did)
        card = evidence["card"]
        now_s = now_ms // 1000
        claims = real_name_claims(card, datetime.fromtimestamp(now_s, UTC).date())
        state = didm.resolve(body.did, [didm.KeyEvent.from_json(body.inception.model_dump())])
        ref = self.office.allocate_status(conn, COUNTY_ISSUER, "")
        signer = self.office.signer(COUNTY_ISSUER)
        try:
            token = sdjwt.issue(
                signer=signer,
                iss=self._party.id,
                kid=self._party.kid,
                vct=Vct.REAL_NAME.value,
                claims=claims,
                holder_jwk=public_jwk(state.suite, state.public_key),
                iat=now_s,
                exp=_card_expiry(card),
                status=ref,
            )
        finally:
            signer.wipe()
        cid = credential_id(token.split("~", 1)[0])
        self.office.bind_status(conn, ref, cid)
        payload = {"holder": body.did, "sd_jwt": token}
        item = {"id": delivery_id(env.id), "kind": INBOX_KIND, "kiosk": env.kiosk, "payload": payload}
        return sign_notice(NoticeKind.INBOX, self.county, now_ms, item, self._notice_signer)

    # --- delivering ----------------------------------------------------------------------------------------

    def due(self, now_ms: int) -> list[tuple[str, Outgoing]]:
        """Notices to publish now: not yet taken by the broker, their kiosk online, not offered just now."""
        rows = self.office.conn.execute(
            "SELECT tx, kiosk, notice FROM enrolment WHERE notice IS NOT NULL AND sent_ms IS NULL ORDER BY made_ms"
        ).fetchall()
        out = []
        for tx, kiosk, notice in rows:
            if not self._online.get(kiosk) or now_ms - self._offered.get(tx, -RETRY_MS) < RETRY_MS:
                continue
            self._offered[tx] = now_ms
            out.append((str(tx), Outgoing(KioskTopics(self.county, kiosk).down_inbox, bytes(notice))))
        return out

    def delivered(self, tx_id: str, now_ms: int) -> None:
        """The broker took the notice while its kiosk was online: not offered again."""
        with self.office.write() as conn:
            conn.execute("UPDATE enrolment SET sent_ms = ? WHERE tx = ? AND sent_ms IS NULL", (now_ms, tx_id))
        self._offered.pop(tx_id, None)
