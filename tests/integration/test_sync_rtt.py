"""lxt-sync measures the broker's round-trip time and keeps it in the sync_status row for the technician."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.store.db import Database
from sync.status import LinkState, read_status
from tests.integration.mosquitto import Mosquitto
from tests.syncworld import County, Kiosk, wait_for

pytestmark = pytest.mark.integration


def _status(kiosk: Kiosk) -> LinkState | None:
    if not kiosk.db_path.exists():
        return None
    db = Database(kiosk.db_path, migrate=False)
    try:
        return read_status(db) if db.user_version else None
    finally:
        db.close()


def test_the_daemon_records_the_round_trip_time_once_online(tmp_path: Path, mosquitto: Mosquitto) -> None:
    county = County(tmp_path / "county")
    kiosk = Kiosk(tmp_path / "kiosk", county)
    sync = kiosk.sync(mosquitto)
    try:
        wait_for("an RTT in the status row", lambda: (s := _status(kiosk)) is not None and s.rtt_ms is not None)
        state = _status(kiosk)
        assert state is not None and state.online
        assert isinstance(state.rtt_ms, int) and state.rtt_ms >= 0
    finally:
        sync.stop()
    after = _status(kiosk)
    assert after is not None and not after.online
