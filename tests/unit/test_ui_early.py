"""The settings home reads before the typed model: the same values as kiosk.config, or the same refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.errors import ConfigError
from kiosk.store.outbox import OutboxState
from ui.early import EarlySettings, read_early
from ui.viewmodels.status import PENDING_STATES

CASES = [
    {},
    {"LXT_UI__FULLSCREEN": "no", "LXT_UI__LANGUAGE": "en"},
    {"LXT_UI__FULLSCREEN": "On", "LXT_UI__SHUFFLE_KEYPAD": "1"},
    {"LXT_UI__SCREEN_DPI": " 160 "},
    {"LXT_UI__SCREEN_DPI": "1e2"},
    {"LXT_UI__SCREEN_DPI": "1000"},
    {"LXT_LOGGING__LEVEL": "DEBUG", "LXT_IDENTITY__VILLAGE_NAME": "代庄村"},
    {"LXT_ui__Language": "en"},
    {"lxt_ui__language": "en"},  # not under the prefix: the model ignores it, and so does the early read
]
REFUSED = [
    {"LXT_UI__FULLSCREEN": " yes"},
    {"LXT_UI__FULLSCREEN": "2"},
    {"LXT_UI__SCREEN_DPI": "20"},
    {"LXT_UI__SCREEN_DPI": "nan"},
    {"LXT_UI__SCREEN_DPI": "abc"},
    {"LXT_UI__LANGUAGE": "EN"},
    {"LXT_LOGGING__LEVEL": "debug"},
]


@pytest.mark.parametrize("env", CASES)
def test_the_early_read_agrees_with_the_typed_settings(env: dict[str, str]) -> None:
    early = read_early(None, env)
    early.check_against(load_settings(None, env))
    assert early == EarlySettings.from_settings(load_settings(None, env))


@pytest.mark.parametrize("env", REFUSED)
def test_what_the_typed_settings_refuse_the_early_read_refuses(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(None, env)
    with pytest.raises(ConfigError):
        read_early(None, env)


def test_the_file_is_read_with_the_environment_on_top(tmp_path: Path) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text(
        '[ui]\nlanguage = "en"\nfullscreen = false\nscreen_dpi = 96\n[identity]\nvillage_name = "白云山村"\n'
    )
    env = {"LXT_CONFIG": str(file), "LXT_UI__LANGUAGE": "zh"}
    early = read_early(None, env)
    assert (early.language, early.fullscreen, early.screen_dpi, early.village_name) == ("zh", False, 96.0, "白云山村")
    early.check_against(load_settings(None, env))


def test_a_missing_or_broken_file_is_refused_before_the_first_frame(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_early(tmp_path / "missing.toml", {})
    broken = tmp_path / "broken.toml"
    broken.write_text("[ui\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_early(broken, {})
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('ui = "x"\n')
    with pytest.raises(ConfigError, match="must be a table"):
        read_early(wrong, {})


def test_a_disagreement_with_the_typed_settings_is_an_error() -> None:
    early = read_early(None, {"LXT_UI__LANGUAGE": "en"})
    with pytest.raises(ConfigError, match="differ"):
        early.check_against(load_settings(None, {}))


def test_pending_states_are_the_outbox_states_not_yet_acknowledged() -> None:
    assert (OutboxState.QUEUED.value, OutboxState.PUBLISHED.value) == PENDING_STATES
