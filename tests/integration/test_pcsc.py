"""PcscReader against a real pcscd with the vpcd virtual reader and our virtual card: every kind of card and fault."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from drivers.diag import main as diag_main
from drivers.fake.people import DEMO_VILLAGERS
from drivers.fake.vcard import IdCardApp, SocialSecurityApp, UnknownApp, VirtualCard
from drivers.idcard.pcsc import PcscReader
from kiosk.domain.idcard import Sex
from kiosk.domain.sscard import SocialSecurityCard
from kiosk.ports import CardReadError, CardRemoved, CorruptCardRecord, DeviceUnavailable, UnsupportedCard
from tests.integration.pcscd import Pcscd, wait_for_card_state

pytestmark = pytest.mark.integration

SSC = SocialSecurityCard(
    card_number="A12345678",
    ssn=DEMO_VILLAGERS[0].id_number,
    name="王秀英",
    sex=Sex.FEMALE,
    ethnicity="01",
    birth_date=DEMO_VILLAGERS[0].birth_date,
    region="410225",
    issued=date(2021, 5, 1),
    valid_until=date(2031, 5, 1),
)


@pytest.fixture
def reader() -> PcscReader:
    return PcscReader()


def _insert(card: VirtualCard, app: IdCardApp | SocialSecurityApp | UnknownApp) -> None:
    card.insert(app)
    wait_for_card_state(True)


def test_an_id_card_and_insert_remove_events(vcard: VirtualCard) -> None:
    seen: list[bool] = []
    reader = PcscReader(on_change=seen.append)
    try:
        _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[2]))
        assert reader.read_card(5) == DEMO_VILLAGERS[2]
        vcard.remove()
        wait_for_card_state(False)
        _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[3]))
        assert reader.read_card(5) == DEMO_VILLAGERS[3]
        assert seen[0] is True and False in seen  # the monitor saw the card come, go and come again
    finally:
        reader.close()


def test_a_social_security_card(vcard: VirtualCard, reader: PcscReader) -> None:
    _insert(vcard, SocialSecurityApp.of(SSC))
    try:
        read = reader.read_any(5)
        assert read == SSC
        assert "王" not in repr(read)
        with pytest.raises(UnsupportedCard, match="social security"):
            reader.read_card(5)
    finally:
        reader.close()


def test_an_unknown_card_is_unsupported_and_the_reader_goes_on(vcard: VirtualCard, reader: PcscReader) -> None:
    app = UnknownApp()
    _insert(vcard, app)
    try:
        with pytest.raises(UnsupportedCard, match="neither"):
            reader.read_any(5)
        assert app.seen[0][:2] == b"\x00\xa4"  # it was asked, politely, by SELECT
        vcard.remove()
        wait_for_card_state(False)
        _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[0]))
        assert reader.read_card(5) == DEMO_VILLAGERS[0]
    finally:
        reader.close()


def test_a_card_pulled_mid_read(vcard: VirtualCard, reader: PcscReader) -> None:
    _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[1], pull_after_reads=3))
    try:
        with pytest.raises(CardRemoved, match="place it again"):
            reader.read_card(5)
        wait_for_card_state(False)
        _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[1]))
        assert reader.read_card(5) == DEMO_VILLAGERS[1]  # placed again: read
    finally:
        reader.close()


def test_a_reader_whose_sam_is_not_authorised(vcard: VirtualCard, reader: PcscReader) -> None:
    _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[0], deny=True))
    try:
        with pytest.raises(CardReadError, match="not permitted"):
            reader.read_card(5)
    finally:
        reader.close()


def test_corrupt_social_security_records(vcard: VirtualCard, reader: PcscReader) -> None:
    app = SocialSecurityApp.of(SSC)
    app.records[(6, 0x0D)] = bytes.fromhex("19561399")  # the 99th of the 13th month
    _insert(vcard, app)
    try:
        with pytest.raises(CorruptCardRecord, match="birth_date"):
            reader.read_any(5)
    finally:
        reader.close()


def test_the_reader_gone_and_back(vcard: VirtualCard, pcscd_stack: Pcscd, reader: PcscReader) -> None:
    _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[0]))
    try:
        assert reader.read_card(5) == DEMO_VILLAGERS[0]
        vcard.remove()
        pcscd_stack.stop()
        with pytest.raises(DeviceUnavailable):
            reader.read_card(1)
        pcscd_stack.start()
        _insert(vcard, IdCardApp.of(DEMO_VILLAGERS[1]))
        assert reader.read_card(5) == DEMO_VILLAGERS[1]  # a new context after the service came back
    finally:
        reader.close()


def test_lxt_diag_card_on_the_real_stack(
    vcard: VirtualCard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LXT_PATHS__DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LXT_DEVICES__CARD_READER", "pcsc")
    monkeypatch.delenv("LXT_CONFIG", raising=False)
    for expect_ok in (False, True):
        if expect_ok:
            _insert(vcard, SocialSecurityApp.of(SSC))
        with pytest.raises(SystemExit) as info:
            diag_main(["card", "--timeout", "1" if not expect_ok else "5"])
        out = json.loads(capsys.readouterr().out)
        assert out["ok"] is expect_ok and (info.value.code == 0) is expect_ok
        if expect_ok:
            assert out["card"]["kind"] == "social_security" and out["card"]["name"] == "王**"
        else:
            assert out["error"] == "DeviceTimeout"
