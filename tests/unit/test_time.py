"""The time floor: timestamps never go backwards, and each says where it came from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from drivers.fake.clock import FakeClock
from kiosk.clock import SystemClock, TimeService, to_ms
from kiosk.ports import ClockSource
from kiosk.store.db import Database


def test_clock_behind_the_floor_reads_the_floor(tmp_path: Path) -> None:
    clock = FakeClock()
    time = TimeService(clock)
    seen = time.now()
    assert seen.source is ClockSource.NTP
    clock.set(datetime(1970, 1, 2, tzinfo=UTC), ClockSource.RTC)  # a dead RTC battery after a reboot
    reading = time.now()
    assert reading.source is ClockSource.FLOOR
    assert reading.at == seen.at
    clock.set(seen.at + timedelta(hours=1), ClockSource.NTP)
    assert time.now().source is ClockSource.NTP


def test_floor_is_persisted_and_only_moves_forward(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.sqlite3")
    clock = FakeClock()
    time = TimeService.load(clock, db.conn)
    newest = time.now().at
    with db.transaction() as conn:
        time.persist(conn)
    older = TimeService(clock, floor_ms=1000)
    with db.transaction() as conn:
        older.persist(conn)
    clock.set(datetime(2001, 1, 1, tzinfo=UTC), ClockSource.RTC)
    reloaded = TimeService.load(clock, db.conn)
    assert reloaded.floor_ms == to_ms(newest)
    assert reloaded.now().source is ClockSource.FLOOR
    db.close()


def test_observed_trusted_time_raises_the_floor() -> None:
    clock = FakeClock()
    time = TimeService(clock)
    later = clock.now().at + timedelta(days=3)
    time.observe(later)
    assert time.now().at == later


def test_system_clock_reads_aware_utc() -> None:
    reading = SystemClock().now()
    assert reading.at.tzinfo is UTC
    assert reading.source in (ClockSource.NTP, ClockSource.RTC)
