"""What the technician's checks find, Qt-free: the store's state, each check's verdict, and the export bundle.

`lxt-diag status` and the touchscreen's diagnostics read the same `store_status`. Every check ends in one of
three verdicts (正常 / 注意 / 故障 on screen) with the facts behind it. The bundle is a .tar.gz of JSON
documents for the county's helpdesk: status, checks, versions, settings, recent errors — no names, ID numbers,
faces, DIDs or keys (a test greps it after an enrolment).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import tarfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

from cryptography import x509

from kiosk.config import Settings
from kiosk.errors import StoreError
from kiosk.logring import LogLine, scrub
from kiosk.store import audit, deliveries, outbox
from kiosk.store.db import Database

DAY_MS = 86_400_000
CERT_WARN_DAYS = 30
DISK_FAULT_MB, DISK_WARN_MB = 200, 1024
OUTBOX_WARN_MS = DAY_MS  # something waited a day: the link or the county is not taking it
RTT_WARN_MS = 1000
CAMERA_WARN_FPS = 5.0
REFUSALS = (
    audit.AuditAction.COMMAND_REFUSED.value,
    audit.AuditAction.SIGNATURE_REFUSED.value,
    audit.AuditAction.TECHNICIAN_REFUSED.value,
)


class Level(StrEnum):
    OK = "ok"  # 正常
    WARN = "warn"  # 注意
    FAULT = "fault"  # 故障


class CheckKey(StrEnum):
    CARD_READER = "card_reader"
    CAMERA = "camera"
    QR = "qr"
    SPEAKER = "speaker"
    LINK = "link"
    CERT = "cert"
    OUTBOX = "outbox"
    DISK = "disk"
    DATABASE = "database"
    ERRORS = "errors"


@dataclass(frozen=True, slots=True)
class Check:
    key: CheckKey
    level: Level
    facts: Mapping[str, Any] = field(default_factory=dict)  # numbers and codes, never personal data

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key.value, "level": self.level.value, **dict(self.facts)}


def worst(checks: Iterable[Check]) -> Level:
    levels = {c.level for c in checks}
    return Level.FAULT if Level.FAULT in levels else Level.WARN if Level.WARN in levels else Level.OK


# --- the store -----------------------------------------------------------------------------------------


def _link(conn: sqlite3.Connection, now_ms: int) -> dict[str, Any]:
    row = conn.execute(
        "SELECT online, session, broker, connected_ms, last_ack_ms, last_error, updated_ms, rtt_ms FROM sync_status"
    ).fetchone()
    if row is None:
        return {}
    online, session, broker, connected, last_ack, error, updated, rtt = tuple(row)
    stale = now_ms - int(updated) > deliveries.LINK_STALE_MS
    return {
        "link": ("online" if not stale else "stale: lxt-sync is not running?") if online else "offline",
        "link_session": session,
        "link_broker": broker,
        "link_connected_ms": connected,
        "last_ack_ms": last_ack,
        "link_last_error": error,
        "link_rtt_ms": rtt if online and not stale else None,
    }


def store_status(db: Database, now_ms: int | None = None) -> dict[str, Any]:
    """The database, outbox, audit log, link row, lock, broadcasts and remote settings, as plain JSON values."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    conn = db.conn
    try:
        oldest = outbox.pending(conn, 1)
        verdict = audit.verify(conn)
        status: dict[str, Any] = {
            "database": str(db.path),
            "schema_version": db.user_version,
            "outbox_depth": outbox.depth(conn),
            "outbox_oldest_seq": oldest[0].seq if oldest else None,
            "outbox_oldest_ms": oldest[0].created_ms if oldest else None,
            "outbox_rejected": len(outbox.rejected(conn)),
            "audit_entries": verdict.checked,
            "audit_ok": verdict.ok,
            "integrity": conn.execute("PRAGMA quick_check").fetchone()[0],
        }
        status |= _link(conn, now)
        lock = deliveries.lock_state(conn)
        status["locked"] = f"yes: {lock.reason}" if lock.locked else "no"
        status["broadcasts"] = deliveries.broadcast_versions(conn)
        status["inbox_unhandled"] = len(deliveries.inbox(conn, unhandled=True))
        status["remote_config"] = deliveries.config_overlay(conn) or None
    except sqlite3.Error as exc:
        raise StoreError(f"the database could not be read: {exc}") from exc
    return status


