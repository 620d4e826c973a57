"""QrWatch: the rate limit and once-per-showing rule, on a fake scanner and a fake clock (no sleeps)."""

from __future__ import annotations

import pytest

from drivers.fake.qr import FakeQrScanner
from drivers.qr_watch import QrWatch, WatchSettings
from kiosk.ports import Frame, QrPayload

CARD = Frame(4, 2, bytes([1]) * 24, 0, 0)
REPORT = Frame(4, 2, bytes([2]) * 24, 0, 0)
BOTH = Frame(4, 2, bytes([3]) * 24, 0, 0)
NOTHING = Frame(4, 2, bytes([4]) * 24, 0, 0)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def scanner() -> FakeQrScanner:
    scanner = FakeQrScanner()
    scanner.show(CARD, "干部证 0042".encode())
    scanner.show(REPORT, "体检报告".encode("gb18030"))
    scanner.show(BOTH, "干部证 0042".encode(), "体检报告".encode("gb18030"))
    return scanner


def watch(scanner: FakeQrScanner, clock: Clock, rate: float = 5.0, hold_off: float = 2.0) -> QrWatch:
    return QrWatch(scanner, WatchSettings(max_decodes_per_s=rate, hold_off_s=hold_off), clock)


def texts(payloads: list[QrPayload]) -> list[str | None]:
    return [p.text for p in payloads]


def test_frames_faster_than_the_rate_are_not_decoded(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock, rate=5.0)
    for _ in range(30):  # one second of a 30 fps camera
        w.offer(NOTHING)
        clock.now += 1 / 30
    assert scanner.decoded_frames == w.decodes == 5
    assert w.skipped == 25


def test_a_code_is_returned_once_while_it_stays_in_view(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock)
    seen = []
    for _ in range(50):  # ten seconds in view
        seen += w.offer(CARD)
        clock.now += 0.2
    assert texts(seen) == ["干部证 0042"]


def test_a_code_shown_again_after_the_hold_off_is_returned_again(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock, hold_off=2.0)
    assert texts(w.offer(CARD)) == ["干部证 0042"]
    clock.now += 1.0
    assert w.offer(NOTHING) == []  # taken away …
    clock.now += 0.9
    assert w.offer(CARD) == []  # … and back within the hold-off: the same showing
    clock.now += 2.1
    assert w.offer(NOTHING) == []
    clock.now += 0.5
    assert texts(w.offer(CARD)) == ["干部证 0042"]  # unseen for 2.6 s: a new showing


def test_a_missed_frame_or_two_does_not_make_a_new_showing(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock)
    results = []
    for frame in [CARD, NOTHING, CARD, NOTHING, NOTHING, CARD]:
        results += w.offer(frame)
        clock.now += 0.25
    assert texts(results) == ["干部证 0042"]


def test_only_the_new_code_of_two_is_returned(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock)
    assert texts(w.offer(CARD)) == ["干部证 0042"]
    clock.now += 0.5
    assert texts(w.offer(BOTH)) == ["体检报告"]
    clock.now += 0.5
    assert w.offer(REPORT) == []


def test_reset_forgets_what_was_seen(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock)
    w.offer(CARD)
    clock.now += 0.5
    w.reset()
    assert texts(w.offer(CARD)) == ["干部证 0042"]


def test_the_rate_limit_counts_from_the_last_decode_not_the_last_frame(scanner: FakeQrScanner, clock: Clock) -> None:
    w = watch(scanner, clock, rate=2.0)
    w.offer(NOTHING)
    clock.now += 0.4
    assert w.offer(CARD) == []  # refused: 0.4 s after the last decode
    clock.now += 0.1
    assert texts(w.offer(CARD)) == ["干部证 0042"]  # 0.5 s after it


@pytest.mark.parametrize(("rate", "hold_off"), [(0.0, 1.0), (-1.0, 1.0), (5.0, -0.1)])
def test_nonsense_settings_are_refused(rate: float, hold_off: float) -> None:
    with pytest.raises(ValueError, match="max_decodes_per_s"):
        WatchSettings(max_decodes_per_s=rate, hold_off_s=hold_off)
