"""The Speaker contract: the fake and espeak-ng (writing WAV files instead of playing) behave alike."""

from __future__ import annotations

import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.fake.speech import FakeSpeaker
from drivers.speech import EspeakSpeaker
from kiosk.ports import DeviceUnavailable

Speakers = FakeSpeaker | EspeakSpeaker


@pytest.fixture(params=["fake", pytest.param("espeak", marks=pytest.mark.integration)])
def speaker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Speakers]:
    s: Speakers = FakeSpeaker() if request.param == "fake" else EspeakSpeaker(wav_dir=tmp_path)
    yield s
    s.close()


def _count(s: Speakers) -> int:
    return len(s.said) if isinstance(s, FakeSpeaker) else s.spoken


def _settle(s: Speakers) -> None:
    deadline = time.monotonic() + 30
    while s.speaking and time.monotonic() < deadline:
        time.sleep(0.02)


def test_prompts_are_said_in_order_and_replayed(speaker: Speakers) -> None:
    speaker.say("请把身份证放在感应区")
    speaker.say("请看摄像头")
    _settle(speaker)
    speaker.replay()
    _settle(speaker)
    assert _count(speaker) == 3


def test_blank_text_is_not_said_and_interrupt_is_always_safe(speaker: Speakers) -> None:
    speaker.interrupt()
    speaker.say("   ")
    speaker.interrupt()
    _settle(speaker)
    assert _count(speaker) == 0


def test_close_is_idempotent_and_ends_speech(speaker: Speakers) -> None:
    speaker.close()
    speaker.close()
    with pytest.raises(DeviceUnavailable):
        speaker.say("还在吗？")


@pytest.mark.integration
def test_espeak_speaks_mandarin_into_a_wav_of_plausible_length(tmp_path: Path) -> None:
    s = EspeakSpeaker(wav_dir=tmp_path)
    try:
        s.say("请输入6位数字密码")
        s.say("--help")  # text, not an option: it goes on standard input
        _settle(s)
    finally:
        s.close()
    files = sorted(tmp_path.glob("utterance-*.wav"))
    assert len(files) == 2
    with wave.open(str(files[0])) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 1.0 < seconds < 10.0  # nine syllables read slowly, not an empty file and not a help page
    with wave.open(str(files[1])) as w:
        assert w.getnframes() / w.getframerate() < 3.0


@pytest.mark.integration
def test_interrupt_stops_a_long_utterance_and_drops_the_queue(tmp_path: Path) -> None:
    s = EspeakSpeaker(wav_dir=tmp_path, rate=80)
    try:
        for _ in range(5):
            s.say("这是一段很长的说明文字，" * 8)
        s.interrupt()
        _settle(s)
        assert s.spoken <= 2  # at most the one under way when the queue was dropped
    finally:
        s.close()


def test_a_missing_espeak_is_unavailable() -> None:
    with pytest.raises(DeviceUnavailable, match="not installed"):
        EspeakSpeaker(binary="no-such-espeak-binary")
