"""What the kiosk does with what the county sends down: signed commands, broadcasts and inbox deliveries.

Runs on the daemon's database thread, inside the caller's transaction: a command's effect, its record, its audit
entry and the reply commit together. Everything refused (bad signature, replayed or stale `cmd_seq`, expired,
not yet valid, another kiosk's, an older broadcast, malformed) is audited and changes nothing else; a refused
command is also answered, so the county sees why.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from kiosk.clock import TimeService, to_ms
from kiosk.config import Settings, with_overlay
from kiosk.crypto import canonical
from kiosk.errors import ConfigError, KioskError, VerificationError
from kiosk.store import audit, deliveries, outbox
from kiosk.store.audit import AuditAction
from kiosk.tx.notice import NoticeKind, open_notice
from kiosk.tx.verify import PublicKey
from sync.status import read_status_conn
from sync.topics import PREFIX, KioskTopics

logger = logging.getLogger(__name__)

OPS = frozenset({"diag", "config", "lock", "unlock", "resync"})
CLOCK_SKEW_MS = 5 * 60 * 1000  # a kiosk clock may be this far behind the county's and still take a command
_ID = re.compile(r"^[0-9a-f]{16,64}$")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class Outgoing:
    topic: str
    payload: bytes
    retain: bool = True


@dataclass(frozen=True, slots=True)
class Resync:
    """Effect: send again everything the county has not acknowledged."""


Effect = Outgoing | Resync


class Refused(VerificationError):
    """A message from the county that is not acted on; the reason goes to the audit log."""


def _int(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Refused(f"{name} must be an integer")
    return value


class DownHandler:
    def __init__(
        self,
        settings: Settings,
        county_key: PublicKey,
        county: str,
        kiosk: str,
        time: TimeService,
        *,
        software: str,
        extra_diag: Callable[[], Mapping[str, Any]] | None = None,
        take_credentials: Callable[[sqlite3.Connection], object] | None = None,
    ) -> None:
        self._settings = settings
        self._key = county_key
        self._county = county
        self._kiosk = kiosk
        self._time = time
        self._topics = KioskTopics(county, kiosk)
        self._software = software
        self._extra_diag = extra_diag
        # Credential deliveries go into the wallet in the transaction that stored them, and are tried again
        # when a trust or status list arrives (kiosk/credentials/deliveries.py).
        self._take_credentials = take_credentials

    def handles(self, topic: str) -> bool:
        base = self._topics.base
        return (
            topic == f"{base}/down/inbox"
            or topic.startswith(f"{base}/down/cmd/")
            or topic.startswith(f"{PREFIX}/{self._county}/broadcast/")
        )

    def handle(self, conn: sqlite3.Connection, topic: str, payload: bytes) -> list[Effect]:
        """Act on one message inside the caller's transaction; returns what the daemon must publish or do."""
        base = self._topics.base
        try:
            if topic.startswith(f"{base}/down/cmd/"):
                return self._command(conn, topic, payload)
            if topic == f"{base}/down/inbox":
                self._inbox(conn, payload)
            elif topic.startswith(f"{PREFIX}/{self._county}/broadcast/"):
                self._broadcast(conn, topic.rsplit("/", 1)[1], payload)
            else:
                raise Refused("not a topic this kiosk takes messages on")
        except VerificationError as exc:
            self._audit(conn, AuditAction.SIGNATURE_REFUSED, topic, {"reason": str(exc)[:200]})
            return []
        self._credentials(conn)
        return []

    def _credentials(self, conn: sqlite3.Connection) -> None:
        if self._take_credentials is None:
            return
        conn.execute("SAVEPOINT credentials")
        try:
            self._take_credentials(conn)
            conn.execute("RELEASE credentials")
        except KioskError as exc:  # e.g. a trust list that no longer parses: the delivery itself stays stored
            conn.execute("ROLLBACK TO credentials")
            conn.execute("RELEASE credentials")
            logger.error("credential deliveries were not taken: %s", exc)

    # --- pieces ----------------------------------------------------------------------------------------

    def _now(self) -> int:
        return to_ms(self._time.now().at)

    def _audit(self, conn: sqlite3.Connection, action: AuditAction, subject: str, detail: Mapping[str, object]) -> None:
        logger.warning("%s: %s (%s)", action.value, subject[-80:], detail.get("reason", ""))
        audit.append(conn, self._time.now(), action, "county", subject[-120:], detail)

    def _inbox(self, conn: sqlite3.Connection, payload: bytes) -> None:
        body = open_notice(payload, self._key, self._county, NoticeKind.INBOX).body
        item_id, kind = body.get("id"), body.get("kind")
        if not isinstance(item_id, str) or not _ID.match(item_id) or not isinstance(kind, str) or not _KIND.match(kind):
            raise Refused("an inbox delivery needs an id (16–64 hex) and a kind")
        if body.get("kiosk") != self._kiosk:
            raise Refused("an inbox delivery for another kiosk")
        conn.execute(
            "INSERT INTO inbox (id, kind, payload, received_ms) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (item_id, kind, canonical.dumps(body.get("payload", {})).decode(), self._now()),
        )

    def _broadcast(self, conn: sqlite3.Connection, kind: str, payload: bytes) -> None:
        body = open_notice(payload, self._key, self._county, NoticeKind.BROADCAST).body
        version = body.get("version")
        if body.get("kind") != kind or not _KIND.match(kind):
            raise Refused("the broadcast's kind is not its topic's")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise Refused("a broadcast needs a positive integer version")
        current = deliveries.broadcast(conn, kind)
        if current is not None and version <= current.version:
            if version == current.version:
                return  # the retained copy again after a reconnect: nothing new
            raise Refused(f"broadcast {kind} version {version} is older than the one held ({current.version})")
        conn.execute(
            "INSERT INTO broadcast (kind, version, payload, received_ms) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind) DO UPDATE SET version = excluded.version, payload = excluded.payload, "
            "received_ms = excluded.received_ms",
            (kind, version, canonical.dumps(body.get("payload", {})).decode(), self._now()),
        )
        logger.info("broadcast %s version %d applied", kind, version)

    def _command(self, conn: sqlite3.Connection, topic: str, payload: bytes) -> list[Effect]:
        op_in_topic = topic.rsplit("/", 1)[1]
        try:
            body = open_notice(payload, self._key, self._county, NoticeKind.COMMAND).body
        except VerificationError as exc:
            self._audit(conn, AuditAction.COMMAND_REFUSED, topic, {"reason": str(exc)[:200]})
            return []  # unsigned or forged: not even answered (no id we could trust)
        cmd_id = body.get("id")
        if not isinstance(cmd_id, str) or not _ID.match(cmd_id):
            self._audit(conn, AuditAction.COMMAND_REFUSED, topic, {"reason": "no command id"})
            return []
        op = str(body.get("op", ""))
        try:
            seq = self._check_command(conn, body, op, op_in_topic)
        except Refused as exc:
            return self._answer(conn, cmd_id, op, None, "refused", {"reason": str(exc)}, AuditAction.COMMAND_REFUSED)
        effects: list[Effect] = []
        try:
            result = self._apply(conn, op, body.get("args", {}), effects)
            status = "done"
        except ConfigError as exc:
            result, status = {"reason": str(exc)[:300]}, "failed"
        return [*self._answer(conn, cmd_id, op, seq, status, result, AuditAction.COMMAND_APPLIED), *effects]

    def _check_command(self, conn: sqlite3.Connection, body: Mapping[str, Any], op: str, op_in_topic: str) -> int:
        seq, not_before, expires = _int(body, "cmd_seq"), _int(body, "not_before"), _int(body, "expires")
        if body.get("target") != self._kiosk:
            raise Refused("the command is for another kiosk")
        if op not in OPS or op != op_in_topic:
            raise Refused(f"unknown operation {op[:20]!r}, or not the one its topic names")
        if seq <= deliveries.last_cmd_seq(conn):
            raise Refused(f"cmd_seq {seq} was already used (replayed or stale)")
        now = self._now()
        if now + CLOCK_SKEW_MS < not_before:
            raise Refused("the command is not valid yet")
        if now > expires:
            raise Refused("the command has expired")
        return seq

    def _answer(
        self,
        conn: sqlite3.Connection,
        cmd_id: str,
        op: str,
        seq: int | None,
        status: str,
        result: Mapping[str, Any],
        action: AuditAction,
    ) -> list[Effect]:
        now = self._now()
        reply = {"id": cmd_id, "op": op, "status": status, "result": dict(result), "time_ms": now}
        if seq is not None:
            conn.execute(
                "INSERT INTO command (id, cmd_seq, op, status, result, received_ms) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (cmd_id, seq, op, status, canonical.dumps(dict(result)).decode(), now),
            )
        detail: dict[str, object] = {"id": cmd_id, "op": op[:20], "status": status}
        if status != "done":
            detail["reason"] = str(result.get("reason", ""))[:200]
        self._audit(conn, action, f"cmd:{cmd_id}", detail)
        safe_op = op if op in OPS else "unknown"
        return [Outgoing(self._topics.up_cmd(safe_op, cmd_id), canonical.dumps(reply))]

    # --- operations ----------------------------------------------------------------------------------

    def _apply(self, conn: sqlite3.Connection, op: str, args: object, effects: list[Effect]) -> dict[str, Any]:
        now = self._now()
        if not isinstance(args, Mapping):
            raise ConfigError("a command's args must be an object")
        if op == "diag":
            return self._diag(conn)
        if op == "config":
            overlay = args.get("settings")
            if not isinstance(overlay, Mapping):
                raise ConfigError("config needs args.settings as {section: {key: value}}")
            merged = {**deliveries.config_overlay(conn)}
            for section, values in overlay.items():
                merged[section] = {**merged.get(section, {}), **dict(values)} if isinstance(values, Mapping) else values
            with_overlay(self._settings, merged)  # validates; raises ConfigError naming the key
            deliveries.set_state(conn, deliveries.CONFIG_KEY, json.dumps(merged, sort_keys=True), now)
            return {"applied": merged, "effective": "when lxt-sync and lxt-kiosk next start"}
        if op in ("lock", "unlock"):
            reason = str(args.get("reason", ""))[:200]
            state = {"locked": op == "lock", "reason": reason}
            deliveries.set_state(conn, deliveries.LOCKED_KEY, json.dumps(state, ensure_ascii=False), now)
            return state
        effects.append(Resync())  # resync
        return {"unacknowledged": outbox.depth(conn)}

    def _diag(self, conn: sqlite3.Connection) -> dict[str, Any]:
        states = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        oldest = outbox.oldest_pending_ms(conn)
        status = read_status_conn(conn)
        data_dir: Path = self._settings.paths.data_dir
        summary: dict[str, Any] = {
            "software": self._software,
            "outbox": {str(k): int(v) for k, v in states.items()},
            "oldest_pending_s": None if oldest is None else max(0, (self._now() - oldest) // 1000),
            "last_ack_ms": status.last_ack_ms,
            "session": status.session,
            "disk_free_mb": shutil.disk_usage(data_dir).free // (1024 * 1024),
            "broadcasts": deliveries.broadcast_versions(conn),
            "locked": deliveries.lock_state(conn).locked,
            "audit_ok": audit.verify(conn).ok,
        }
        cert = self._settings.sync.cert_file or self._settings.paths.secrets_dir / "device.crt"
        if cert.exists():
            try:
                not_after = x509.load_pem_x509_certificate(cert.read_bytes()).not_valid_after_utc
                summary["cert_expires"] = not_after.date().isoformat()
            except ValueError:
                summary["cert_expires"] = "unreadable"
        if self._extra_diag is not None:
            try:
                summary.update(self._extra_diag())
            except KioskError as exc:
                summary["extra_error"] = str(exc)[:200]
        return summary
