"""Resolving keys on the kiosk itself: its own device key, and villager keys from the local DID logs."""

from __future__ import annotations

import json

from kiosk.errors import VerificationError
from kiosk.identity import did as didm
from kiosk.identity.device import DeviceIdentity
from kiosk.store.db import Database
from kiosk.tx.verify import PublicKey


def load_events(db: Database, did: str) -> list[didm.KeyEvent]:
    rows = db.read("SELECT event FROM did_event WHERE did = ? ORDER BY n", (did,))
    return [didm.KeyEvent.from_json(json.loads(bytes(r[0]))) for r in rows]


def resolve_did(db: Database, did: str) -> didm.DidState:
    return didm.resolve(did, load_events(db, did))


class LocalResolver:
    """A KeyResolver for this kiosk: knows only itself and the DIDs enrolled here."""

    def __init__(self, db: Database, device: DeviceIdentity) -> None:
        self._db = db
        self._device = device

    def device_key(self, county: str, kiosk: str) -> PublicKey:
        if (county, kiosk) != (self._device.county_id, self._device.kiosk_id):
            raise VerificationError("not this kiosk")
        return PublicKey(self._device.suite, self._device.public_key)

    def villager_key(self, kid: str) -> PublicKey:
        did, version = didm.split_key_id(kid)
        state = resolve_did(self._db, did)
        if not 0 <= version < len(state.keys):
            raise VerificationError("the DID has no key of that version")
        suite, key = state.keys[version]
        return PublicKey(suite, key)
