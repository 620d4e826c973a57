"""Where the settings come from, without their types: the TOML file and the `LXT_<SECTION>__<KEY>` variables.

`kiosk/config.py` builds the typed `Settings` from these. They live apart, free of pydantic, so a program that
must show something fast (the touchscreen's first frame) can read a few values before the typed model exists;
the typed model stays the judge of every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.errors import ConfigError

ENV_PREFIX = "LXT_"
# Variables under the prefix that are not settings: which file to read.
ENV_CONFIG_FILE = "LXT_CONFIG"
DEFAULT_CONFIG_FILE = Path("/etc/lxt/kiosk.toml")


def config_path(path: Path | None, environ: Mapping[str, str]) -> Path | None:
    """The file to read: the one asked for, else LXT_CONFIG, else the default one if it exists."""
    if path is None and ENV_CONFIG_FILE in environ:
        path = Path(environ[ENV_CONFIG_FILE])
    if path is None and DEFAULT_CONFIG_FILE.exists():
        path = DEFAULT_CONFIG_FILE
    return path


def read_config_file(path: Path | None) -> dict[str, Any]:
    """The file's tables as plain data ({} for no file); ConfigError if it is missing or not TOML."""
    if path is None:
        return {}
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def env_value(environ: Mapping[str, str], section: str, key: str) -> str | None:
    """One `LXT_<SECTION>__<KEY>` variable, if set; section and key match in any case, the last one wins (as in
    `kiosk.config`, which reads them all)."""
    wanted = f"{section}__{key}".lower()
    found = None
    for name, value in environ.items():
        if name.startswith(ENV_PREFIX) and name[len(ENV_PREFIX) :].lower() == wanted:
            found = value
    return found
