"""Personal data at rest: after an enrolment nothing personal is in the database file or its WAL in clear."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.core import Core
from kiosk.crypto import canonical
from kiosk.identity.evidence import open_evidence
from kiosk.tx import envelope
from tests.helpers import enrol_someone, make_card


def _encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("gb18030")]


def test_no_personal_data_in_clear_on_disk(core: Core, county_enrolment_key: X25519PrivateKey) -> None:
    card = make_card(name="李桂芝", serial="517")
    did = enrol_someone(core, card=card)
    db_file: Path = core.settings.paths.database
    files = [db_file, db_file.with_name(db_file.name + "-wal")]
    blob = b"".join(f.read_bytes() for f in files if f.exists())
    assert len(blob) > 10_000
    secrets = [card.name, card.address, "东坝头乡张庄村", card.id_number, card.id_number[6:14], card.authority]
    for secret in secrets:
        for encoded in _encodings(secret):
            assert encoded not in blob, f"found personal data in clear: {secret[:1]}…"
    assert card.photo not in blob
    # …while the county, and only the county, can open what was sent.
    row = core.db.read("SELECT envelope FROM outbox")[0]
    env = envelope.parse(bytes(row[0]))
    evidence = open_evidence(dict(env.body["evidence"]), county_enrolment_key, did)
    assert evidence["card"]["name"] == card.name
    assert canonical.dumps(evidence)


def test_logs_hold_no_personal_data(core: Core, caplog) -> None:  # type: ignore[no-untyped-def]
    card = make_card(name="王德顺", serial="733")
    caplog.set_level("DEBUG")
    enrol_someone(core, card=card)
    text = caplog.text
    for secret in (card.name, card.id_number, card.address):
        assert secret not in text
