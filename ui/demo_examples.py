"""The demo panel's ready-made QR codes, made by `lxt-demo --stack` with the county's own commands and read by
the panel inside the kiosk app (Qt-free, so both sides share it).

`ui` never imports `sync`: the county's tools run as processes on the demo stack's side (`ui/demo_offices.py`),
which writes what they printed into one JSON file beside the demo kiosk; the panel reads it again whenever it
changed. The file holds only demo data: the traffic bureau's presentation request, a technician's pass, and for
each enrolled DID the health-exam credentials issued to that villager's key.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILE_NAME = "examples.json"


def examples_file(data_dir: Path) -> Path:
    """Where the demo stack writes the examples for the kiosk whose data lives in `data_dir`."""
    return data_dir.parent / "panel" / FILE_NAME


@dataclass(frozen=True, slots=True)
class DemoExamples:
    request: str = ""  # 交通局's signed presentation request (lxt-county request)
    tech_pass: str = ""  # a technician's pass for this kiosk (lxt-county console tech-pass)
    exams: dict[str, dict[str, str]] = field(default_factory=dict)  # DID → hospital name → issued SD-JWT VC

    def to_json(self) -> dict[str, Any]:
        return {"request": self.request, "tech_pass": self.tech_pass, "exams": self.exams}


def read_examples(path: Path) -> DemoExamples:
    """What the stack prepared so far; nothing (not an error) before it wrote the file or if it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DemoExamples()
    if not isinstance(data, dict):
        return DemoExamples()
    exams = data.get("exams")
    return DemoExamples(
        request=str(data.get("request") or ""),
        tech_pass=str(data.get("tech_pass") or ""),
        exams={
            str(did): {str(h): str(t) for h, t in tokens.items()}
            for did, tokens in (exams.items() if isinstance(exams, dict) else [])
            if isinstance(tokens, dict)
        },
    )


def write_examples(path: Path, examples: DemoExamples) -> None:
    """Whole or not at all: written beside, then renamed over, so the panel never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_text(json.dumps(examples.to_json(), ensure_ascii=False), encoding="utf-8")
    os.replace(part, path)