def audit_refusals(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    """The newest refusals in the audit log (commands, signatures, technician passes): when, what, why."""
    marks = ",".join("?" * len(REFUSALS))
    rows = db.read(
        f"SELECT ts_ms, action, detail FROM audit WHERE action IN ({marks}) ORDER BY seq DESC LIMIT ?",  # noqa: S608
        (*REFUSALS, limit),
    )
    out = []
    for ts_ms, action, detail in rows:
        try:
            reason = json.loads(detail).get("reason", "")
        except (ValueError, AttributeError):
            reason = ""
        out.append({"ts_ms": int(ts_ms), "action": str(action), "reason": scrub(str(reason))})
    return out


# --- the checks ------------------------------------------------------------------------------------------


def link_check(status: Mapping[str, Any]) -> Check:
    link = status.get("link")
    never = not link or (not status.get("link_session") and not status.get("link_connected_ms"))
    state = "never" if never else link
    facts = {"broker": status.get("link_broker"), "rtt_ms": status.get("link_rtt_ms"), "state": state}
    if link != "online":
        return Check(
            CheckKey.LINK, Level.FAULT, facts | {"last_error": scrub(str(status.get("link_last_error") or "-"))}
        )
    rtt = status.get("link_rtt_ms")
    slow = isinstance(rtt, int) and rtt > RTT_WARN_MS
    return Check(CheckKey.LINK, Level.WARN if slow else Level.OK, facts)


def outbox_check(status: Mapping[str, Any], now_ms: int) -> Check:
    oldest = status.get("outbox_oldest_ms")
    age_ms = None if oldest is None else max(0, now_ms - int(oldest))
    facts = {"depth": status.get("outbox_depth", 0), "oldest_age_ms": age_ms, "rejected": status["outbox_rejected"]}
    late = age_ms is not None and age_ms > OUTBOX_WARN_MS
    return Check(CheckKey.OUTBOX, Level.WARN if late or facts["rejected"] else Level.OK, facts)


def database_check(status: Mapping[str, Any]) -> Check:
    ok = bool(status.get("audit_ok")) and status.get("integrity") == "ok"
    facts = {"audit_ok": status.get("audit_ok"), "integrity": status.get("integrity")}
    return Check(CheckKey.DATABASE, Level.OK if ok else Level.FAULT, facts)


def disk_check(path: Path) -> Check:
    try:
        usage = shutil.disk_usage(path)
    except OSError as exc:
        return Check(CheckKey.DISK, Level.FAULT, {"error": type(exc).__name__})
    free_mb = usage.free // (1024 * 1024)
    level = Level.FAULT if free_mb < DISK_FAULT_MB else Level.WARN if free_mb < DISK_WARN_MB else Level.OK
    return Check(CheckKey.DISK, level, {"free_mb": free_mb, "total_mb": usage.total // (1024 * 1024)})


def cert_file(settings: Settings) -> Path:
    """This kiosk's TLS client certificate (`sync.cert_file`, else secrets/device.crt; sync/pki_client.py)."""
    return settings.sync.cert_file or settings.paths.secrets_dir / "device.crt"


def cert_check(path: Path, tls: bool, now: datetime) -> Check:
    if not path.exists():
        # Without TLS (development) no certificate is needed; with it the link cannot come up at all.
        return Check(CheckKey.CERT, Level.FAULT if tls else Level.WARN, {"state": "missing", "tls": tls})
    try:
        not_after = x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc
    except (OSError, ValueError):
        return Check(CheckKey.CERT, Level.FAULT, {"state": "unreadable", "tls": tls})
    days = (not_after - now).days
    facts = {"state": "valid" if days >= 0 else "expired", "expires": not_after.date().isoformat(), "days_left": days}
    if not_after <= now:
        return Check(CheckKey.CERT, Level.FAULT, facts)
    return Check(CheckKey.CERT, Level.WARN if days < CERT_WARN_DAYS else Level.OK, facts)


def errors_check(lines: Sequence[LogLine], refusals: Sequence[Mapping[str, Any]]) -> Check:
    errors = sum(1 for line in lines if line.level in ("ERROR", "CRITICAL"))
    warnings = len(lines) - errors
    facts = {"errors": errors, "warnings": warnings, "refusals": len(refusals)}
    return Check(CheckKey.ERRORS, Level.WARN if errors or refusals else Level.OK, facts)


def camera_check(connected: bool, fps: float, width: int = 0, height: int = 0) -> Check:
    facts = {"connected": connected, "fps": round(fps, 1), "width": width, "height": height}
    if not connected:
        return Check(CheckKey.CAMERA, Level.FAULT, facts)
    return Check(CheckKey.CAMERA, Level.WARN if fps < CAMERA_WARN_FPS else Level.OK, facts)


# --- versions, settings, the bundle ---------------------------------------------------------------------


def software_version() -> str:
    try:
        return metadata.version("lxt-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


def versions(status: Mapping[str, Any], extra: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "software": software_version(),
        "schema": status.get("schema_version"),
        "broadcasts": dict(status.get("broadcasts") or {}),
        **dict(extra or {}),
    }


_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")


def settings_without_secrets(settings: Settings) -> dict[str, Any]:
    """Every setting as JSON. Settings hold no keys (those are files); a URL's user:password is masked."""
    data = settings.model_dump(mode="json")

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, str):
            return _URL_CREDENTIALS.sub("***@", value)
        return value

    cleaned: dict[str, Any] = clean(data)
    return cleaned


def log_lines_json(lines: Sequence[LogLine]) -> list[dict[str, Any]]:
    return [
        {"ts_ms": x.ts_ms, "level": x.level, "logger": x.logger, "message": x.message, "error": x.error} for x in lines
    ]


def write_bundle(folder: Path, kiosk_id: str, documents: Mapping[str, Any], now: datetime | None = None) -> Path:
    """`documents` (name → JSON value) as one .tar.gz in `folder`; StoreError if it cannot be written there."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    target = folder / f"lxt-diag-{kiosk_id}-{stamp}.tar.gz"
    if not folder.is_dir():
        raise StoreError(f"the export folder {folder} is not there (is the USB stick in?)")
    tmp = target.with_name(target.name + ".part")
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            for name, value in documents.items():
                data = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(f"{name}.json")
                info.size = len(data)
                info.mtime = int(time.time())
                tar.addfile(info, io.BytesIO(data))
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"the bundle could not be written to {folder}: {exc.strerror or exc}") from exc
    return target
