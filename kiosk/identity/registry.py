"""Enrolled people on this kiosk: the one place that writes a person, their key, their DID log and the
transaction that tells the county — all in one database transaction, so a crash leaves all or nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from kiosk.clock import TimeService
from kiosk.crypto import canonical
from kiosk.crypto.encoding import b64u
from kiosk.crypto.sealing import Sealer, person_ref
from kiosk.crypto.suites import Signer, get_suite, wipe
from kiosk.domain.idcard import IdCard
from kiosk.errors import DomainError
from kiosk.identity import did as didm
from kiosk.identity.device import DeviceIdentity
from kiosk.identity.evidence import seal_evidence
from kiosk.identity.keystore import KeyStore, StoredKey
from kiosk.identity.resolver import LocalResolver, resolve_did
from kiosk.store import audit, outbox
from kiosk.store.db import Database
from kiosk.tx import envelope
from kiosk.tx.envelope import Envelope, RoleSigner, SignerRole
from kiosk.tx.verify import device_kid, verify


@dataclass(frozen=True, slots=True)
class Witness:
    """A cadre standing by, with their unlocked key, who co-signs as witness."""

    did: str
    kid: str
    signer: Signer


@dataclass(frozen=True, slots=True)
class EnrolledPerson:
    ref: str
    did: str
    mode: str


@dataclass(frozen=True, slots=True, repr=False)
class EnrolmentRecord:
    """What the flow hands over once every check has passed."""

    card: IdCard
    face_jpeg: bytes | None
    face_template: bytes | None
    identity_check: str  # "face_match" | "face_only" | "cadre"
    face_summary: dict[str, Any] | None
    consent: dict[str, Any]
    mode: str
    witness: Witness | None


@dataclass(frozen=True, slots=True)
class EnrolmentReceipt:
    did: str
    tx_id: str
    seq: int
    tx_type: str


def card_json(card: IdCard) -> dict[str, Any]:
    def day(d: date | None) -> str | None:
        return None if d is None else d.isoformat()

    return {
        "kind": card.kind.value,
        "name": card.name,
        "sex": card.sex.value,
        "ethnicity": card.ethnicity,
        "birth_date": day(card.birth_date),
        "address": card.address,
        "id_number": card.id_number,
        "authority": card.authority,
        "valid_from": day(card.valid_from),
        "valid_to": day(card.valid_to),
        "rare_chars": list(card.rare_chars),
    }


class PersonRegistry:
    def __init__(
        self,
        db: Database,
        device: DeviceIdentity,
        device_signer: Signer,
        keystore: KeyStore,
        time: TimeService,
        county_key: X25519PublicKey,
        villager_suite: str,
    ) -> None:
        self._db = db
        self._device = device
        self._device_signer = device_signer
        self._keys = keystore
        self._time = time
        self._county_key = county_key
        self._suite = get_suite(villager_suite)
        self._sealer = Sealer(device.secret, "person")
        self.resolver = LocalResolver(db, device)

    def ref_of(self, id_number: str) -> str:
        return person_ref(self._device.secret, id_number)

    def find(self, id_number: str) -> EnrolledPerson | None:
        ref = self.ref_of(id_number)
        rows = self._db.read("SELECT ref, did, mode FROM person WHERE ref = ?", (ref,))
        return EnrolledPerson(*rows[0]) if rows else None

    def by_did(self, did: str) -> EnrolledPerson | None:
        """The person a signed-in villager is (the session knows the DID, not the card)."""
        rows = self._db.read("SELECT ref, did, mode FROM person WHERE did = ?", (did,))
        return EnrolledPerson(*rows[0]) if rows else None

    def face_template(self, person: EnrolledPerson) -> bytes | None:
        rows = self._db.read("SELECT sealed_face FROM person WHERE ref = ?", (person.ref,))
        if not rows or rows[0][0] is None:
            return None
        return self._sealer.open(bytes(rows[0][0]), f"person.face:{person.ref}")

    def card_of(self, person: EnrolledPerson) -> dict[str, Any]:
        rows = self._db.read("SELECT sealed_card FROM person WHERE ref = ?", (person.ref,))
        value = canonical.loads(self._sealer.open(bytes(rows[0][0]), f"person.card:{person.ref}"))
        if not isinstance(value, dict):
            raise DomainError("sealed card record is not an object")
        return value

    # --- shared pieces -------------------------------------------------------------------------

    def _signers(self, villager: RoleSigner, witness: Witness | None) -> list[RoleSigner]:
        device = RoleSigner(
            SignerRole.DEVICE, device_kid(self._device.county_id, self._device.kiosk_id), self._device_signer
        )
        out = [villager, device]
        if witness is not None:
            out.append(RoleSigner(SignerRole.CADRE, witness.kid, witness.signer))
        return out

    def _queue(
        self, conn: sqlite3.Connection, tx_type: str, body: dict[str, Any], signers: list[RoleSigner]
    ) -> Envelope:
        when = self._time.now()
        self._time.persist(conn)

        def build(seq: int) -> Envelope:
            return envelope.build(
                tx_type,
                county=self._device.county_id,
                kiosk=self._device.kiosk_id,
                seq=seq,
                when=when,
                body=body,
                signers=signers,
            )

        env = outbox.append(conn, build)
        return env

    def _insert_event(self, conn: sqlite3.Connection, did: str, ev: didm.KeyEvent) -> None:
        conn.execute(
            "INSERT INTO did_event (did, n, event, hash) VALUES (?, ?, ?, ?)",
            (did, ev.n, json.dumps(ev.to_json(), sort_keys=True).encode("utf-8"), ev.digest),
        )

    # --- enrolment -----------------------------------------------------------------------------

    def enrol(self, rec: EnrolmentRecord, pin: str) -> EnrolmentReceipt:
        """Make the villager's keys and DID and queue `identity.enroll`, all in one transaction."""
        current, nxt = self._suite.generate(), self._suite.generate()
        try:
            signer, next_signer = self._suite.signer(current), self._suite.signer(nxt)
            ev = didm.inception(
                self._device.county_id,
                self._suite.name,
                signer.public_key,
                self._suite.name,
                next_signer.public_key,
            )
            did = didm.did_of(ev)
            wrapped = self._keys.wrap(current, pin, did, 0)
            sealed_next = self._keys.seal_next(nxt, did)
            next_signer.wipe()
        finally:
            wipe(current)
            wipe(nxt)
        ref = self.ref_of(rec.card.id_number)
        body = self._enrol_body(rec, did, ev)
        villager = RoleSigner(SignerRole.VILLAGER, didm.key_id(did, 0), signer)
        try:
            with self._db.transaction() as conn:
                self._insert_person(conn, ref, did, rec)
                stored = StoredKey(did, 0, self._suite.name, signer.public_key, wrapped, sealed_next, 0, None)
                self._keys.save(conn, stored)
                self._insert_event(conn, did, ev)
                env = self._queue(conn, "identity.enroll", body, self._signers(villager, rec.witness))
                # Check with the same verifier the county runs before anything commits.
                verify(env, self.resolver)
                actor = rec.witness.did if rec.witness else did
                audit.append(
                    conn,
                    self._time.now(),
                    audit.AuditAction.ENROLLED,
                    actor,
                    did,
                    {"mode": rec.mode, "tx": env.id},
                )
        finally:
            signer.wipe()
        return EnrolmentReceipt(did, env.id, env.seq, env.type)

    def _enrol_body(self, rec: EnrolmentRecord, did: str, ev: didm.KeyEvent) -> dict[str, Any]:
        evidence = {
            "card": card_json(rec.card),
            "card_photo": b64u(rec.card.photo),
            "face_jpeg": b64u(rec.face_jpeg) if rec.face_jpeg else None,
            "identity_check": rec.identity_check,
            "kiosk": device_kid(self._device.county_id, self._device.kiosk_id),
        }
        return {
            "did": did,
            "inception": ev.to_json(),
            "mode": rec.mode,
            "witness": rec.witness.did if rec.witness else None,
            "consent": rec.consent,
            "identity_check": rec.identity_check,
            "face": rec.face_summary,
            "evidence": seal_evidence(evidence, self._county_key, did),
        }

    def _insert_person(self, conn: sqlite3.Connection, ref: str, did: str, rec: EnrolmentRecord) -> None:
        sealed_card = self._sealer.seal(canonical.dumps(card_json(rec.card)), f"person.card:{ref}")
        sealed_face = (
            self._sealer.seal(rec.face_template, f"person.face:{ref}") if rec.face_template is not None else None
        )
        when = self._time.now()
        try:
            conn.execute(
                "INSERT INTO person (ref, did, sealed_card, sealed_face, enrolled_ms, mode) VALUES (?, ?, ?, ?, ?, ?)",
                (ref, did, sealed_card, sealed_face, int(when.at.timestamp() * 1000), rec.mode),
            )
        except sqlite3.IntegrityError as exc:
            raise DomainError("this person is already enrolled on this kiosk") from exc

    # --- recovery: re-verified in person, the pre-committed next key takes over ---------------

    def recover(self, person: EnrolledPerson, rec: EnrolmentRecord, pin: str) -> EnrolmentReceipt:
        if rec.witness is None:
            raise DomainError("recovery needs a cadre witness")
        stored = self._keys.get(person.did)
        state = resolve_did(self._db, person.did)
        revealed = self._keys.open_next(stored)
        new_next = self._suite.generate()
        try:
            signer = get_suite(stored.suite).signer(revealed)
            next_signer = self._suite.signer(new_next)
            ev = didm.rotation(state, signer, self._suite.name, next_signer.public_key, didm.RotationReason.RECOVERY)
            version = state.version + 1
            wrapped = self._keys.wrap(revealed, pin, person.did, version)
            sealed_next = self._keys.seal_next(new_next, person.did)
            next_signer.wipe()
        finally:
            wipe(revealed)
            wipe(new_next)
        body = {"did": person.did, "event": ev.to_json(), "witness": rec.witness.did}
        villager = RoleSigner(SignerRole.VILLAGER, didm.key_id(person.did, version), signer)
        try:
            with self._db.transaction() as conn:
                new_key = StoredKey(
                    person.did, version, signer.suite.name, signer.public_key, wrapped, sealed_next, 0, None
                )
                self._keys.save(conn, new_key)
                self._insert_event(conn, person.did, ev)
                env = self._queue(conn, "did.rotate", body, self._signers(villager, rec.witness))
                verify(env, self.resolver)
                audit.append(
                    conn,
                    self._time.now(),
                    audit.AuditAction.RECOVERED,
                    rec.witness.did,
                    person.did,
                    {"tx": env.id, "version": version, "check": rec.identity_check},
                )
        finally:
            signer.wipe()
        return EnrolmentReceipt(person.did, env.id, env.seq, env.type)
