"""Why a credential, a presentation or a request was refused: one error family, one translatable reason each.

Every refusal is a `CredentialError`, a `UserFacingError` whose message key is ``credential.<reason>``, so a
wallet screen can show and speak it as it is. `detail` is for logs and technicians: it never holds claim
values, keys or anything personal.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from kiosk.errors import UserFacingError


class Refusal(StrEnum):
    MALFORMED = "malformed"  # not an SD-JWT VC (or request) of the shape we accept
    OVERSIZED = "oversized"  # larger than a QR or a delivery may be
    BAD_SIGNATURE = "bad_signature"  # the issuer's (or verifier's) signature does not verify
    UNTRUSTED_ISSUER = "untrusted_issuer"  # the trust list does not let this issuer issue this vct
    UNKNOWN_TYPE = "unknown_type"  # a vct this kiosk does not know
    INVALID_CLAIMS = "invalid_claims"  # the claims do not fit the schema of their vct
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    STATUS_UNKNOWN = "status_unknown"  # no status list, or one too old to rely on
    NOT_BOUND = "not_bound"  # not bound to this holder's key, or the key binding does not verify
    FORGED_DISCLOSURE = "forged_disclosure"  # a disclosure whose digest the issuer never signed
    WRONG_NONCE = "wrong_nonce"
    WRONG_AUDIENCE = "wrong_audience"
    STALE_BINDING = "stale_binding"  # the key-binding JWT is too old or from the future
    VERIFIER_NOT_ALLOWED = "verifier_not_allowed"  # the trust list does not let this verifier ask for this
    REQUEST_EXPIRED = "request_expired"
    NO_QUALIFYING = "no_qualifying"  # the wallet holds nothing the request accepts
    ATTESTATION_CAP = "attestation_cap"  # this villager has vouched for as many people as allowed
    ALREADY_HELD = "already_held"  # the same credential is already in the wallet
    NO_DELIVERY_KEY = "no_delivery_key"  # delivery through the county asked by a verifier with no `enc` key


class CredentialError(UserFacingError):
    """A refusal with its `reason`; `detail` says more, for logs only."""

    reason: ClassVar[Refusal] = Refusal.MALFORMED

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(f"credential.{self.reason.value}", **params)
        self.detail = detail[:300]

    def __str__(self) -> str:
        return f"{self.message_key}: {self.detail}" if self.detail else self.message_key


class MalformedCredential(CredentialError):
    """Not an SD-JWT VC, a presentation or a request of the shape we accept."""

    reason = Refusal.MALFORMED


class OversizedInput(CredentialError):
    """Larger than the limit for where it came from (a QR, a delivery)."""

    reason = Refusal.OVERSIZED


class BadSignature(CredentialError):
    reason = Refusal.BAD_SIGNATURE


class UntrustedIssuer(CredentialError):
    reason = Refusal.UNTRUSTED_ISSUER


class UnknownCredentialType(CredentialError):
    reason = Refusal.UNKNOWN_TYPE


class InvalidClaims(CredentialError):
    reason = Refusal.INVALID_CLAIMS


class CredentialExpired(CredentialError):
    reason = Refusal.EXPIRED


class CredentialNotYetValid(CredentialError):
    reason = Refusal.NOT_YET_VALID


class CredentialRevoked(CredentialError):
    reason = Refusal.REVOKED


class CredentialSuspended(CredentialError):
    reason = Refusal.SUSPENDED


class StatusUnknown(CredentialError):
    reason = Refusal.STATUS_UNKNOWN


class NotBoundToHolder(CredentialError):
    reason = Refusal.NOT_BOUND


class ForgedDisclosure(CredentialError):
    reason = Refusal.FORGED_DISCLOSURE


class WrongNonce(CredentialError):
    reason = Refusal.WRONG_NONCE


class WrongAudience(CredentialError):
    reason = Refusal.WRONG_AUDIENCE


class StaleKeyBinding(CredentialError):
    reason = Refusal.STALE_BINDING


class VerifierNotAllowed(CredentialError):
    reason = Refusal.VERIFIER_NOT_ALLOWED


class RequestExpired(CredentialError):
    reason = Refusal.REQUEST_EXPIRED


class NoQualifyingCredential(CredentialError):
    reason = Refusal.NO_QUALIFYING


class AttestationCapReached(CredentialError):
    reason = Refusal.ATTESTATION_CAP


class AlreadyHeld(CredentialError):
    reason = Refusal.ALREADY_HELD


class NoDeliveryKey(CredentialError):
    """The request asks for delivery through the county, but the trust list holds no encryption key for its
    verifier: the presentation could only travel readable, so it is not made."""

    reason = Refusal.NO_DELIVERY_KEY
