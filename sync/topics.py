"""MQTT topic names of the protocol (docs/protocol.md), built and parsed in one place."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "lxt/v1"


@dataclass(frozen=True, slots=True)
class KioskTopics:
    county: str
    kiosk: str

    @property
    def base(self) -> str:
        return f"{PREFIX}/{self.county}/{self.kiosk}"

    @property
    def up_tx(self) -> str:
        return f"{self.base}/up/tx"

    @property
    def up_state(self) -> str:
        return f"{self.base}/up/state"

    @property
    def up_telemetry(self) -> str:
        return f"{self.base}/up/telemetry"

    @property
    def down_ack(self) -> str:
        return f"{self.base}/down/ack"

    @property
    def down_inbox(self) -> str:
        return f"{self.base}/down/inbox"

    @property
    def down_cmd(self) -> str:
        return f"{self.base}/down/cmd/#"

    def up_cmd(self, op: str, cmd_id: str) -> str:
        return f"{self.base}/up/cmd/{op}/{cmd_id}"

    @property
    def broadcast(self) -> str:
        return f"{PREFIX}/{self.county}/broadcast/#"

    def subscriptions(self) -> list[str]:
        """What a kiosk listens to: its own down/ topics and the county's broadcasts."""
        return [self.down_ack, self.down_inbox, self.down_cmd, self.broadcast]


def kiosk_of(topic: str) -> tuple[str, str] | None:
    """(county, kiosk) of a per-kiosk topic, or None if the topic is not one."""
    parts = topic.split("/")
    if len(parts) < 5 or "/".join(parts[:2]) != PREFIX or parts[3] == "broadcast":
        return None
    return parts[2], parts[3]
