"""SerialSamReader against the GA 467 simulator on a real pty: good reads and everything that goes wrong."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.fake.people import DEMO_VILLAGERS
from drivers.idcard.ga467 import SamCommand
from drivers.idcard.ga467_sim import Fault, Ga467Simulator
from drivers.idcard.serial_sam import SamTimings, SerialSamReader
from kiosk.domain.idcard import IdCard
from kiosk.domain.idcard_record import OFFSETS, encode_id_card_record
from kiosk.ports import (
    CardReadError,
    CardRemoved,
    CorruptCardRecord,
    DeviceTimeout,
    DeviceUnavailable,
    UnsupportedCard,
)
from tests.helpers import make_card

pytestmark = pytest.mark.integration

# Short polls keep the tests quick; answer timeouts stay generous so a busy CI machine does not look like a
# silent SAM (only the silent-SAM test waits them out).
FAST = SamTimings(answer_timeout_s=1.0, read_timeout_s=2.0, poll_interval_s=0.02, max_retries=3)
CARD = DEMO_VILLAGERS[0]


@pytest.fixture
def sim() -> Iterator[Ga467Simulator]:
    with Ga467Simulator() as simulator:
        yield simulator


@pytest.fixture
def reader(sim: Ga467Simulator) -> Iterator[SerialSamReader]:
    serial_reader = SerialSamReader(sim.port, timings=FAST)
    yield serial_reader
    serial_reader.close()


@pytest.mark.parametrize("card", DEMO_VILLAGERS, ids=lambda c: f"{c.birth_date.year}-{c.ethnicity}")
def test_a_placed_card_is_read_whole(sim: Ga467Simulator, reader: SerialSamReader, card: IdCard) -> None:
    sim.place(card)
    assert reader.read_card(5) == card
    assert sim.commands()[-3:] == [SamCommand.FIND_CARD, SamCommand.SELECT_CARD, SamCommand.READ_BASE]


def test_rare_characters_survive_the_wire(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    rare = [card for card in DEMO_VILLAGERS if card.rare_chars]
    assert len(rare) >= 2
    for card in rare:
        sim.place(card)
        read = reader.read_card(5)
        assert (read.name, read.rare_chars) == (card.name, card.rare_chars)


def test_a_card_left_on_the_reader_reads_again(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    assert reader.read_card(5) == CARD
    assert reader.read_card(5) == CARD


def test_no_card_times_out_after_polling(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    started = time.monotonic()
    with pytest.raises(DeviceTimeout):
        reader.read_card(0.3)
    assert time.monotonic() - started >= 0.3  # it waited the whole time, not gave up early
    commands = sim.commands()
    assert len(commands) >= 2
    assert set(commands) == {SamCommand.FIND_CARD}


def test_a_card_placed_while_polling_is_read(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    placer = threading.Timer(0.1, sim.place, args=(CARD,))
    placer.start()
    try:
        assert reader.read_card(10) == CARD
    finally:
        placer.join()


def test_a_card_pulled_mid_read_asks_for_it_again(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.PULL_MID_READ, times=1)
    with pytest.raises(CardRemoved, match="place it again"):
        reader.read_card(5)
    assert not sim.card_present
    sim.place(CARD)
    assert reader.read_card(5) == CARD


def test_a_read_that_fails_once_is_retried(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.READ_FAILS, times=2)
    assert reader.read_card(5) == CARD
    assert sim.commands().count(SamCommand.READ_BASE) == 3


def test_a_read_that_keeps_failing_ends_in_card_removed(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.READ_FAILS)
    with pytest.raises(CardRemoved):
        reader.read_card(5)
    assert sim.commands().count(SamCommand.READ_BASE) == FAST.max_retries + 1


def test_a_corrupt_record_is_a_clear_error(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    text, photo = encode_id_card_record(CARD)
    last = OFFSETS["id_number"][1] - 2  # the check character
    wrong = "0" if CARD.id_number[-1] != "0" else "1"
    bad_digit = text[:last] + wrong.encode("utf-16-le") + text[last + 2 :]
    sim.place((bad_digit, photo))
    with pytest.raises(CorruptCardRecord, match=r"^id_number: "):
        reader.read_card(5)
    sim.place((text, photo[:-4]))
    with pytest.raises(CorruptCardRecord, match=r"^photo: "):
        reader.read_card(5)


def test_a_residence_permit_is_unsupported(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    text, photo = encode_id_card_record(make_card())
    sim.place((text[:248] + "J".encode("utf-16-le") + text[250:], photo))
    with pytest.raises(UnsupportedCard):
        reader.read_card(5)


def test_one_damaged_answer_is_asked_again(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.BAD_CHECKSUM, times=1)
    assert reader.read_card(5) == CARD


def test_answers_that_are_always_damaged_are_a_read_error(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.BAD_CHECKSUM)
    with pytest.raises(CardReadError, match="damaged"):
        reader.read_card(5)
    sim.inject(Fault.NONE)
    assert reader.read_card(5) == CARD  # the line recovered: so does the reader


def test_garbage_on_the_line_is_skipped(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.GARBAGE)
    assert reader.read_card(5) == CARD


def test_an_unauthorised_sam_is_a_read_error(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.SAM_UNAUTHORISED)
    with pytest.raises(CardReadError, match="not authorised"):
        reader.read_card(5)


def test_failed_authentication_is_a_read_error(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    sim.inject(Fault.AUTH_FAILED, times=1)
    with pytest.raises(CardReadError, match="authenticate"):
        reader.read_card(5)


def test_a_silent_sam_is_unavailable(sim: Ga467Simulator) -> None:
    sim.inject(Fault.SILENT)
    reader = SerialSamReader(sim.port, timings=SamTimings(answer_timeout_s=0.2, max_retries=1))
    try:
        with pytest.raises(DeviceUnavailable, match="does not answer"):
            reader.read_card(5)
    finally:
        reader.close()


def test_a_port_that_goes_away_is_unavailable(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    assert reader.read_card(5) == CARD
    sim.hang_up()
    with pytest.raises(DeviceUnavailable, match="serial port"):
        reader.read_card(1)
    with pytest.raises(DeviceUnavailable):  # and again: the reader tries to reopen, and says so again
        reader.read_card(1)


def test_a_missing_port_is_unavailable(tmp_path: Path) -> None:
    missing = SerialSamReader(str(tmp_path / "ttyUSB9"), timings=FAST)
    try:
        with pytest.raises(DeviceUnavailable):
            missing.read_card(1)
    finally:
        missing.close()


def test_io_runs_on_the_hw_serial_thread(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    sim.place(CARD)
    reader.read_card(5)
    assert "hw-serial" in {thread.name for thread in threading.enumerate()}


def test_close_wakes_a_waiting_read_and_is_idempotent(sim: Ga467Simulator, reader: SerialSamReader) -> None:
    closer = threading.Timer(0.1, reader.close)
    closer.start()
    with pytest.raises(DeviceUnavailable):
        reader.read_card(30)
    closer.join()
    reader.close()
    assert "hw-serial" not in {thread.name for thread in threading.enumerate()}
    with pytest.raises(DeviceUnavailable):
        reader.read_card(1)
