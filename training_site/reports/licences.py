"""Licensing officers' look-ups: one licence, a pasted batch, and who is expiring.

A driver's standing is read from their current certificates for courses written for licence
holders: valid (until when), expired (on when), revoked, or none.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import QuerySet

from certificates.models import Certificate, Status, standing_condition
from training_site.people.models import Borough, Licence
from training_site.people.validators import LICENCE_NUMBER_PATTERN, normalise_licence_number

from .selectors import licence_course_ids

BATCH_LIMIT = 500
BATCH_TOO_LONG = (
    f"Paste at most {BATCH_LIMIT} licence numbers at a time; this list has more. "
    "Split it into smaller batches."
)


@dataclass
class BatchLine:
    number: str
    typed: list[str] = field(default_factory=list)
    valid: bool = True


@dataclass(frozen=True)
class ParsedBatch:
    lines: list[BatchLine]
    blank_lines: int
    duplicate_lines: int


class BatchTooLong(ValueError):
    pass


LINE_SPLIT = re.compile(r"[\r\n,;]+")


def batch_parse(text: str) -> ParsedBatch:
    """One licence number per line (commas and semicolons also separate). Numbers are
    matched as the licence form stores them: upper case without spaces, dashes, slashes or
    dots. Blank lines are skipped and duplicates answered once."""
    by_number: dict[str, BatchLine] = {}
    blank = duplicates = 0
    for raw in LINE_SPLIT.split(text):
        if not raw.strip():
            blank += 1
            continue
        number = normalise_licence_number(raw)
        if number in by_number:
            duplicates += 1
            by_number[number].typed.append(raw.strip())
            continue
        if len(by_number) >= BATCH_LIMIT:
            raise BatchTooLong(BATCH_TOO_LONG)
        by_number[number] = BatchLine(
            number=number,
            typed=[raw.strip()],
            valid=bool(LICENCE_NUMBER_PATTERN.match(number)),
        )
    return ParsedBatch(
        lines=list(by_number.values()), blank_lines=blank, duplicate_lines=duplicates
    )


class StandingStatus(StrEnum):
    """What a look-up says about one licence number; also its CSS modifier on the page."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NONE = "none"
    UNKNOWN_LICENCE = "unknown_licence"
    NOT_A_NUMBER = "not_a_number"


@dataclass(frozen=True)
class Standing:
    status: StandingStatus
    text: str
    name: str = ""
    valid_until: date | None = None
    code: str = ""


def standing_of(certificates: list[Certificate], today: date) -> Standing:
    """The best news about one driver: any valid certificate, else the latest expired,
    else revoked, else none."""
    current = [c for c in certificates if c.superseded_by_id is None]
    valid = [c for c in current if c.status_on(today) == Status.VALID]
    if valid:
        best = max(valid, key=lambda c: c.valid_until or date.max)
        until = best.valid_until
        text = f"Valid until {until:%d %b %Y}" if until else "Valid (does not expire)"
        return Standing(StandingStatus.VALID, text, best.full_name, until, best.code)
    expired = [c for c in current if c.status_on(today) == Status.EXPIRED]
    if expired:
        best = max(expired, key=lambda c: c.valid_until)
        return Standing(
            StandingStatus.EXPIRED,
            f"Expired on {best.valid_until:%d %b %Y}",
            best.full_name,
            best.valid_until,
            best.code,
        )
    revoked = [c for c in current if c.revoked_at is not None]
    if revoked:
        return Standing(
            StandingStatus.REVOKED, "Revoked", revoked[0].full_name, None, revoked[0].code
        )
    return Standing(StandingStatus.NONE, "No certificate")


@dataclass(frozen=True)
class BatchResult:
    number: str
    typed: str
    standing: Standing
    times: int


def batch_check(*, authority: Borough, batch: ParsedBatch, today: date) -> list[BatchResult]:
    """Two queries for the whole batch: the licences, then their holders' certificates."""
    numbers = [line.number for line in batch.lines if line.valid]
    holders = dict(
        Licence.objects.filter(authority=authority, number__in=numbers).values_list(
            "number", "holder_id"
        )
    )
    certificates: dict[int, list[Certificate]] = {}
    for certificate in Certificate.objects.filter(
        learner_id__in=set(holders.values()), course_page_id__in=licence_course_ids()
    ).only("code", "learner_id", "full_name", "valid_until", "revoked_at", "superseded_by_id"):
        certificates.setdefault(certificate.learner_id, []).append(certificate)
    results = []
    for line in batch.lines:
        if not line.valid:
            standing = Standing(StandingStatus.NOT_A_NUMBER, "Not a licence number")
        elif line.number not in holders:
            standing = Standing(
                StandingStatus.UNKNOWN_LICENCE, f"No driver has registered it with {authority}"
            )
        else:
            standing = standing_of(certificates.get(holders[line.number], []), today)
        results.append(BatchResult(line.number, line.typed[0], standing, len(line.typed)))
    return results


def licence_lookup(*, authority: Borough, number: str):
    """The licence and its holder's certificates, or None."""
    licence = (
        Licence.objects.filter(authority=authority, number=normalise_licence_number(number))
        .select_related("holder__profile", "authority")
        .first()
    )
    if licence is None:
        return None
    holder = licence.holder
    return {
        "licence": licence,
        "full_name": holder.profile.full_name if hasattr(holder, "profile") else "",
        "licences": list(holder.licences.select_related("authority")),
        "certificates": list(Certificate.objects.filter(learner=holder).order_by("-issued_at")),
    }


EXPIRING_COLUMNS = ("Licence number", "Name", "Course", "Valid until")


def expiring_for(*, authority_ids: list[int], days: int, today: date) -> QuerySet:
    """Current certificates of the authorities' drivers that end within `days`."""
    return (
        Licence.objects.filter(
            standing_condition(via="holder__certificates__"),
            authority_id__in=authority_ids,
            holder__certificates__course_page_id__in=licence_course_ids(),
            holder__certificates__valid_until__gte=today,
            holder__certificates__valid_until__lte=today + timedelta(days=days),
        )
        .order_by("holder__certificates__valid_until", "number")
        .values_list(
            "number",
            "holder__certificates__full_name",
            "holder__certificates__course_title",
            "holder__certificates__valid_until",
        )
    )
