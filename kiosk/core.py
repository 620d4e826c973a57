"""Assembling the core services from settings: the one place that opens the store and loads the keys.

Composition roots (the UI app, the sync daemon, the CLIs) call `open_core` with the drivers they chose,
and `Core.close()` on the way out; nothing else constructs these services.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import TimeService
from kiosk.config import Settings
from kiosk.crypto.suites import Signer
from kiosk.identity.device import DeviceIdentity, load_identity, load_signer
from kiosk.identity.evidence import load_public_key
from kiosk.identity.keystore import KdfParams, KeyStore
from kiosk.identity.registry import PersonRegistry
from kiosk.ports import Clock
from kiosk.store.db import Database


@dataclass(slots=True)
class Core:
    settings: Settings
    db: Database
    time: TimeService
    device: DeviceIdentity
    device_signer: Signer
    keystore: KeyStore
    registry: PersonRegistry
    closed: bool = False

    def close(self) -> None:
        """Persist the time floor, drop the device key, close the database. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        with self.db.transaction() as conn:
            self.time.persist(conn)
        self.device_signer.wipe()
        self.db.close()


def open_core(settings: Settings, clock: Clock) -> Core:
    secrets_dir = settings.paths.secrets_dir
    device = load_identity(secrets_dir)
    signer = load_signer(secrets_dir, device)
    db = Database(settings.paths.database)
    time = TimeService.load(clock, db.conn)
    sec = settings.security
    keystore = KeyStore(
        db, device.secret, KdfParams(sec.scrypt_log2_n, sec.scrypt_r, sec.scrypt_p), sec.pin_max_attempts
    )
    registry = PersonRegistry(
        db,
        device,
        signer,
        keystore,
        time,
        load_public_key(settings.paths.enrolment_key_file),
        settings.identity.villager_suite,
    )
    return Core(settings, db, time, device, signer, keystore, registry)
