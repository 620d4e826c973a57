"""The county registry: kiosk registration, revocation, conflicts, and DID keys as the bridge resolves them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.crypto.encoding import b64u
from kiosk.crypto.suites import get_suite
from kiosk.errors import ConfigError, VerificationError
from kiosk.identity import did as didm
from kiosk.tx.verify import PublicKey
from sync.county.registry import KioskRegistry, RegistryConflict, UnknownKiosk, read_device_info

ED = get_suite("ed25519")


def _key() -> PublicKey:
    return PublicKey("ed25519", ED.signer(ED.generate()).public_key)


def test_register_resolve_and_revoke(tmp_path: Path) -> None:
    reg = KioskRegistry(tmp_path / "registry.sqlite3")
    key = _key()
    assert reg.register("c1", "k1", key, 1000)
    assert not reg.register("c1", "k1", key, 2000)  # the same key again changes nothing
    assert reg.device_key("c1", "k1") == key
    assert reg.revoke("c1", "k1", 3000)
    with pytest.raises(UnknownKiosk, match="revoked"):
        reg.device_key("c1", "k1")
    with pytest.raises(UnknownKiosk, match="not registered"):
        reg.device_key("c1", "k2")
    # re-activating the same device key is allowed; another key needs --replace
    assert reg.register("c1", "k1", key, 4000)
    with pytest.raises(RegistryConflict):
        reg.register("c1", "k1", _key(), 5000)
    other = _key()
    assert reg.register("c1", "k1", other, 5000, replace=True)
    assert reg.device_key("c1", "k1") == other
    assert [r.kiosk for r in reg.kiosks("c1")] == ["k1"]
    reg.close()


def test_names_must_fit_a_topic(tmp_path: Path) -> None:
    reg = KioskRegistry(tmp_path / "r.sqlite3")
    for bad in ("", "a/b", "+", "#", "x" * 65, "村"):
        with pytest.raises(ConfigError):
            reg.register("c1", bad, _key(), 1)
    reg.close()


def test_device_info_file(tmp_path: Path) -> None:
    key = _key()
    path = tmp_path / "device.json"
    path.write_text(json.dumps({"county": "c1", "kiosk": "k9", "suite": "ed25519", "public_key": b64u(key.key)}))
    assert read_device_info(path) == ("c1", "k9", key)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match=r"device\.json"):
        read_device_info(path)


def test_villager_keys_follow_the_did_log(tmp_path: Path) -> None:
    reg = KioskRegistry(tmp_path / "r.sqlite3")
    first = ED.signer(ED.generate())
    second = ED.signer(ED.generate())
    third = ED.signer(ED.generate())
    inc = didm.inception("370102", "ed25519", first.public_key, "ed25519", second.public_key)
    did = didm.did_of(inc)
    with pytest.raises(VerificationError, match="not known"):
        reg.villager_key(didm.key_id(did, 0))
    assert reg.record_did_event(did, inc, "a" * 64)
    assert not reg.record_did_event(did, inc, "a" * 64)
    assert reg.villager_key(didm.key_id(did, 0)) == PublicKey("ed25519", first.public_key)
    rot = didm.rotation(didm.resolve(did, [inc]), second, "ed25519", third.public_key, didm.RotationReason.RECOVERY)
    assert reg.record_did_event(did, rot, "b" * 64)
    assert reg.villager_key(didm.key_id(did, 1)) == PublicKey("ed25519", second.public_key)
    with pytest.raises(VerificationError, match="not the DID's current key"):
        reg.villager_key(didm.key_id(did, 0))
    with pytest.raises(VerificationError, match="key id"):
        reg.villager_key("nonsense")
    reg.close()


def test_a_rotation_that_does_not_extend_the_log_is_refused(tmp_path: Path) -> None:
    reg = KioskRegistry(tmp_path / "r.sqlite3")
    a, b, c = (ED.signer(ED.generate()) for _ in range(3))
    inc = didm.inception("370102", "ed25519", a.public_key, "ed25519", b.public_key)
    did = didm.did_of(inc)
    reg.record_did_event(did, inc, "a" * 64)
    forged = didm.rotation(didm.resolve(did, [inc]), b, "ed25519", c.public_key, didm.RotationReason.RECOVERY)
    tampered = didm.KeyEvent({**forged.event, "n": 1, "prev": "x"}, forged.sig)
    with pytest.raises(VerificationError):
        reg.record_did_event(did, tampered, "b" * 64)
    assert len(reg.did_events(did)) == 1
    reg.close()
