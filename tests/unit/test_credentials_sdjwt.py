"""The SD-JWT VC format layer: issue, present with key binding, verify, and every way it must refuse."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

import pytest

from kiosk.credentials import jose, sdjwt
from kiosk.credentials.errors import (
    BadSignature,
    CredentialError,
    CredentialExpired,
    CredentialNotYetValid,
    ForgedDisclosure,
    MalformedCredential,
    NotBoundToHolder,
    OversizedInput,
    Refusal,
    StaleKeyBinding,
    WrongAudience,
    WrongNonce,
)
from kiosk.crypto.suites import Signer, get_suite
from kiosk.messages import MESSAGES

NOW = 1_800_000_000
CLAIMS = {"hospital": "望京医院", "hospital_grade": "三甲", "date": "2025-05-01", "conclusion": "合格"}


def _signer(suite: str) -> Signer:
    s = get_suite(suite)
    return s.signer(s.generate())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class World:
    def __init__(self, issuer_suite: str = "ecdsa-p256", holder_suite: str = "ed25519") -> None:
        self.issuer = _signer(issuer_suite)
        self.holder = _signer(holder_suite)
        self.issuer_jwk = jose.public_jwk(issuer_suite, self.issuer.public_key)
        self.holder_jwk = jose.public_jwk(holder_suite, self.holder.public_key)

    def issue(self, **overrides: Any) -> str:
        args: dict[str, Any] = {
            "signer": self.issuer,
            "iss": "did:web:wangjing.example",
            "kid": "k1",
            "vct": "urn:lxt:vct:health_exam:1",
            "claims": CLAIMS,
            "holder_jwk": self.holder_jwk,
            "iat": NOW - 100,
            "exp": NOW + 86_400,
        }
        args.update(overrides)
        return sdjwt.issue(**args)

    def lookup(self, iss: str, kid: str | None, vct: str) -> Mapping[str, Any]:
        return self.issuer_jwk

    def verify(self, token: str, now: int = NOW) -> sdjwt.VerifiedSdJwt:
        return sdjwt.verify(token, self.lookup, now_s=now)

    def present(self, token: str, names: list[str], nonce: str = "n-1", aud: str = "jtj") -> str:
        return sdjwt.present(token, names, nonce=nonce, aud=aud, signer=self.holder, now_s=NOW)

    def check(self, pres: str, nonce: str = "n-1", aud: str = "jtj", now: int = NOW) -> sdjwt.VerifiedSdJwt:
        return sdjwt.verify_key_binding(pres, self.verify(pres, now), nonce=nonce, aud=aud, now_s=now)


@pytest.fixture
def world() -> World:
    return World()


@pytest.mark.parametrize("issuer_suite", ["ecdsa-p256", "ed25519"])
@pytest.mark.parametrize("holder_suite", ["ed25519", "ecdsa-p256"])
def test_issue_present_and_verify_with_every_suite(issuer_suite: str, holder_suite: str) -> None:
    w = World(issuer_suite, holder_suite)
    cred = w.issue()
    held = w.verify(cred)
    assert held.claims == CLAIMS
    assert held.header["typ"] == "dc+sd-jwt"
    assert held.header["alg"] == jose.ALG_OF_SUITE[issuer_suite]
    assert held.vct == "urn:lxt:vct:health_exam:1"
    assert held.holder_jwk == w.holder_jwk
    pres = w.present(cred, ["conclusion", "date"])
    shown = w.check(pres)
    assert shown.claims == {"conclusion": "合格", "date": "2025-05-01"}
    assert shown.kb_payload is not None and shown.kb_payload["nonce"] == "n-1"
    _, kb_payload, _, _ = jose.split_compact(pres.rsplit("~", 1)[1])
    assert kb_payload["aud"] == "jtj" and kb_payload["iat"] == NOW


def test_undisclosed_claims_do_not_travel(world: World) -> None:
    pres = world.present(world.issue(), ["date"])
    assert "望京医院".encode("unicode_escape").decode() not in pres
    for part in pres.split("~")[1:-1]:
        assert "hospital" not in base64.urlsafe_b64decode(part + "==").decode()


def test_expired_and_not_yet_valid(world: World) -> None:
    with pytest.raises(CredentialExpired):
        world.verify(world.issue(exp=NOW - 1_000))
    with pytest.raises(CredentialNotYetValid):
        world.verify(world.issue(nbf=NOW + 3_600))
    with pytest.raises(CredentialNotYetValid):
        world.verify(world.issue(iat=NOW + 3_600))
    # Inside the allowed clock skew a slightly early or late kiosk still accepts it.
    world.verify(world.issue(exp=NOW - 10))


def test_another_issuer_key_is_a_bad_signature(world: World) -> None:
    other = World()
    with pytest.raises(BadSignature):
        other.verify(world.issue())


def test_the_trusted_key_decides_the_algorithm(world: World) -> None:
    ed = World("ed25519")
    cred = ed.issue()
    with pytest.raises(BadSignature):
        sdjwt.verify(cred, lambda *_: world.issuer_jwk, now_s=NOW)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not an sd-jwt",
        "a.b.c",
        "a.b~",
        "eyJhbGciOiJFUzI1NiJ9.e30.c2ln~",  # typ missing
        "eyJ0eXAiOiJkYytzZC1qd3QifQ.bm90IGpzb24.c2ln~",  # payload not JSON
        "eyJ0eXAiOiJkYytzZC1qd3QifQ.e30.c2ln~~",  # an empty disclosure
        "eyJ0eXAiOiJkYytzZC1qd3QifQ.e30.c2ln~!!!~",  # a disclosure that is not base64url
        "eyJ0eXAiOiJkYytzZC1qd3QifQ.e30.c2ln~WyJhIl0~",  # a disclosure of one element
        "eyJ0eXAiOiJkYytzZC1qd3QifQ.e30.c2ln~",  # no iss or vct
        "eyJ0eXAiOiJkYytzZC1qd3QifQ.e30.c2ln~维~",  # not ASCII
    ],
)
def test_malformed_sd_jwts_are_refused(world: World, token: str) -> None:
    with pytest.raises(MalformedCredential):
        world.verify(token)


def test_a_disclosure_naming_a_registered_claim_is_refused(world: World) -> None:
    cred = world.issue()
    evil = _b64(json.dumps(["salt", "iss", "did:evil"]).encode())
    with pytest.raises(MalformedCredential):
        world.verify(cred + evil + "~")
    with pytest.raises(MalformedCredential):
        world.issue(claims={"vct": "urn:other"})


def test_a_forged_disclosure_is_refused(world: World) -> None:
    cred = world.issue()
    jwt, *discs, _ = cred.split("~")
    for i, d in enumerate(discs):
        salt, name, _value = json.loads(base64.urlsafe_b64decode(d + "=="))
        if name == "hospital_grade":
            discs[i] = _b64(json.dumps([salt, name, "三甲(改)"]).encode())
    with pytest.raises(ForgedDisclosure):
        world.verify("~".join((jwt, *discs, "")))


def test_a_disclosure_whose_digest_is_missing_from_the_payload_is_refused(world: World) -> None:
    cred = world.issue()
    extra = _b64(json.dumps(["c2FsdHNhbHRzYWx0", "hospital_grade", "三甲"]).encode())
    with pytest.raises(ForgedDisclosure):
        world.verify(cred + extra + "~")


def test_a_changed_payload_breaks_the_signature(world: World) -> None:
    jwt, rest = world.issue().split("~", 1)
    h, p, s = jwt.split(".")
    payload = json.loads(base64.urlsafe_b64decode(p + "=="))
    payload["exp"] = NOW + 10 * 365 * 86_400
    forged = ".".join((h, _b64(json.dumps(payload).encode()), s))
    with pytest.raises(BadSignature):
        world.verify(forged + "~" + rest)


def test_wrong_nonce_audience_and_stale_binding(world: World) -> None:
    pres = world.present(world.issue(iat=NOW - 86_400), ["conclusion"])
    with pytest.raises(WrongNonce):
        world.check(pres, nonce="n-2")
    with pytest.raises(WrongAudience):
        world.check(pres, aud="someone-else")
    with pytest.raises(StaleKeyBinding):
        world.check(pres, now=NOW + 3_600)
    with pytest.raises(StaleKeyBinding):
        world.check(pres, now=NOW - 3_600)


def test_key_binding_must_be_by_the_holder_and_cover_the_disclosures(world: World) -> None:
    cred = world.issue()
    pres = world.present(cred, ["conclusion", "date"])
    with pytest.raises(NotBoundToHolder):  # no KB-JWT at all
        world.check(cred)
    jwt, d1, _d2, kb = pres.split("~")
    with pytest.raises(NotBoundToHolder):  # a disclosure dropped after the holder signed
        world.check("~".join((jwt, d1, kb)))
    thief = World()
    thief.issuer, thief.issuer_jwk = world.issuer, world.issuer_jwk
    with pytest.raises(NotBoundToHolder):  # someone else's key cannot present it
        sdjwt.present(cred, ["date"], nonce="n", aud="a", signer=thief.holder, now_s=NOW)
    body = pres.rsplit("~", 1)[0] + "~"
    kb_other = jose.sign_compact(
        {"typ": "kb+jwt"}, {"aud": "jtj", "iat": NOW, "nonce": "n-1", "sd_hash": sdjwt.sd_hash(body)}, thief.holder
    )
    with pytest.raises(NotBoundToHolder):
        world.check(body + kb_other)


def test_oversized_input_is_refused_before_parsing(world: World) -> None:
    with pytest.raises(OversizedInput):
        sdjwt.verify("a" * (sdjwt.MAX_QR_BYTES + 1), world.lookup, now_s=NOW, max_bytes=sdjwt.MAX_QR_BYTES)


def test_every_refusal_has_a_message_in_both_languages() -> None:
    for reason in Refusal:
        zh, en = MESSAGES[f"credential.{reason.value}"]
        assert zh and en
    err = ForgedDisclosure("detail for logs")
    assert isinstance(err, CredentialError) and err.message_key == "credential.forged_disclosure"
    assert "detail for logs" in str(err)
