"""The body of each transaction type, validated at the border (building, receiving, verifying).

Adding a transaction type means adding its model here and its signer rules in `REQUIRED_ROLES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kiosk.errors import DomainError

_DID = r"^did:lxt:[0-9]{6}:[1-9A-HJ-NP-Za-km-z]{16,24}$"
_B64U = r"^[A-Za-z0-9_-]*$"


class InvalidBody(DomainError):
    """A transaction body that does not match its type's schema."""


class EnrolMode(StrEnum):
    SELF = "self"  # the villager alone
    ASSISTED = "assisted"  # a cadre stood by and co-signs as witness
    PROXY = "proxy"  # a cadre operated the screen for a villager who could not; recorded as such


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class KeyEventJson(_Body):
    event: dict[str, Any]
    sig: str | None = Field(None, pattern=_B64U)


class Evidence(_Body):
    alg: Literal["hpke-x25519-sha256-aes256gcm"]
    kid: str = Field(pattern=r"^[0-9a-f]{16}$", description="first 8 bytes (hex) of SHA-256 of the county key")
    ct: str = Field(pattern=_B64U, max_length=400_000)


class Consent(_Body):
    version: int = Field(ge=1)
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class FaceMatchJson(_Body):
    score: int = Field(ge=0, le=1000)
    method: str


class FaceSummary(_Body):
    method: str
    quality: int = Field(ge=0, le=100)
    live: bool
    match: FaceMatchJson | None


class IdentityEnrollBody(_Body):
    did: str = Field(pattern=_DID)
    inception: KeyEventJson
    mode: Literal["self", "assisted", "proxy"]  # an EnrolMode value
    witness: str | None = Field(None, pattern=_DID)
    consent: Consent
    identity_check: Literal["face_match", "face_only", "cadre"]
    face: FaceSummary | None
    evidence: Evidence


class DidRotateBody(_Body):
    did: str = Field(pattern=_DID)
    event: KeyEventJson
    witness: str | None = Field(None, pattern=_DID)


_HEX64 = r"^[0-9a-f]{64}$"


class ConsentReceiptBody(_Body):
    """What a villager agreed to show, to whom, for what (docs/credentials.md); claim names, never values."""

    did: str = Field(pattern=_DID)
    verifier: str = Field(min_length=1, max_length=200)
    verifier_name: str = Field(min_length=1, max_length=60)
    purpose: str = Field(min_length=1, max_length=60)
    vct: str = Field(min_length=1, max_length=100)
    credential: str = Field(pattern=_HEX64, description="SHA-256 of the issuer-signed JWT shown")
    issuer: str = Field(min_length=1, max_length=200)
    claims: list[str] = Field(min_length=1, max_length=40)
    nonce: str = Field(min_length=16, max_length=128)
    presentation_sha256: str = Field(pattern=_HEX64)
    delivery: Literal["qr", "county"]  # county: sealed to the verifier inside a transaction (loan.apply)


class AttestPeerBody(_Body):
    """One villager vouched for another (互证): who for whom, how related, until when; the text only hashed."""

    attester: str = Field(pattern=_DID)
    subject: str = Field(pattern=_DID)
    credential: str = Field(pattern=_HEX64)
    relation: str = Field(min_length=1, max_length=20)
    statement_sha256: str = Field(pattern=_HEX64)
    expires_s: int = Field(ge=0)


_APPLICATION = r"^D[0-9]{8}[0-9A-F]{8}$"
_REF = r"^[a-z0-9][a-z0-9_.:-]{1,63}$"


class LoanDisclosure(_Body):
    """Which claims of which credential the bank was shown: names, never values (those are sealed to the bank)."""

    vct: str = Field(min_length=1, max_length=100)
    credential: str = Field(pattern=_HEX64, description="SHA-256 of the issuer-signed JWT shown")
    claims: list[str] = Field(min_length=1, max_length=20)


class LoanMaterial(_Body):
    id: str = Field(pattern=_REF)
    sha256: str = Field(pattern=_HEX64, description="of the page JPEG sealed to the bank")
    sharpness: int = Field(ge=0)


class LoanApplyBody(_Body):
    """A loan application (docs/transactions.md): the product, amount in fen, term, and what was shown."""

    application: str = Field(pattern=_APPLICATION)
    did: str = Field(pattern=_DID)
    bank: str = Field(pattern=_REF)
    product: str = Field(pattern=_REF)
    catalog_version: int = Field(ge=1)
    amount_fen: int = Field(ge=1, le=10**12)
    term_months: int = Field(ge=1, le=360)
    purpose: str = Field(min_length=1, max_length=60)
    disclosures: list[LoanDisclosure] = Field(min_length=1, max_length=7)
    materials: list[LoanMaterial] = Field(max_length=6)
    nonce: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    sealed: Evidence = Field(description="HPKE to the bank's catalog key: presentations and page JPEGs")


