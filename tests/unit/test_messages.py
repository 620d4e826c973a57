"""Every message key the core raises has its Chinese and English text."""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk
from kiosk.errors import UserFacingError
from kiosk.messages import MESSAGES, text

CALLS = {"UserFacingError", "_fail", "_retry"}


def _keys_raised() -> set[str]:
    keys: set[str] = set()
    for path in Path(kiosk.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in CALLS or isinstance(node.args[0], ast.JoinedStr):  # f"{key}.final" is built from a key
                continue
            for const in ast.walk(node.args[0]):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    keys.add(const.value)
                    if name == "_retry":
                        keys.add(const.value + ".final")
    return keys


def test_every_raised_key_has_a_message() -> None:
    raised = _keys_raised()
    assert len(raised) > 20
    missing = sorted(raised - set(MESSAGES))
    assert not missing, f"add texts to kiosk/messages.py for: {missing}"


def test_params_fill_in_and_both_languages_exist() -> None:
    assert text(UserFacingError("pin.wrong", remaining=2)) == "密码不对，还可以试2次"
    assert text(UserFacingError("enrol.too_young", min_age=18), "en") == "You must be 18 or older to enrol."
    for key, (zh, en) in MESSAGES.items():
        assert zh, key
        assert en, key


def test_one_chinese_text_has_one_english_text() -> None:
    # The Qt .ts is keyed by the Chinese source: two keys sharing a Chinese text must share the English too.
    english: dict[str, tuple[str, str]] = {}
    for key, (zh, en) in MESSAGES.items():
        seen = english.setdefault(zh, (key, en))
        assert seen[1] == en, f"{key} and {seen[0]} share {zh!r} but not its English"
