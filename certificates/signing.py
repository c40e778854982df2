"""Signed certificates: what an officer's phone checks with no signal.

Every certificate's QR code is a normal link to `/verify/<code>/`, and its fragment (which a
browser never sends to the server) carries a COSE_Sign1 message (RFC 9052, as the EU Digital
COVID Certificate uses): ECDSA P-256 with SHA-256 (ES256) over a CBOR map of exactly what the
verify page shows. The fragment is base32, whose alphabet a QR code stores in its compact
alphanumeric mode. The officer's scanner (static/js/scan.js) and `manage.py certificates
verify-qr` (offline.py) check it against the keys published at `/verify/keys.json`.

The signing key comes from the environment or a file (settings.CERTIFICATE_SIGNING_KEY),
never the repository. Each key's public half is recorded (SigningKey) the first time it
signs, so it stays published after the next key replaces it; withdrawing it stops anything
it signed from checking as genuine.

All cryptography is the `cryptography` library's; CBOR is `cbor2`'s.
"""

import base64
from datetime import date
from functools import cache

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .keys import (
    COORDINATE_BYTES,
    b64url,
    b64url_decode,
    key_id,
    private_key_load,
    public_key_pem,
)
from .links import public_url, verify_url
from .models import Certificate, SigningKey

ES256 = -7
COSE_SIGN1_TAG = 18
COSE_SIGN1_PARTS = 4  # protected header, unprotected header, payload, signature
HEADER_ALG = 1
HEADER_KID = 4
# Longest QR text (and fragment) looked at: a certificate's is about 500 characters.
MAX_TEXT_LENGTH = 2000


class NotGenuine(Exception):
    """A payload that did not come, unaltered, from this site's keys; the message says why
    in words an officer can act on."""


@cache
def private_key_from(pem: str) -> ec.EllipticCurvePrivateKey:
    return private_key_load(pem)


def signing_key() -> ec.EllipticCurvePrivateKey:
    pem = settings.CERTIFICATE_SIGNING_KEY
    if not pem:
        raise ImproperlyConfigured(
            "No certificate signing key: set CERTIFICATE_SIGNING_KEY_FILE (make one with "
            "`python manage.py certificates keygen --out FILE`)."
        )
    return private_key_from(pem)


def b32(data: bytes) -> str:
    return base64.b32encode(data).rstrip(b"=").decode("ascii")


def b32_decode(text: str) -> bytes:
    """Raises ValueError for anything but unpadded upper-case base32."""
    if text != text.upper() or "=" in text:
        raise ValueError("not unpadded upper-case base32")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def signing_key_id() -> bytes:
    """The signing key's id, worked out from the key alone."""
    return key_id(signing_key().public_key())


def current_key_id() -> bytes:
    """The signing key's id, recorded as published (once) before it signs anything."""
    kid = signing_key_id()
    SigningKey.objects.get_or_create(
        kid=b64url(kid), defaults={"public_key": public_key_pem(signing_key().public_key())}
    )
    return kid


def signing_key_withdraw(*, kid: str) -> None:
    """Stop publishing a key (after it leaked, say): all it signed shows "Not genuine". The
    key signing now cannot be withdrawn: replace it first."""
    if kid == b64url(signing_key_id()):
        raise ValueError("That is the key signing now: set a new key first, then withdraw it.")
    updated = SigningKey.objects.filter(kid=kid, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:
        raise ValueError(f"No published key has the id {kid!r}.")


def published_keys() -> dict[bytes, ec.EllipticCurvePublicKey]:
    """Every key whose signatures are genuine: the current one and those it replaced, but
    never a withdrawn one."""
    current_key_id()
    return {
        b64url_decode(record.kid): serialization.load_pem_public_key(
            record.public_key.encode("ascii")
        )
        for record in SigningKey.objects.filter(withdrawn_at__isnull=True)
    }


def issuer() -> str:
    """Which site signed: its public address. A payload from another site never checks."""
    return public_url("").rstrip("/")


def to_be_signed(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def cose_sign(claims: dict) -> bytes:
    """A COSE_Sign1 message over `claims`, signed with the current key."""
    protected = cbor2.dumps({HEADER_ALG: ES256, HEADER_KID: current_key_id()})
    payload = cbor2.dumps(claims)
    der = signing_key().sign(to_be_signed(protected, payload), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(COORDINATE_BYTES, "big") + s.to_bytes(COORDINATE_BYTES, "big")
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def cose_open(message: bytes, *, keys: dict[bytes, ec.EllipticCurvePublicKey]) -> dict:
    """The claims of a COSE_Sign1 message one of `keys` signed, or NotGenuine."""
    try:
        decoded = cbor2.loads(message)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError) as error:
        raise NotGenuine("This is not a Spot the Signs certificate code.") from error
    if (
        not isinstance(decoded, cbor2.CBORTag)
        or decoded.tag != COSE_SIGN1_TAG
        or not isinstance(decoded.value, list | tuple)  # a tag's array decodes as a tuple
        or len(decoded.value) != COSE_SIGN1_PARTS
    ):
        raise NotGenuine("This is not a Spot the Signs certificate code.")
    protected, _unprotected, payload, signature = decoded.value
    if not all(isinstance(part, bytes) for part in (protected, payload, signature)):
        raise NotGenuine("This is not a Spot the Signs certificate code.")
    try:
        header = cbor2.loads(protected)
    except (cbor2.CBORDecodeError, ValueError, TypeError) as error:
        raise NotGenuine("This is not a Spot the Signs certificate code.") from error
    if not isinstance(header, dict) or header.get(HEADER_ALG) != ES256:
        raise NotGenuine("This is not a Spot the Signs certificate code.")
    public_key = keys.get(header.get(HEADER_KID))
    if public_key is None:
        raise NotGenuine("Signed with a key this site does not publish.")
    if len(signature) != 2 * COORDINATE_BYTES:
        raise NotGenuine("The signature does not match: the certificate has been altered.")
    der = encode_dss_signature(
        int.from_bytes(signature[:COORDINATE_BYTES], "big"),
        int.from_bytes(signature[COORDINATE_BYTES:], "big"),
    )
    try:
        public_key.verify(der, to_be_signed(protected, payload), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise NotGenuine(
            "The signature does not match: the certificate has been altered."
        ) from error
    claims = cbor2.loads(payload)
    if not isinstance(claims, dict):
        raise NotGenuine("This is not a Spot the Signs certificate code.")
    if claims.get("iss") != issuer():
        raise NotGenuine("Issued by another site, not this one.")
    return claims


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def certificate_claims(certificate: Certificate) -> dict:
    """Only what the verify page shows, and where its status sits in the status list."""
    return {
        "iss": issuer(),
        "c": certificate.code,
        "n": certificate.full_name,
        "t": certificate.course_title,
        "v": certificate.course_version,
        "i": certificate.issuer_name,
        "l": [[licence["authority"], licence["number"]] for licence in certificate.licences],
        "d": iso(certificate.completed_on),
        "x": iso(certificate.valid_until),
        "s": certificate.pk,
    }


def qr_text(certificate: Certificate) -> str:
    """What the certificate's QR code holds: its verify link, the signed payload after "#"."""
    return f"{verify_url(certificate)}#{b32(cose_sign(certificate_claims(certificate)))}"
