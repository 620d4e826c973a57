"""The typed draft of a service request, and its sealed copy that lets an interrupted session resume.

One draft per villager (table `service_draft`), kept by the store shared with loan applications
(kiosk/applications/drafts.py): sealed under the device secret and bound to its holder, wiped once older than
`services.draft_resume_s` (`service.draft.expired`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.applications.drafts import DraftKind, Page, SealedDraftStore, pages_from_json, pages_to_json
from kiosk.services.catalog import Answer


class ServiceStep(StrEnum):
    SERVICE = "service"  # choose a service
    FORM = "form"  # the form: pre-filled fields shown, the rest entered
    MATERIALS = "materials"  # paper materials photographed
    CONFIRM = "confirm"  # the preview of what the office will see, confirmed with the PIN
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(slots=True, repr=False)
class ServiceDraft:
    step: ServiceStep = ServiceStep.SERVICE
    started_ms: int = 0
    catalog_version: int = 0
    service: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)  # typed field id → answer
    credentials: dict[str, str] = field(default_factory=dict)  # vct → credential id in the wallet
    pages: dict[str, Page] = field(default_factory=dict)  # material id → page

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "started_ms": self.started_ms,
            "catalog_version": self.catalog_version,
            "service": self.service,
            "answers": dict(self.answers),
            "credentials": dict(self.credentials),
            "pages": pages_to_json(self.pages),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServiceDraft:
        pages = pages_from_json(data["pages"])
        answers: dict[str, Answer] = {}
        for k, v in dict(data["answers"]).items():
            if not isinstance(v, str | int | bool):
                raise TypeError("a draft answer of another type")
            answers[str(k)] = v
        return cls(
            ServiceStep(data["step"]),
            int(data["started_ms"]),
            int(data["catalog_version"]),
            str(data["service"]),
            answers,
            {str(k): str(v) for k, v in dict(data["credentials"]).items()},
            pages,
        )

    def wipe(self) -> None:
        self.pages.clear()
        self.credentials.clear()
        self.answers.clear()
        self.service = ""

    def __repr__(self) -> str:
        return f"ServiceDraft({self.step.value}, ***)"


class ServiceDraftStore(SealedDraftStore[ServiceDraft]):
    """Save, load and wipe the one service draft of each villager."""

    def __init__(self, device_secret: bytes, resume_s: int) -> None:
        super().__init__(DraftKind.SERVICE, device_secret, resume_s, ServiceDraft.from_json)
