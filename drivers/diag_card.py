"""`lxt-diag card`: wait for a card, read it, print one JSON object with every personal field masked."""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from typing import Any

from drivers.card_readers import make_card_reader
from kiosk.config import Settings
from kiosk.domain.idcard import IdCard
from kiosk.domain.sscard import SocialSecurityCard
from kiosk.errors import DeviceError


def mask_name(name: str) -> str:
    """张三丰 → 张**: enough for a technician to see the card was read, not whose it is."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def mask_number(number: str) -> str:
    """The region's first four digits and the last four: 1101**********1234."""
    return number[:4] + "*" * max(0, len(number) - 8) + number[-4:] if len(number) > 8 else "*" * len(number)


def mask_address(address: str) -> str:
    """Only up to the county (县/区/市 after the first two characters), then an ellipsis."""
    for i, ch in enumerate(address):
        if ch in "县区旗" and i >= 2:
            return address[: i + 1] + "…"
    return address[:6] + "…" if len(address) > 6 else address


def _photo(photo: bytes) -> dict[str, Any]:
    return {"bytes": len(photo), "sha256": hashlib.sha256(photo).hexdigest()[:12]}


def describe(card: IdCard | SocialSecurityCard) -> dict[str, Any]:
    if isinstance(card, IdCard):
        return {
            "kind": f"id_card/{card.kind.value}",
            "name": mask_name(card.name),
            "sex": card.sex.value,
            "ethnicity": card.ethnicity,
            "birth_year": card.birth_date.year,
            "address": mask_address(card.address),
            "id_number": mask_number(card.id_number),
            "authority": card.authority,
            "valid_from": card.valid_from.isoformat(),
            "valid_to": card.valid_to.isoformat() if card.valid_to else "长期",
            "photo": _photo(card.photo),
            "rare_chars": len(card.rare_chars),
        }
    return {
        "kind": "social_security",
        "name": mask_name(card.name),
        "sex": card.sex.value,
        "birth_year": card.birth_date.year,
        "ssn": mask_number(card.ssn),
        "card_number": mask_number(card.card_number),
        "region": card.region,
        "issued": card.issued.isoformat(),
        "valid_until": card.valid_until.isoformat() if card.valid_until else None,
    }


def cmd_card(settings: Settings, args: argparse.Namespace) -> int:
    start = time.perf_counter()
    out: dict[str, Any] = {"reader": settings.devices.card_reader}
    try:
        reader = make_card_reader(settings)
    except DeviceError as exc:
        out |= {"ok": False, "error": type(exc).__name__, "message": str(exc)}
    else:
        try:
            read_any = getattr(reader, "read_any", None)
            card = read_any(args.timeout) if read_any is not None else reader.read_card(args.timeout)
            out |= {"ok": True, "card": describe(card)}
        except DeviceError as exc:
            out |= {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        finally:
            reader.close()
    out["ms"] = round((time.perf_counter() - start) * 1000, 1)
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0 if out["ok"] else 1


def add_card_command(sub: Any) -> None:
    card = sub.add_parser("card", help="wait for an ID or social security card and print it, personal data masked")
    card.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a card")
    card.set_defaults(run=cmd_card)
