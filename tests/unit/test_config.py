"""Settings: TOML file, environment overrides, unknown keys named, every option documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import describe_settings, load_settings
from kiosk.errors import ConfigError


def test_defaults_are_production(tmp_path: Path) -> None:
    s = load_settings(None, {})
    assert s.paths.data_dir == Path("/var/lib/lxt")
    assert s.security.pin_max_attempts == 5
    assert s.identity.villager_suite == "ed25519"


def test_file_then_environment(tmp_path: Path) -> None:
    f = tmp_path / "kiosk.toml"
    f.write_text('[identity]\nkiosk_id = "zhangzhuang-01"\n[security]\npin_max_attempts = 4\n', encoding="utf-8")
    s = load_settings(f, {"LXT_SECURITY__PIN_MAX_ATTEMPTS": "6", "LXT_PATHS__DATA_DIR": str(tmp_path)})
    assert s.identity.kiosk_id == "zhangzhuang-01"
    assert s.security.pin_max_attempts == 6
    assert s.paths.database == tmp_path / "kiosk.sqlite3"


def test_config_file_from_environment(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[identity]\ncounty_id = "410200"\n', encoding="utf-8")
    assert load_settings(None, {"LXT_CONFIG": str(f)}).identity.county_id == "410200"


@pytest.mark.parametrize(
    ("text", "env", "named"),
    [
        ("[security]\npin_max_atempts = 4\n", {}, "security.pin_max_atempts"),
        ("[secrity]\nx = 1\n", {}, "secrity"),
        ("", {"LXT_NOPE__X": "1"}, "LXT_NOPE__X"),
        ("", {"LXT_PATHS": "1"}, "LXT_PATHS"),
        ("", {"LXT_SECURITY__PIN_MAX_ATTEMPTS": "many"}, "security.pin_max_attempts"),
        ('[identity]\ncounty_id = "41"\n', {}, "identity.county_id"),
        ("[identity\n", {}, "not valid TOML"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, text: str, env: dict[str, str], named: str) -> None:
    f = tmp_path / "k.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named.replace(".", r"\.").replace("[", r"\[")):
        load_settings(f, env)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml", {})


def test_every_option_has_a_description() -> None:
    rows = describe_settings()
    assert len(rows) > 15
    for key, _type, _default, description in rows:
        assert description, key
