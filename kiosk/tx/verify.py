"""The one transaction verifier, used by the kiosk before it queues and by the county bridge before it commits.

It checks that `id` is the hash of the unsigned envelope, that the body fits its type, that exactly the
signers the type needs have signed, and that each signature verifies under the key its role resolves to:
the device key of the registered kiosk, the villager key from the DID (from the body itself for the
self-certifying `identity.enroll` and `did.rotate`), the cadre key of the witness named in the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.crypto.encoding import unb64u
from kiosk.crypto.suites import get_suite
from kiosk.errors import VerificationError
from kiosk.identity import did as didm
from kiosk.tx.bodies import DidRotateBody, IdentityEnrollBody, validate_body
from kiosk.tx.envelope import Envelope, Signature, SignerRole, compute_id, signing_message


@dataclass(frozen=True, slots=True)
class PublicKey:
    suite: str
    key: bytes


class KeyResolver(Protocol):
    def device_key(self, county: str, kiosk: str) -> PublicKey:
        """The registered key of a kiosk; raises VerificationError for an unknown or revoked kiosk."""
        ...

    def villager_key(self, kid: str) -> PublicKey:
        """The key a DID had at the version `kid` names; raises VerificationError if unknown."""
        ...


def device_kid(county: str, kiosk: str) -> str:
    return f"kiosk:{county}:{kiosk}"


def _required_roles(env: Envelope, body: object) -> set[SignerRole]:
    roles = {SignerRole.VILLAGER, SignerRole.DEVICE}
    witness = getattr(body, "witness", None)
    if isinstance(body, IdentityEnrollBody) and body.mode != "self" and witness is None:
        raise VerificationError("an assisted or proxy enrolment must name its witness")
    if isinstance(body, IdentityEnrollBody) and body.identity_check == "cadre" and witness is None:
        raise VerificationError("only a cadre witness can stand in for the face check")
    if isinstance(body, DidRotateBody) and witness is None:
        raise VerificationError("a key rotation needs a cadre witness")
    if witness is not None:
        roles.add(SignerRole.CADRE)
    return roles


def _self_certified_key(body: object) -> tuple[str, PublicKey] | None:
    """For enrol and rotate the villager key travels in the body, checked against the DID itself."""
    if isinstance(body, IdentityEnrollBody):
        ev = didm.KeyEvent.from_json(body.inception.model_dump())
        state = didm.resolve(body.did, [ev])
        return state.kid, PublicKey(state.suite, state.public_key)
    if isinstance(body, DidRotateBody):
        ev = didm.KeyEvent.from_json(body.event.model_dump())
        e = ev.event
        if e.get("did") != body.did:
            raise VerificationError("the rotation event names another DID")
        return didm.key_id(body.did, ev.n), PublicKey(str(e.get("suite")), _b64(e.get("key")))
    return None


def _b64(value: object) -> bytes:
    if not isinstance(value, str):
        raise VerificationError("key is not base64url text")
    return unb64u(value)


def _key_for(sig: Signature, env: Envelope, body: object, resolver: KeyResolver) -> PublicKey:
    if sig.role is SignerRole.DEVICE:
        if sig.kid != device_kid(env.county, env.kiosk):
            raise VerificationError("the device signature is not by the kiosk the envelope names")
        return resolver.device_key(env.county, env.kiosk)
    if sig.role is SignerRole.CADRE:
        witness = getattr(body, "witness", None)
        if witness is None or didm.split_key_id(sig.kid)[0] != witness:
            raise VerificationError("the cadre signature is not by the witness the body names")
        return resolver.villager_key(sig.kid)
    own = _self_certified_key(body)
    if own is not None:
        if sig.kid != own[0]:
            raise VerificationError("the villager signature is not by the key the body establishes")
        return own[1]
    return resolver.villager_key(sig.kid)


def verify(env: Envelope, resolver: KeyResolver) -> None:
    """Raise VerificationError (or InvalidBody) unless the envelope is whole and signed as its type needs."""
    if compute_id(env.unsigned()) != env.id:
        raise VerificationError("envelope id is not the hash of its content")
    body = validate_body(env.type, env.body)
    roles = [s.role for s in env.sigs]
    if len(set(roles)) != len(roles):
        raise VerificationError("a role signed twice")
    required = _required_roles(env, body)
    if set(roles) != required:
        missing = sorted(r.value for r in required - set(roles))
        extra = sorted(r.value for r in set(roles) - required)
        raise VerificationError(f"signers do not fit {env.type}: missing {missing}, unexpected {extra}")
    message = signing_message(env.id)
    for sig in env.sigs:
        key = _key_for(sig, env, body, resolver)
        if sig.suite != key.suite:
            raise VerificationError(f"the {sig.role.value} signature uses another suite than its key")
        get_suite(key.suite).verify(key.key, message, sig.sig)
