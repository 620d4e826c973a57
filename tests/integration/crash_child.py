"""A kiosk process that enqueues signed transactions until it is killed; prints each id after its commit.

Run by tests/integration/test_crash.py as `python -m tests.integration.crash_child DATA_DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from drivers.fake.clock import FakeClock
from kiosk.core import open_core
from kiosk.crypto.suites import get_suite
from kiosk.store import outbox
from kiosk.tx import envelope
from kiosk.tx.envelope import RoleSigner, SignerRole
from kiosk.tx.verify import device_kid
from tests.conftest import make_settings


def main(data_dir: Path, body_file: Path) -> None:
    core = open_core(make_settings(data_dir), FakeClock())
    body = envelope.parse(body_file.read_bytes()).body  # an identity.enroll-sized body
    villager_suite = get_suite("ed25519")
    villager = RoleSigner(
        SignerRole.VILLAGER, "did:lxt:410225:crash#k0", villager_suite.signer(villager_suite.generate())
    )
    device = RoleSigner(SignerRole.DEVICE, device_kid(core.device.county_id, core.device.kiosk_id), core.device_signer)
    n = 0
    while True:
        n += 1
        with core.db.transaction() as conn:
            when = core.time.now()
            env = outbox.append(
                conn,
                lambda seq, n=n, when=when: envelope.build(  # type: ignore[misc]
                    "identity.enroll",
                    county=core.device.county_id,
                    kiosk=core.device.kiosk_id,
                    seq=seq,
                    when=when,
                    body={**body, "n": n},
                    signers=[villager, device],
                ),
            )
        # Only after COMMIT returned: this id must survive whatever happens next.
        sys.stdout.write(env.id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
