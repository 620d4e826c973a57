"""The core's villager texts inside the Qt translation files.

`kiosk/messages.py` is the one source of the error texts (the core and `lxt-demo` use it without Qt): its
Chinese is the Qt source text and its English the translation, context "messages", written into the `.ts` by
`python -m ui.i18n update`. Consent texts (context "consent") are translated in the `.ts` itself: the Chinese
is what the villager agrees to and what the transaction hashes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.domain.consent import ENROLMENT
from kiosk.messages import MESSAGES

CONSENT_TEXTS = (ENROLMENT,)
_LANG_INDEX = {"zh": 0, "en": 1}


def _context(root: ET.Element, name: str) -> ET.Element:
    for ctx in root.findall("context"):
        if ctx.findtext("name") == name:
            return ctx
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = name
    return ctx


def _translations(ctx: ET.Element) -> dict[str, str]:
    out = {}
    for msg in ctx.findall("message"):
        tr = msg.find("translation")
        if tr is not None and tr.text and tr.get("type") != "unfinished":
            out[msg.findtext("source") or ""] = tr.text
    return out


def _message(ctx: ET.Element, source: str, translation: str | None, comment: str | None = None) -> None:
    msg = ET.SubElement(ctx, "message")
    ET.SubElement(msg, "source").text = source
    if comment:
        ET.SubElement(msg, "comment").text = comment
    tr = ET.SubElement(msg, "translation")
    if translation:
        tr.text = translation
    else:
        tr.set("type", "unfinished")


def consent_translations(ts: Path) -> dict[str, str]:
    """The consent translations in a .ts (read before lupdate, which drops contexts it did not find)."""
    if not ts.exists():
        return {}
    return _translations(_context(ET.parse(ts).getroot(), "consent"))  # noqa: S314


def merge_core_texts(ts: Path, lang: str, kept_consent: dict[str, str]) -> None:
    tree = ET.parse(ts)  # noqa: S314
    root = tree.getroot()
    index = _LANG_INDEX[lang]
    messages = _context(root, "messages")
    for msg in messages.findall("message"):
        messages.remove(msg)
    for key, texts in sorted(MESSAGES.items()):
        _message(messages, texts[0], texts[index], key)
    consent = _context(root, "consent")
    kept = {**kept_consent, **_translations(consent)}
    for msg in consent.findall("message"):
        consent.remove(msg)
    for text in CONSENT_TEXTS:
        _message(consent, text.text, kept.get(text.text), f"{text.key} v{text.version}")
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def problems(ts: Path, lang: str) -> list[str]:
    """Unfinished or empty entries, and core texts missing from (or stale in) the file."""
    if not ts.exists():
        return [f"{ts.name} is missing"]
    root = ET.parse(ts).getroot()  # noqa: S314
    found = []
    for ctx in root.findall("context"):
        name = ctx.findtext("name")
        for msg in ctx.findall("message"):
            tr = msg.find("translation")
            if tr is None or not (tr.text or "").strip() or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                found.append(f"{name}: unfinished: {msg.findtext('source')!r}")
    messages = _translations(_context(root, "messages"))
    for key, texts in MESSAGES.items():
        if messages.get(texts[0]) != texts[_LANG_INDEX[lang]]:
            found.append(
                f"messages: {key} is missing or differs from kiosk/messages.py (run: python -m ui.i18n update)"
            )
    consent = _translations(_context(root, "consent"))
    found += [f"consent: {t.key} v{t.version} is not translated" for t in CONSENT_TEXTS if t.text not in consent]
    return found
