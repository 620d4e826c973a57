"""Signature suites behind one interface, chosen by name.

A suite turns raw key bytes into signers and verifies signatures. Callers only hold a suite name and
bytes, so a 国密 suite (SM2 signatures over SM3) can be registered here later without touching them.
Signatures are fixed-length raw bytes (ECDSA as r‖s), so every suite's wire format is the same shape.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from typing import ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from kiosk.errors import DomainError, VerificationError


class UnknownSuite(DomainError):
    """A suite name that this kiosk does not know."""


class Signer(ABC):
    """A private key ready to sign. Call `wipe()` when done; it drops the key object."""

    suite: Suite
    public_key: bytes

    @abstractmethod
    def sign(self, message: bytes) -> bytes: ...

    @abstractmethod
    def wipe(self) -> None: ...


class Suite(ABC):
    name: ClassVar[str]
    private_key_len: ClassVar[int]
    signature_len: ClassVar[int]

    @abstractmethod
    def generate(self) -> bytearray:
        """A fresh private key as raw bytes (a bytearray, so the caller can zero it)."""

    @abstractmethod
    def signer(self, private_key: bytes | bytearray) -> Signer: ...

    @abstractmethod
    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> None:
        """Raise VerificationError unless `signature` is this suite's signature of `message`."""

    @abstractmethod
    def private_key_pem(self, private_key: bytes | bytearray) -> bytes:
        """PKCS#8 PEM of the key, for files that TLS libraries read (the device key)."""

    def digest(self, data: bytes) -> bytes:
        return hashlib.sha256(data).digest()


# --- Ed25519 ------------------------------------------------------------------------------------


class _Ed25519Signer(Signer):
    def __init__(self, suite: Suite, private_key: bytes | bytearray) -> None:
        if len(private_key) != 32:
            raise DomainError("an Ed25519 private key is 32 bytes")
        self.suite = suite
        self._key: ed25519.Ed25519PrivateKey | None = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(private_key))
        self.public_key = self._key.public_key().public_bytes_raw()

    def sign(self, message: bytes) -> bytes:
        if self._key is None:
            raise DomainError("signer was wiped")
        return self._key.sign(message)

    def wipe(self) -> None:
        self._key = None


class Ed25519Suite(Suite):
    name = "ed25519"
    private_key_len = 32
    signature_len = 64

    def generate(self) -> bytearray:
        return bytearray(ed25519.Ed25519PrivateKey.generate().private_bytes_raw())

    def signer(self, private_key: bytes | bytearray) -> Signer:
        return _Ed25519Signer(self, private_key)

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> None:
        if len(public_key) != 32 or len(signature) != 64:
            raise VerificationError("malformed Ed25519 key or signature")
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        except (InvalidSignature, ValueError) as exc:
            raise VerificationError("Ed25519 signature does not verify") from exc

    def private_key_pem(self, private_key: bytes | bytearray) -> bytes:
        key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(private_key))
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


# --- ECDSA P-256 with SHA-256 ---------------------------------------------------------------------


class _P256Signer(Signer):
    def __init__(self, suite: Suite, private_key: bytes | bytearray) -> None:
        if len(private_key) != 32:
            raise DomainError("a P-256 private key is 32 bytes")
        self.suite = suite
        self._key: ec.EllipticCurvePrivateKey | None = ec.derive_private_key(
            int.from_bytes(private_key, "big"), ec.SECP256R1()
        )
        self.public_key = self._key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )

    def sign(self, message: bytes) -> bytes:
        if self._key is None:
            raise DomainError("signer was wiped")
        r, s = decode_dss_signature(self._key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def wipe(self) -> None:
        self._key = None


class P256Suite(Suite):
    name = "ecdsa-p256"
    private_key_len = 32
    signature_len = 64

    def generate(self) -> bytearray:
        key = ec.generate_private_key(ec.SECP256R1())
        return bytearray(key.private_numbers().private_value.to_bytes(32, "big"))

    def signer(self, private_key: bytes | bytearray) -> Signer:
        return _P256Signer(self, private_key)

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> None:
        if len(signature) != 64:
            raise VerificationError("malformed P-256 signature")
        try:
            key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            key.verify(der, message, ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError) as exc:
            raise VerificationError("P-256 signature does not verify") from exc

    def private_key_pem(self, private_key: bytes | bytearray) -> bytes:
        key = ec.derive_private_key(int.from_bytes(private_key, "big"), ec.SECP256R1())
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


_SUITES: dict[str, Suite] = {s.name: s for s in (Ed25519Suite(), P256Suite())}


def get_suite(name: str) -> Suite:
    try:
        return _SUITES[name]
    except KeyError:
        raise UnknownSuite(f"unknown signature suite {name[:40]!r}") from None


def register_suite(suite: Suite) -> None:
    """Add a suite (e.g. SM2/SM3) at start-up; names are unique."""
    if suite.name in _SUITES:
        raise DomainError(f"suite {suite.name!r} is already registered")
    _SUITES[suite.name] = suite


def suite_names() -> tuple[str, ...]:
    return tuple(_SUITES)


def wipe(buf: bytearray) -> None:
    """Overwrite key bytes in place. Python may hold other copies; this removes the one we own."""
    for i in range(len(buf)):
        buf[i] = 0
