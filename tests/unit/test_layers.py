"""The layer rules of DESIGN §2 are enforced: import-linter fails when a layer imports what it must not."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _project(tmp_path: Path, offender: str, line: str) -> Path:
    """A copy of our layer contracts over four tiny packages, one of which imports something it must not."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [f"root_packages = {config['root_packages']!r}".replace("'", '"')]
    lines += [f"include_external_packages = {str(config['include_external_packages']).lower()}"]
    for contract in config["contracts"]:
        lines.append("\n[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            lines.append(f"{key} = " + (f'"{value}"' if isinstance(value, str) else repr(value).replace("'", '"')))
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for pkg in ("kiosk", "drivers", "sync", "ui"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / offender / "bad.py").write_text(line + "\n", encoding="utf-8")
    return tmp_path


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run([str(LINT_IMPORTS)], cwd=project, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("offender", "line"),
    [
        ("kiosk", "import PySide6"),
        ("kiosk", "import paho.mqtt.client"),
        ("kiosk", "import cv2"),
        ("kiosk", "from smartcard.System import readers"),
        ("kiosk", "import pyzbar"),
        ("kiosk", "import drivers"),
        ("ui", "import sync"),
        ("sync", "import drivers"),
    ],
)
def test_contract_breaks(tmp_path: Path, offender: str, line: str) -> None:
    result = _lint(_project(tmp_path, offender, line))
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout


def test_clean_layers_pass(tmp_path: Path) -> None:
    result = _lint(_project(tmp_path, "ui", "import kiosk\nimport drivers"))
    assert result.returncode == 0, result.stdout + result.stderr
