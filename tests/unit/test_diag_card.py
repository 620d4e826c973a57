"""`lxt-diag card`: one JSON object, personal fields masked, a clear failure and exit code otherwise."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from drivers.diag import main
from drivers.diag_card import describe, mask_address, mask_name, mask_number
from drivers.fake.people import DEMO_VILLAGERS
from kiosk.domain.idcard import Sex
from kiosk.domain.sscard import SocialSecurityCard


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    return int(info.value.code or 0), json.loads(out[0])


def test_masks() -> None:
    assert mask_name("张桂兰") == "张**"
    assert mask_name("李") == "李*"
    assert mask_number("410225195603120029") == "4102**********0029"
    assert mask_number("1234") == "****"
    assert mask_address("河南省兰考县城关镇东街3号") == "河南省兰考县…"
    assert mask_address("北京市朝阳区建国路1号") == "北京市朝阳区…"


@pytest.mark.parametrize("card", DEMO_VILLAGERS, ids=lambda c: c.id_number[6:10])
def test_no_personal_field_is_printed_in_full(card: object) -> None:
    text = json.dumps(describe(card), ensure_ascii=False)  # type: ignore[arg-type]
    for secret in (card.name, card.id_number, card.address, card.birth_date.isoformat()):  # type: ignore[attr-defined]
        assert secret not in text


def test_a_social_security_card_is_masked_too() -> None:
    ssc = SocialSecurityCard(
        "A12345678",
        DEMO_VILLAGERS[0].id_number,
        "王秀英",
        Sex.FEMALE,
        "01",
        date(1956, 3, 12),
        "410225",
        date(2021, 5, 1),
        None,
    )
    text = json.dumps(describe(ssc), ensure_ascii=False)
    assert "王秀英" not in text and DEMO_VILLAGERS[0].id_number not in text and "A12345678" not in text


def test_the_fake_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LXT_PATHS__DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LXT_CONFIG", raising=False)
    code, out = _run(["card", "--timeout", "2"], capsys)
    assert code == 0 and out["ok"] is True and out["reader"] == "fake"
    assert out["card"]["id_number"].startswith("4102")  # type: ignore[index]


def test_a_missing_serial_reader_is_a_clear_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LXT_PATHS__DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LXT_DEVICES__CARD_READER", "serial")
    monkeypatch.setenv("LXT_DEVICES__SERIAL_PORT", str(tmp_path / "no-such-tty"))
    code, out = _run(["card", "--timeout", "1"], capsys)
    assert code == 1 and out["ok"] is False and out["error"] == "DeviceUnavailable"
