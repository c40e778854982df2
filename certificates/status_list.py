"""Which certificates no longer hold, for phones with no signal: a signed status list.

As the W3C Bitstring Status List: one bit per certificate, at the index its QR payload
carries (the certificate's id), 1 when it no longer holds: revoked, replaced by a newer
certificate, its holder's account closed, or erased. The bitstring is gzipped and signed as
a COSE_Sign1 message with the certificate signing key (certificates.signing), whose claims
say which site made it and when. Bits past the newest certificate are 0: a certificate
issued after a phone's list was made is checked against that list as "not revoked then".

The list is at least 16 KB of bits (131,072 certificates), as the W3C recommends, so its
size says little about how many certificates there are. It is kept in the cache and made
afresh after every change of a certificate's standing (each service that makes one says
so: certificates.services, certificates.retention) and at least every STATUS_LIST_SECONDS,
so the time it states, which the scanner shows the officer, is recent.
The verify page online stays the source of truth.
"""

import gzip
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from .models import Certificate
from .signing import cose_sign, issuer

CACHE_KEY = "certificates:status-list"
STATUS_LIST_SECONDS = 15 * 60
MINIMUM_BITS = 131_072


def holding_ids() -> list[int]:
    """Certificates that still hold, unless they have expired (the payload says when)."""
    return list(
        Certificate.objects.standing()
        .filter(learner_closed_at__isnull=True)
        .values_list("pk", flat=True)
    )


def bitstring(*, newest_id: int, holding: list[int]) -> tuple[bytes, int]:
    """The bits (most significant bit of byte 0 is index 0) and how many there are."""
    size = max(MINIMUM_BITS, (newest_id // 8 + 1) * 8)
    bits = bytearray(size // 8)
    for index in range(newest_id // 8 + 1):
        bits[index] = 0xFF
    # Bits past the newest certificate stay 0 (see the module's docstring).
    spare = 7 - newest_id % 8
    bits[newest_id // 8] &= 0xFF ^ ((1 << spare) - 1)
    for index in holding:
        bits[index // 8] &= 0xFF ^ (0x80 >> (index % 8))
    return bytes(bits), size


def status_list_build() -> bytes:
    newest_id = Certificate.objects.aggregate(newest=Max("pk"))["newest"] or 0
    return status_list_sign(newest_id=newest_id, holding=holding_ids())


def status_list_sign(*, newest_id: int, holding: list[int]) -> bytes:
    """The signed list for certificates up to `newest_id`, of which `holding` still hold."""
    bits, size = bitstring(newest_id=newest_id, holding=holding)
    return cose_sign(
        {
            "iss": issuer(),
            "iat": int(time.time()),
            "size": size,
            "bits": gzip.compress(bits, compresslevel=9, mtime=0),
        }
    )


def status_list() -> bytes:
    """The signed list, from the cache while no certificate has changed."""
    signed = cache.get(CACHE_KEY)
    if signed is None:
        signed = status_list_build()
        cache.set(CACHE_KEY, signed, STATUS_LIST_SECONDS)
    return signed


def status_list_changed() -> None:
    """A certificate's standing changed: the next request makes the list afresh, and so does
    the first after the change commits (a list made from the rows as they were before must
    not outlive it)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
