"""The few settings home needs before its first frame, read without building the typed settings (pydantic).

Building `kiosk.config.Settings` costs about a tenth of a second, more than the whole budget of the first frame,
so the touchscreen reads these values straight from the same file and variables, with the same rules for
their types, and paints home; the typed settings are built afterwards on the store lane with the core, and
`check_against` then insists both readings agree — the typed model stays the judge of every value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config_file import config_path, env_value, read_config_file
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from kiosk.config import Settings

LANGUAGES = ("zh", "en")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# pydantic's lax reading of a boolean from text; anything else is an error here as it is there.
_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


@dataclass(frozen=True, slots=True)
class EarlySettings:
    """`[ui]`, `identity.village_name` and `logging.level`, with the defaults of `kiosk.config`."""

    village_name: str = "张庄村"
    language: str = "zh"
    fullscreen: bool = True
    shuffle_keypad: bool = False
    screen_dpi: float | None = None
    log_level: str = "INFO"

    @classmethod
    def from_settings(cls, settings: Settings) -> EarlySettings:
        return cls(
            village_name=settings.identity.village_name,
            language=settings.ui.language,
            fullscreen=settings.ui.fullscreen,
            shuffle_keypad=settings.ui.shuffle_keypad,
            screen_dpi=settings.ui.screen_dpi,
            log_level=settings.logging.level,
        )

    def check_against(self, settings: Settings) -> None:
        """ConfigError if the typed settings read these values differently (a bug in one of the two readers)."""
        if EarlySettings.from_settings(settings) != self:
            raise ConfigError("the settings read before the first frame differ from the typed settings")


def read_early(path: Path | None = None, environ: Mapping[str, str] | None = None) -> EarlySettings:
    """The file (the one given, LXT_CONFIG, or /etc/lxt/kiosk.toml) with the LXT_* variables on top."""
    env = os.environ if environ is None else environ
    data = read_config_file(config_path(path, env))
    defaults = EarlySettings()

    def value(section: str, key: str) -> object:
        from_env = env_value(env, section, key)
        if from_env is not None:
            return from_env
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"setting {section!r} must be a table")
        return table.get(key)

    return EarlySettings(
        village_name=_text(value("identity", "village_name"), "identity.village_name", defaults.village_name),
        language=_choice(value("ui", "language"), "ui.language", LANGUAGES, defaults.language),
        fullscreen=_flag(value("ui", "fullscreen"), "ui.fullscreen", defaults.fullscreen),
        shuffle_keypad=_flag(value("ui", "shuffle_keypad"), "ui.shuffle_keypad", defaults.shuffle_keypad),
        screen_dpi=_dpi(value("ui", "screen_dpi")),
        log_level=_choice(value("logging", "level"), "logging.level", LOG_LEVELS, defaults.log_level),
    )


def _text(raw: object, name: str, default: str) -> str:
    if raw is None:
        return default
    if not isinstance(raw, str):
        raise ConfigError(f"{name}: must be text, not {type(raw).__name__}")
    return raw


def _choice(raw: object, name: str, allowed: tuple[str, ...], default: str) -> str:
    if raw is None:
        return default
    if raw not in allowed:
        raise ConfigError(f"{name}: must be one of {', '.join(allowed)}, not {raw!r}")
    return str(raw)


def _flag(raw: object, name: str, default: bool) -> bool:
    if raw is None:
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.lower() in _TRUE | _FALSE:
        return raw.lower() in _TRUE
    raise ConfigError(f"{name}: must be true or false, not {raw!r}")


def _dpi(raw: Any) -> float | None:
    if raw is None:
        return None
    try:
        if isinstance(raw, bool):
            raise ValueError
        dpi = float(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError):
        raise ConfigError(f"ui.screen_dpi: must be a number, not {raw!r}") from None
    if not 20 < dpi <= 1000:
        raise ConfigError(f"ui.screen_dpi: must be above 20 and at most 1000, not {dpi:g}")
    return dpi
