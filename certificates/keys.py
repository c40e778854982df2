"""Certificate signing keys: making, loading and naming them, with no Django models, so the
settings can check a key at start-up (certificates/signing.py signs with it)."""

import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured

KID_BYTES = 8
COORDINATE_BYTES = 32


def key_generate_pem() -> str:
    """A new private signing key, PEM (PKCS #8), for `certificates keygen`."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def private_key_load(pem: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key from PEM text, or ImproperlyConfigured saying what is wrong."""
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "The certificate signing key is not a PEM private key without a password: make "
            "one with `python manage.py certificates keygen`."
        ) from error
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured("The certificate signing key must be an ECDSA P-256 key.")
    return key


def key_id(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The first 8 bytes of the SHA-256 of the key's SubjectPublicKeyInfo (as the EU
    certificate's key ids)."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).digest()[:KID_BYTES]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_pem(public_key: ec.EllipticCurvePublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def jwk(kid: bytes, public_key: ec.EllipticCurvePublicKey) -> dict:
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(numbers.x.to_bytes(COORDINATE_BYTES, "big")),
        "y": b64url(numbers.y.to_bytes(COORDINATE_BYTES, "big")),
        "kid": b64url(kid),
        "alg": "ES256",
        "use": "sig",
    }
