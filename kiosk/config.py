"""The one typed settings object: read from a TOML file, overridden by `LXT_<SECTION>__<KEY>` variables.

Every option has a type, a default and a description (`lxt-diag config` prints them). An unknown key in
the file or the environment is an error that names it: a typo must never silently fall back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.config_file import ENV_CONFIG_FILE, ENV_PREFIX, config_path, read_config_file
from kiosk.errors import ConfigError

SuiteName = Literal["ed25519", "ecdsa-p256"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class PathsSettings(_Section):
    data_dir: Path = Field(
        Path("/var/lib/lxt"),
        description="Where the kiosk keeps its database, secrets and spool. A local folder in dev and demo.",
    )
    database_name: str = Field("kiosk.sqlite3", description="File name of the SQLite database in data_dir.")
    secrets_dir_name: str = Field(
        "secrets", description="Folder in data_dir (mode 0700) for the device secret and device key."
    )
    county_enrolment_key: Path | None = Field(
        None,
        description="The county's X25519 enrolment public key (raw 32 bytes or PEM); "
        "enrolment evidence is encrypted to it. Default: data_dir/county/enrolment.pub.",
    )

    @property
    def database(self) -> Path:
        return self.data_dir / self.database_name

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / self.secrets_dir_name

    @property
    def enrolment_key_file(self) -> Path:
        return self.county_enrolment_key or self.data_dir / "county" / "enrolment.pub"

    @property
    def county_dir(self) -> Path:
        return self.data_dir / "county"


class IdentitySettings(_Section):
    county_id: str = Field(
        "410225",
        pattern=r"^[0-9]{6}$",
        description="The county's six-digit administrative division code (兰考县 is 410225).",
    )
    kiosk_id: str = Field(
        "dev-kiosk",
        pattern=r"^[a-z0-9][a-z0-9-]{1,62}$",
        description="This kiosk's id: lower-case letters, digits and dashes; part of MQTT topics.",
    )
    village_name: str = Field("张庄村", description="Shown in the top bar of every screen.")
    villager_suite: SuiteName = Field("ed25519", description="Signature suite for new villager keys.")
    device_suite: SuiteName = Field(
        "ecdsa-p256",
        description="Signature suite of the device key; P-256 because the same key serves MQTT mutual TLS.",
    )


class SecuritySettings(_Section):
    pin_max_attempts: int = Field(5, ge=3, le=10, description="Wrong PINs in a row that lock a villager key.")
    scrypt_log2_n: int = Field(
        15, ge=10, le=20, description="scrypt cost (log2 N) for PIN-derived keys; 15 is ~32 MiB, ~0.1 s."
    )
    scrypt_r: int = Field(8, ge=1, le=32, description="scrypt block size r.")
    scrypt_p: int = Field(1, ge=1, le=8, description="scrypt parallelism p.")


class EnrolmentSettings(_Section):
    min_age_years: int = Field(
        18, ge=16, le=25, description="Youngest age that may enrol (the county's services are for adults)."
    )
    step_timeout_s: int = Field(
        120, ge=10, le=900, description="Seconds a villager may take on one enrolment step before it ends."
    )
    card_read_timeout_s: int = Field(30, ge=1, le=300, description="Seconds to wait for an ID card.")
    face_capture_timeout_s: int = Field(30, ge=1, le=300, description="Seconds for one face capture try.")
    max_retries: int = Field(3, ge=1, le=10, description="Tries of one step (card, face, PIN) before it ends.")
    face_match_min_score: int = Field(
        600, ge=0, le=1000, description="Smallest face 1:1 match score (per mille) that counts as a match."
    )


class DevicesSettings(_Section):
    card_reader: Literal["fake", "pcsc", "serial"] = Field("fake", description="Which ID card reader driver.")
    camera: Literal["fake", "opencv"] = Field("fake", description="Which camera driver.")
    camera_source: str = Field("0", description="OpenCV camera: a device index, a video file or an RTSP URL.")
    serial_port: str = Field("/dev/ttyUSB0", description="Serial port of a GA 467 SAM reader.")
    pcsc_reader: str | None = Field(
        None, description="PC/SC reader to use, by the start of its name; default: the first one pcscd lists."
    )


class SyncSettings(_Section):
    broker_host: str = Field("127.0.0.1", description="The county MQTT broker's host name or address.")
    broker_port: int = Field(8883, ge=1, le=65535, description="The broker's port (8883 for TLS, 1883 plain).")
    tls: bool = Field(True, description="Mutual TLS with the device certificate; off only for local development.")
    ca_file: Path | None = Field(None, description="The county CA certificate. Default: data_dir/county/ca.pem.")
    cert_file: Path | None = Field(
        None, description="This kiosk's certificate from the county CA. Default: secrets/device.crt."
    )
    county_ledger_key: Path | None = Field(
        None,
        description="The county ledger's public key that signs block headers. Default: data_dir/county/ledger.pub.",
    )
    keepalive_s: int = Field(30, ge=5, le=600, description="MQTT keepalive; the broker declares us gone after 1.5x.")
    inflight_window: int = Field(
        64, ge=1, le=1000, description="Transactions handed to the broker and not yet PUBACKed, at most."
    )
    max_unacked: int = Field(
        1024, ge=1, le=100_000, description="Transactions the broker has and the county has not acknowledged, at most."
    )
    ack_timeout_s: int = Field(
        30, ge=1, le=3600, description="Send again what the county has not acknowledged by then."
    )
    reconnect_min_s: float = Field(1.0, gt=0, le=60, description="First wait before reconnecting; doubles, jittered.")
    reconnect_max_s: float = Field(120.0, gt=0, le=3600, description="Longest wait between reconnect attempts.")
    max_payload_bytes: int = Field(
        262_144, ge=1024, le=16_777_216, description="Largest message accepted from the broker; larger is refused."
    )


class UiSettings(_Section):
    language: Literal["zh", "en"] = Field("zh", description="Language of the touchscreen (Chinese first).")
    fullscreen: bool = Field(True, description="Frameless full screen; false gives a window, for development only.")
    shuffle_keypad: bool = Field(False, description="Shuffle the PIN keypad's digits after every PIN entered.")
    screen_dpi: float | None = Field(
        None, gt=20, le=1000, description="The screen's DPI when it reports a wrong one (sizes are set in mm)."
    )


class DiagnosticsSettings(_Section):
    export_dir: Path = Field(
        Path("/media/usb"),
        description="Where the technician's diagnostics bundle is written (a mounted USB stick); no personal data.",
    )


class CredentialsSettings(_Section):
    max_peer_attestations: int = Field(
        10, ge=1, le=100, description="Unexpired peer attestations (互证) one villager may have given at a time."
    )
    peer_attestation_days: int = Field(365, ge=1, le=1825, description="How long a peer attestation is valid.")
    status_max_age_s: int = Field(
        7 * 86_400, ge=3600, le=90 * 86_400, description="A status list older than this leaves a status unknown."
    )


class LoansSettings(_Section):
    draft_resume_s: int = Field(
        1800,
        ge=60,
        le=7 * 86_400,
        description="An interrupted loan application may be resumed (with the PIN) this long.",
    )


class ServicesSettings(_Section):
    draft_resume_s: int = Field(
        1800,
        ge=60,
        le=7 * 86_400,
        description="An interrupted government service request may be resumed (with the PIN) this long.",
    )


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")


class Settings(_Section):
    paths: PathsSettings = Field(default_factory=lambda: PathsSettings(), description="Files and folders.")
    identity: IdentitySettings = Field(default_factory=lambda: IdentitySettings(), description="Who this kiosk is.")
    security: SecuritySettings = Field(default_factory=lambda: SecuritySettings(), description="PINs and keys.")
    enrolment: EnrolmentSettings = Field(default_factory=lambda: EnrolmentSettings(), description="Enrolment rules.")
    devices: DevicesSettings = Field(default_factory=lambda: DevicesSettings(), description="Device drivers.")
    sync: SyncSettings = Field(default_factory=lambda: SyncSettings(), description="The link to the county.")
    ui: UiSettings = Field(default_factory=lambda: UiSettings(), description="The touchscreen.")
    diagnostics: DiagnosticsSettings = Field(
        default_factory=lambda: DiagnosticsSettings(), description="The technician's diagnostics."
    )
    credentials: CredentialsSettings = Field(
        default_factory=lambda: CredentialsSettings(), description="Wallet and peer attestation rules."
    )
    loans: LoansSettings = Field(default_factory=lambda: LoansSettings(), description="Loan applications.")
    services: ServicesSettings = Field(
        default_factory=lambda: ServicesSettings(), description="Government service requests (零跑腿)."
    )
    logging: LoggingSettings = Field(default_factory=lambda: LoggingSettings(), description="Logging.")


def _env_overrides(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    sections = Settings.model_fields
    out: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_CONFIG_FILE:
            continue
        section, sep, key = name[len(ENV_PREFIX) :].lower().partition("__")
        if not sep or section not in sections:
            raise ConfigError(f"unknown setting in environment: {name}")
        out.setdefault(section, {})[key] = value
    return out


def _merge(base: dict[str, Any], over: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for section, values in over.items():
        current = merged.get(section)
        if current is None:
            current = merged[section] = {}
        if not isinstance(current, dict):
            raise ConfigError(f"setting {section!r} must be a table")
        current.update(values)
    return merged


def _describe(err: ValidationError, origin: str) -> str:
    parts = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown setting {key!r}")
        else:
            parts.append(f"{key}: {e['msg']}")
    return f"{origin}: " + "; ".join(parts)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings: the TOML file (if any), then the environment on top."""
    env = os.environ if environ is None else environ
    file = config_path(path, env)
    data = read_config_file(file)
    origin = "defaults" if file is None else str(file)
    overrides = _env_overrides(env)
    if overrides:
        origin += " + environment"
    try:
        return Settings.model_validate(_merge(data, overrides))
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin)) from exc


