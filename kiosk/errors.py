"""The one error root of the project and its families.

Only a `UserFacingError` carries text meant for a villager, and it carries a message key rather than the
text itself, so the UI can translate it and speak it. Every other error is for logs and technicians.
"""

from __future__ import annotations


class KioskError(Exception):
    """Root of every error the project raises on purpose."""


class ConfigError(KioskError):
    """The configuration file or environment is wrong; the message names the key."""


class DeviceError(KioskError):
    """A device (card reader, camera, printer, speaker) failed or is missing."""


class StoreError(KioskError):
    """The local database refused, is corrupt, or is full."""


class SyncError(KioskError):
    """The link to the county, or a message on it, failed."""


class DomainError(KioskError):
    """A rule of the domain was broken: bad input, bad signature, wrong state."""


class CanonicalJsonError(DomainError):
    """A value cannot be (or was not) encoded as canonical JSON."""


class VerificationError(DomainError):
    """A signature, hash or proof does not verify."""


class KeyLockedError(DomainError):
    """A villager key is locked after too many wrong PINs."""


class UserFacingError(KioskError):
    """An error a villager sees: `message_key` names the translated text, `params` fill it in.

    The params must never hold a PIN, a key or personal data: they may be spoken aloud.
    """

    def __init__(self, message_key: str, **params: object) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.params = params

    def __repr__(self) -> str:
        return f"UserFacingError({self.message_key!r}, {self.params!r})"
