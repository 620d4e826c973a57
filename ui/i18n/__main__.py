"""`python -m ui.i18n update|compile|check`: the translation workflow (see docs/ui.md).

update   run pyside6-lupdate over ui/ and add the core's texts (kiosk/messages.py, consent texts) to the .ts
compile  run pyside6-lrelease: .ts → .qm (make setup does this)
check    exit 1 if any entry is unfinished or a core text is missing or out of date
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ui.i18n import FOLDER, LANGUAGES, SOURCE_LANGUAGE, qm_file, ts_file
from ui.i18n.core_texts import consent_translations, merge_core_texts, problems

UI_FOLDER = FOLDER.parent


def _tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def update() -> None:
    sources = sorted(str(p) for p in UI_FOLDER.rglob("*.py") if "i18n" not in p.parts)
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        ts = ts_file(lang)
        kept = consent_translations(ts)
        cmd = [
            _tool("pyside6-lupdate"),
            *sources,
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "zh_CN",
            "-target-language",
            lang,
            "-ts",
            str(ts),
        ]
        subprocess.run(cmd, check=True)  # noqa: S603 — our own tool and paths
        merge_core_texts(ts, lang, kept)


def compile_all() -> None:
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        cmd = [_tool("pyside6-lrelease"), str(ts_file(lang)), "-qm", str(qm_file(lang))]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def check() -> int:
    found = [f"{lang}: {p}" for lang in LANGUAGES if lang != SOURCE_LANGUAGE for p in problems(ts_file(lang), lang)]
    for line in found:
        print(line)
    return 1 if found else 0


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
    elif argv == ["compile"]:
        compile_all()
    elif argv == ["check"]:
        return check()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
