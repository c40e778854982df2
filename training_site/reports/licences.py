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


LINE_BREAK = re.compile(r"[\r\n]+")
# Spreadsheets paste rows as cells separated by tabs; CSV uses commas or semicolons.
CELL_SPLIT = re.compile(r"[\t,;]")
DATE_LIKE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")


def licence_like(cell: str) -> bool:
    """A cell that reads as a licence number in a pasted table: letters and digits with at
    least one digit (so not a name or a place), and not a date or an email address."""
    cell = cell.strip()
    if DATE_LIKE.match(cell) or "@" in cell:
        return False
    number = normalise_licence_number(cell)
    return bool(LICENCE_NUMBER_PATTERN.match(number)) and any(c.isdigit() for c in number)


def licence_column(rows: list[list[str]]) -> int | None:
    """The one column of a pasted table that holds licence numbers, or None when the paste
    is a list (one number per cell, as in "PH1, PH2" on a line)."""
    table = [row for row in rows if len(row) > 1]
    if not table:
        return None
    width = max(len(row) for row in table)
    hits = [sum(1 for row in table if i < len(row) and licence_like(row[i])) for i in range(width)]
    best = max(range(width), key=hits.__getitem__)
    if not hits[best] or sum(1 for count in hits if 2 * count >= hits[best]) > 1:
        return None
    return best


def batch_cells(text: str) -> tuple[list[str], int]:
    """What to check, in order, from a paste: every cell of a list, or the licence column of
    a table (its header row left out); and how many blank lines there were."""
    rows, blank = [], 0
    for line in LINE_BREAK.split(text):
        if line.strip():
            rows.append([cell.strip() for cell in CELL_SPLIT.split(line)])
        else:
            blank += 1
    column = licence_column(rows)
    if column is None:
        return [cell for row in rows for cell in row if cell], blank
    picked = [row[column] if column < len(row) else "" for row in rows]
    if len(rows[0]) > 1 and not any(c.isdigit() for c in picked[0]):
        picked = picked[1:]  # a header row: "Badge", "Name", ...
    return [cell for cell in picked if cell], blank + sum(1 for cell in picked if not cell)


def batch_parse(text: str) -> ParsedBatch:
    """Licence numbers one per line, or several to a line separated by commas or
    semicolons, or a table pasted from a spreadsheet (tabs, commas or semicolons between
    cells), whose licence-number column is found and used. Numbers are matched as the
    licence form stores them: upper case without spaces, dashes, slashes or dots. Blank
    lines are skipped and duplicates answered once."""
    by_number: dict[str, BatchLine] = {}
    duplicates = 0
    cells, blank = batch_cells(text)
    for raw in cells:
        number = normalise_licence_number(raw)
        if number in by_number:
            duplicates += 1
            by_number[number].typed.append(raw)
            continue
        if len(by_number) >= BATCH_LIMIT:
            raise BatchTooLong(BATCH_TOO_LONG)
        by_number[number] = BatchLine(
            number=number, typed=[raw], valid=bool(LICENCE_NUMBER_PATTERN.match(number))
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
