"""The verifier's check of a presentation, against the trust list and the status lists (`lxt-county verify`).

Everything a verifier must know before it relies on what it was shown: the issuer may issue this vct, its
signature and digests hold, the credential is within its validity and neither revoked nor suspended by a fresh
list, the key binding is by the holder the issuer bound, for this nonce and audience, and recent; and, given
the request it answers, the disclosed claims are the ones asked for from an accepted issuer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.credentials import sdjwt
from kiosk.credentials.errors import UntrustedIssuer, VerifierNotAllowed
from kiosk.credentials.kinds import validate_partial
from kiosk.credentials.request import RequestPayload
from kiosk.credentials.status import DEFAULT_MAX_AGE_S, StatusCheck, StatusLists
from kiosk.credentials.trust import TrustList
from kiosk.credentials.wallet import IssuerKeys
from kiosk.tx.verify import KeyResolver


@dataclass(frozen=True, slots=True)
class VerifiedPresentation:
    iss: str
    issuer_name: str
    issuer_grade: str | None
    vct: str
    claims: dict[str, Any]
    holder_jwk: dict[str, Any]
    status: StatusCheck
    issued_s: int
    expires_s: int | None

    def to_json(self) -> dict[str, Any]:
        """What `lxt-county verify` prints."""
        return {
            "iss": self.iss,
            "issuer_name": self.issuer_name,
            "issuer_grade": self.issuer_grade,
            "vct": self.vct,
            "claims": self.claims,
            "status": None if self.status.status is None else self.status.status.name.lower(),
            "status_as_of": self.status.as_of_s,
            "iat": self.issued_s,
            "exp": self.expires_s,
        }


def verify_presentation(
    token: str,
    *,
    trust: TrustList,
    lists: StatusLists,
    nonce: str,
    aud: str,
    now_s: int,
    villagers: KeyResolver | None = None,
    request: RequestPayload | None = None,
    status_max_age_s: int = DEFAULT_MAX_AGE_S,
    max_bytes: int = sdjwt.MAX_QR_BYTES,
) -> VerifiedPresentation:
    """Check a presentation and return its disclosed claims; raises the CredentialError that says why not."""
    keys = IssuerKeys(trust, villagers)
    verified = sdjwt.verify(token, keys.lookup, now_s=now_s, max_bytes=max_bytes)
    verified = sdjwt.verify_key_binding(token, verified, nonce=nonce, aud=aud, now_s=now_s)
    claims = validate_partial(verified.vct, verified.claims)
    status = lists.require_valid(verified.status, now_s, status_max_age_s)
    grade = keys.issuer_grade(verified.iss, verified.vct)
    if request is not None:
        _fits_request(request, verified.vct, verified.iss, grade, claims)
    return VerifiedPresentation(
        iss=verified.iss,
        issuer_name=keys.issuer_name(verified),
        issuer_grade=grade,
        vct=verified.vct,
        claims=claims,
        holder_jwk=verified.holder_jwk,
        status=status,
        issued_s=verified.iat,
        expires_s=verified.exp,
    )


def _fits_request(request: RequestPayload, vct: str, iss: str, grade: str | None, claims: dict[str, Any]) -> None:
    if vct != request.vct:
        raise VerifierNotAllowed("the presentation is of another credential type than the request")
    if request.accept.issuers and iss not in request.accept.issuers:
        raise UntrustedIssuer("the request does not accept this issuer")
    if request.accept.grades and grade not in request.accept.grades:
        raise UntrustedIssuer("the request does not accept this issuer's grade")
    if set(claims) != set(request.claims):
        raise VerifierNotAllowed("the presentation does not disclose exactly the claims asked for")