class LoanWithdrawBody(_Body):
    application: str = Field(pattern=_APPLICATION)
    did: str = Field(pattern=_DID)
    apply_tx: str = Field(pattern=_HEX64, description="the id of the loan.apply being withdrawn")


class PensionFace(_Body):
    """How the live face was judged: scores, never the image or the template."""

    method: str = Field(min_length=1, max_length=120)
    quality: int = Field(ge=0, le=100)
    live: bool
    score: int = Field(ge=0, le=1000, description="1:1 match against the face enrolled on the kiosk")
    threshold: int = Field(ge=0, le=1000, description="the score the kiosk needed (enrolment.face_match_min_score)")


class PensionProofOfLifeBody(_Body):
    """The yearly pension qualification check (养老待遇资格认证, docs/transactions.md): who, which year, how it went."""

    did: str = Field(pattern=_DID)
    period: str = Field(pattern=r"^20[0-9]{2}$", description="the year the check is for")
    outcome: Literal["passed", "failed"]
    check: Literal["face_match", "cadre"]
    reason: Literal["not_live", "no_match", "no_face"] | None = None
    face: PensionFace | None
    tries: int = Field(ge=0, le=10)
    witness: str | None = Field(None, pattern=_DID)
    clock: Literal["ntp", "rtc", "floor"]

    @model_validator(mode="after")
    def _consistent(self) -> PensionProofOfLifeBody:
        if (self.outcome == "failed") != (self.reason is not None):
            raise ValueError("a failed check says why, and only a failed one")
        if (self.check == "cadre") != (self.witness is not None):
            raise ValueError("a cadre's check names the cadre as witness, and only a cadre's check")
        if self.check == "cadre" and self.outcome != "passed":
            raise ValueError("a cadre's check is recorded only when the cadre confirms the person")
        if self.witness == self.did:
            raise ValueError("nobody witnesses their own pension check")
        face = self.face
        matched = face is not None and face.live and face.score >= face.threshold
        if self.outcome == "passed" and self.check == "face_match" and not matched:
            raise ValueError("a passed face check needs a live face that matched")
        return self


class ServiceRequestBody(_Body):
    """A government service request (docs/transactions.md): which form of which office, and what was shown.

    Field ids and claim names only: the answers, the presentations and the page JPEGs are sealed to the office.
    """

    request: str = Field(pattern=r"^S[0-9]{8}[0-9A-F]{8}$")
    did: str = Field(pattern=_DID)
    office: str = Field(pattern=_REF)
    service: str = Field(pattern=_REF)
    catalog_version: int = Field(ge=1)
    fields: list[str] = Field(max_length=30, description="the ids of the typed fields answered, never the answers")
    disclosures: list[LoanDisclosure] = Field(max_length=7, description="the credentials that pre-filled the form")
    materials: list[LoanMaterial] = Field(max_length=6)
    nonce: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    sealed: Evidence = Field(description="HPKE to the office's catalog key: answers, presentations, page JPEGs")


class PresentationDeliverBody(_Body):
    """A presentation delivered through the county (docs/transactions.md): to whom, answering which request.

    Nothing personal in the clear: the presentation and the request travel sealed to the verifier's `enc` key.
    """

    did: str = Field(pattern=_DID)
    request: str = Field(pattern=_HEX64, description="SHA-256 of the compact request answered")
    verifier: str = Field(min_length=1, max_length=200, description="the verifier id from the trust list")
    nonce: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
    sealed: Evidence = Field(description="HPKE to the verifier's enc key: the presentation and the request")


BODY_MODELS: dict[str, type[_Body]] = {
    "identity.enroll": IdentityEnrollBody,
    "did.rotate": DidRotateBody,
    "consent.receipt": ConsentReceiptBody,
    "attest.peer": AttestPeerBody,
    "loan.apply": LoanApplyBody,
    "loan.withdraw": LoanWithdrawBody,
    "service.request": ServiceRequestBody,
    "pension.proof_of_life": PensionProofOfLifeBody,
    "presentation.deliver": PresentationDeliverBody,
}


def validate_body(tx_type: str, body: Mapping[str, Any]) -> _Body:
    model = BODY_MODELS.get(tx_type)
    if model is None:
        raise InvalidBody(f"unknown transaction type {tx_type[:40]!r}")
    try:
        return model.model_validate(dict(body))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidBody(f"{tx_type} body: {where}: {first['msg']}") from exc
