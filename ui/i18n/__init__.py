"""Translations: `lxt_<lang>.ts` sources here, compiled to `.qm` by `make setup` (`python -m ui.i18n compile`).

Chinese is the source language, so it needs no file; any other language loads its `.qm`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

logger = logging.getLogger(__name__)

FOLDER = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")


def qm_file(lang: str) -> Path:
    return FOLDER / f"lxt_{lang}.qm"


def ts_file(lang: str) -> Path:
    return FOLDER / f"lxt_{lang}.ts"


def install(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Load `lang` into the app (returns the translator to keep alive); Chinese or a missing file: None."""
    if lang == SOURCE_LANGUAGE:
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm_file(lang))):
        logger.warning("no compiled translation for %s (run make setup): showing Chinese", lang)
        return None
    app.installTranslator(translator)
    return translator
