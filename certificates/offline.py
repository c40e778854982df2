"""The verdict an officer's phone gives with no signal, worked out the same way here for
`manage.py certificates verify-qr`: from the QR text, the published keys and the signed
status list alone, never the certificate's row. The scanner (static/js/scan.js) applies the
same rules in the same order and words.

Nothing but a payload signed by a published key of this site, unaltered, whose status the
list says still holds and whose expiry has not passed, is ever "Valid".
"""

import gzip
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import ec

from .signing import MAX_TEXT_LENGTH, NotGenuine, b32_decode, cose_open

VALID = "Valid"
EXPIRED = "Expired"
REVOKED = "Revoked"
NOT_GENUINE = "Not genuine"
CANNOT_CHECK = "Cannot check"
# A status list older than this is still used, with a warning to connect and refresh.
LIST_STALE_AFTER = timedelta(hours=24)
VERIFY_PATH = re.compile(r"/verify/([^/#?]{1,80})/")
NO_LIST = (
    "No trustworthy list of revoked certificates on this phone yet. Connect to the "
    "internet and open the scanner."
)
UNSIGNED_LINK = (
    "This QR code is only a link, with no signed details, so it can only be checked online."
)


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str = ""
    claims: dict = field(default_factory=dict)
    list_made_at: datetime | None = None
    list_stale: bool = False


@dataclass(frozen=True)
class StatusList:
    made_at: datetime
    size: int
    bits: bytes

    def holds(self, index: int) -> bool:
        """False when the bit is set (revoked, replaced or withdrawn); an index past the
        list's end is a certificate newer than the list, not revoked when it was made."""
        if index >= self.size:
            return True
        return not self.bits[index // 8] & (0x80 >> (index % 8))


def status_list_open(
    signed: bytes | None, *, keys: dict[bytes, ec.EllipticCurvePublicKey]
) -> StatusList | None:
    """The status list if it is genuine and whole, otherwise None (never trust a list that
    fails its signature: a forged one could clear any revocation)."""
    if not signed:
        return None
    try:
        claims = cose_open(signed, keys=keys)
        bits = gzip.decompress(claims["bits"])
        size = claims["size"]
        made_at = datetime.fromtimestamp(claims["iat"], tz=UTC)
    except (NotGenuine, KeyError, TypeError, ValueError, OSError, EOFError, zlib.error):
        return None
    if not isinstance(size, int) or len(bits) * 8 != size:
        return None
    return StatusList(made_at=made_at, size=size, bits=bits)


def fragment_of(text: str) -> tuple[str, str | None]:
    """The signed part of a QR text (after "#", or the whole text), and the code in its
    /verify/<code>/ link if it is a link."""
    if "#" not in text:
        return text, None
    link, fragment = text.split("#", 1)
    match = VERIFY_PATH.search(link)
    return fragment, match.group(1) if match else ""


def verdict(
    text: str,
    *,
    keys: dict[bytes, ec.EllipticCurvePublicKey],
    status_list: StatusList | None,
    today: date,
    now: datetime,
) -> Verdict:
    text = text.strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        return Verdict(NOT_GENUINE, "This is not a Spot the Signs certificate code.")
    fragment, link_code = fragment_of(text)
    if link_code is None and VERIFY_PATH.search(text):
        # A certificate printed before QR codes were signed: not forged, just not checkable.
        return Verdict(CANNOT_CHECK, UNSIGNED_LINK)
    try:
        claims = cose_open(b32_decode(fragment), keys=keys)
    except ValueError:
        return Verdict(NOT_GENUINE, "This is not a Spot the Signs certificate code.")
    except NotGenuine as error:
        return Verdict(NOT_GENUINE, str(error))
    if link_code is not None and link_code != claims.get("c"):
        return Verdict(NOT_GENUINE, "The link and the signed details name different certificates.")
    if status_list is None:
        return Verdict(CANNOT_CHECK, NO_LIST, claims)
    index = claims.get("s")
    stale = now - status_list.made_at > LIST_STALE_AFTER
    checked = {"claims": claims, "list_made_at": status_list.made_at, "list_stale": stale}
    if not isinstance(index, int) or index < 0:
        return Verdict(NOT_GENUINE, "This is not a Spot the Signs certificate code.")
    if not status_list.holds(index):
        return Verdict(REVOKED, "Revoked or replaced.", **checked)
    expiry = claims.get("x")
    if expiry is not None and date.fromisoformat(expiry) < today:
        return Verdict(EXPIRED, f"Expired on {expiry}.", **checked)
    return Verdict(VALID, **checked)