def describe_settings() -> list[tuple[str, str, str, str]]:
    """Every option as (key, type, default, description), for documentation and `lxt-diag config`."""
    rows = []
    for section_name, section_field in Settings.model_fields.items():
        section_cls = section_field.annotation
        if not (isinstance(section_cls, type) and issubclass(section_cls, BaseModel)):
            raise ConfigError(f"settings section {section_name!r} is not a model")
        for key, field in section_cls.model_fields.items():
            type_name = getattr(field.annotation, "__name__", None) or str(field.annotation)
            rows.append((f"{section_name}.{key}", type_name, repr(field.default), field.description or ""))
    return rows


# Settings the county may change remotely with a signed `config` command. Paths, identity, keys, drivers and the
# broker address are not among them: a wrong value there could cut the kiosk off from the county for good, and
# those are changed on site by a technician.
REMOTE_KEYS: dict[str, frozenset[str]] = {
    "enrolment": frozenset(
        {"min_age_years", "step_timeout_s", "card_read_timeout_s", "face_capture_timeout_s", "max_retries"}
    ),
    "sync": frozenset(
        {"inflight_window", "max_unacked", "ack_timeout_s", "keepalive_s", "reconnect_min_s", "reconnect_max_s"}
    ),
    "logging": frozenset({"level"}),
}


def check_overlay(overlay: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A remote settings overlay as {section: {key: value}}, only REMOTE_KEYS; ConfigError naming what is wrong."""
    out: dict[str, dict[str, Any]] = {}
    for section, values in overlay.items():
        allowed = REMOTE_KEYS.get(section)
        if allowed is None or not isinstance(values, Mapping):
            raise ConfigError(f"settings section {section!r} cannot be changed remotely")
        for key in values:
            if key not in allowed:
                raise ConfigError(f"setting {section}.{key} cannot be changed remotely")
        out[str(section)] = dict(values)
    return out


def with_overlay(settings: Settings, overlay: Mapping[str, Any]) -> Settings:
    """`settings` with a remote overlay applied and the result validated like a settings file."""
    checked = check_overlay(overlay)
    data = settings.model_dump()
    for section, values in checked.items():
        data[section] = {**data[section], **values}
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, "remote configuration")) from exc
