"""Dashboard figures and the lists behind them, as plain data.

Who is counted for a borough is decided in one place, `profiles_counted_for` in the
permission module (home borough, organisation's borough, licensing authority). The date
range picks a cohort: the learners who started a course in that period; certificate
figures count the current certificates issued in it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from certificates.models import Certificate, Status, standing_condition, status_condition
from certificates.selectors import REFRESHER_WINDOW_DAYS
from courses.models import Attempt, CoursePage, Enrolment, LessonCompletion
from training_site.people.models import Audience, LearnerProfile, Licence
from training_site.people.permissions import profiles_counted_for

from .filters import ReportFilters

MONTHS_CHARTED = 24


class Figure(models.TextChoices):
    """Each figure on the dashboard, named in links (`?figure=`), lists and CSV files."""

    ENROLLED = "enrolled", "Enrolled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    PASSED_FIRST = "passed_first", "Passed at first attempt"
    VALID = "valid", "Valid certificate"
    EXPIRING = "expiring", f"Expiring within {REFRESHER_WINDOW_DAYS} days"
    EXPIRED = "expired", "Expired"
    DRIVERS_WITHOUT_VALID = "drivers_without_valid", "Licensed drivers with no valid certificate"


ENROLMENT_FIGURES = (Figure.ENROLLED, Figure.IN_PROGRESS, Figure.COMPLETED, Figure.PASSED_FIRST)
CERTIFICATE_FIGURES = (Figure.VALID, Figure.EXPIRING, Figure.EXPIRED)


def profiles_narrowed(
    profiles: QuerySet[LearnerProfile], filters: ReportFilters
) -> QuerySet[LearnerProfile]:
    """The learners of the chosen role and organisation, when the filters choose them."""
    if filters.audience_id:
        profiles = profiles.filter(audience_id=filters.audience_id)
    if filters.organisation_id:
        profiles = profiles.filter(organisation_id=filters.organisation_id)
    return profiles


def learners_in(filters: ReportFilters, field: str = "learner") -> Q:
    """The learners a report covers, as a condition on a learner foreign key: one subquery
    over profiles, which PostgreSQL answers with a single hashed lookup per row."""
    profiles = profiles_narrowed(profiles_counted_for(filters.borough_ids), filters)
    return Q(**{f"{field}_id__in": profiles.values("user_id")})


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def on_days(field: str, first: date | None, last: date | None) -> Q:
    """`field` falls on a day from `first` to `last` (either open) in the site's time zone,
    as a range of instants: a plain comparison, where `__date` would convert every row."""
    condition = Q()
    if first:
        condition &= Q(**{f"{field}__gte": day_start(first)})
    if last:
        condition &= Q(**{f"{field}__lt": day_start(last + timedelta(days=1))})
    return condition


def in_period(field: str, filters: ReportFilters) -> Q:
    return on_days(field, filters.date_from, filters.date_to)


def enrolments_for(filters: ReportFilters) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(learners_in(filters), in_period("started_at", filters))
    if filters.course_id:
        enrolments = enrolments.filter(course_id=filters.course_id)
    return enrolments


def first_attempt_passed() -> Exists:
    return Exists(
        Attempt.objects.filter(
            learner_id=OuterRef("learner_id"),
            course_id=OuterRef("course_id"),
            number=1,
            passed=True,
        )
    )


def current_certificates_for(filters: ReportFilters) -> QuerySet[Certificate]:
    """Each learner's standing certificate per course: not superseded, not revoked."""
    certificates = Certificate.objects.standing().filter(learners_in(filters))
    if filters.date_from:
        certificates = certificates.filter(completed_on__gte=filters.date_from)
    if filters.date_to:
        certificates = certificates.filter(completed_on__lte=filters.date_to)
    if filters.course_id:
        certificates = certificates.filter(course_page_id=filters.course_id)
    return certificates


def certificate_condition(figure: Figure, today: date) -> Q:
    """Valid and expired as the certificates app defines them; expiring is valid with an
    end date within the next 90 days."""
    if figure == Figure.EXPIRING:
        soon = today + timedelta(days=REFRESHER_WINDOW_DAYS)
        return status_condition(Status.VALID, today) & Q(valid_until__lte=soon)
    return status_condition(
        {Figure.VALID: Status.VALID, Figure.EXPIRED: Status.EXPIRED}[figure], today
    )


def among_standing(condition: Q) -> Q:
    """`condition` for certificates already known to be standing, as every one counted by
    `current_certificates_for` is: the standing test left out, so only the end date is
    asked about, which the index of standing certificates holds. A condition of another
    shape is kept whole: still right, merely slower."""
    standing = standing_condition().children
    if condition.connector != Q.AND or condition.negated:
        return condition
    return Q(*(child for child in condition.children if child not in standing))


def licence_course_ids() -> list[int]:
    return list(
        CoursePage.objects.filter(audience__membership=Audience.Membership.LICENCE).values_list(
            "pk", flat=True
        )
    )


def drivers_without_valid_certificate(
    filters: ReportFilters, today: date
) -> QuerySet[LearnerProfile]:
    """Drivers holding a licence from the boroughs and no valid certificate from a course
    written for licence holders (or from the chosen course): one row per driver, however
    many licences they hold."""
    course_ids = [filters.course_id] if filters.course_id else licence_course_ids()
    valid = Certificate.objects.filter(
        status_condition(Status.VALID, today),
        learner_id=OuterRef("user_id"),
        course_page_id__in=course_ids,
    )
    drivers = LearnerProfile.objects.filter(
        user_id__in=Licence.objects.filter(authority_id__in=filters.borough_ids).values("holder_id")
    ).exclude(Exists(valid))
    return profiles_narrowed(drivers, filters)


@dataclass(frozen=True)
class CourseFigures:
    course_id: int
    title: str
    audience: str
    figures: dict[Figure, int]


def dashboard_figures(*, filters: ReportFilters, today: date) -> dict:
    """Every figure on the dashboard, in six queries whatever the number of learners."""
    chart = chart_period(filters=filters, today=today)
    per_course, by_course = enrolment_figures_and_completions(filters=filters, chart=chart)
    for row in (
        current_certificates_for(filters)
        .values("course_page_id")
        .annotate(
            **{
                # Counted by learner (set on every row here), not id: the index of standing
                # certificates then holds every column asked about, so PostgreSQL reads it
                # rather than the wide rows.
                figure.value: Count(
                    "learner_id", filter=among_standing(certificate_condition(figure, today))
                )
                for figure in CERTIFICATE_FIGURES
            }
        )
        .order_by()
    ):
        figures = per_course.setdefault(row["course_page_id"], {})
        figures.update({figure: row[figure.value] for figure in CERTIFICATE_FIGURES})
    refreshers_count(filters=filters, chart=chart, into=by_course)

    courses = (
        CoursePage.objects.filter(pk__in=per_course)
        .order_by("audience__sort_order", "title")
        .values_list("pk", "title", "audience__name")
    )
    every = ENROLMENT_FIGURES + CERTIFICATE_FIGURES
    rows = [
        CourseFigures(
            course_id=pk,
            title=title,
            audience=audience,
            figures={figure: per_course[pk].get(figure, 0) for figure in every},
        )
        for pk, title, audience in courses
    ]
    totals = {figure: sum(row.figures[figure] for row in rows) for figure in every}
    return {
        "courses": rows,
        "totals": totals,
        "monthly": [
            (month, sum(counts[index] for counts in by_course.values()))
            for index, month in enumerate(chart.months)
        ],
        "months": chart.months,
        "monthly_by_course": by_course,
        Figure.DRIVERS_WITHOUT_VALID: drivers_without_valid_certificate(filters, today).count(),
    }


def month_starts(*, first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class ChartPeriod:
    """The months the chart of completions shows, and the days it counts: from the first
    day of its first month to the chosen end or today, whichever is first."""

    months: list[date]
    first_day: date
    last_day: date

    def index(self, moment: date | datetime | None) -> int | None:
        """Where a completion's month is on the chart, or None when it is not there."""
        if moment is None:
            return None
        month = (moment.date() if isinstance(moment, datetime) else moment).replace(day=1)
        return self.position.get(month)

    @cached_property
    def position(self) -> dict[date, int]:
        return {month: index for index, month in enumerate(self.months)}


def chart_period(*, filters: ReportFilters, today: date) -> ChartPeriod:
    """The chosen period or the last 24 months."""
    last = min(filters.date_to or today, today)
    # The month 23 months before the last one, so the chart shows 24.
    months_back = last.year * 12 + last.month - 1 - (MONTHS_CHARTED - 1)
    first = filters.date_from or date(months_back // 12, months_back % 12 + 1, 1)
    months = month_starts(first=first, last=last)[-MONTHS_CHARTED * 5 :]
    return ChartPeriod(months=months, first_day=months[0] if months else first, last_day=last)


def enrolment_figures_and_completions(
    *, filters: ReportFilters, chart: ChartPeriod
) -> tuple[dict[int, dict[Figure, int]], dict[int, list[int]]]:
    """The enrolment figures per course (the cohort that started in the period) and first
    completions per course and month on the chart, in one pass over the enrolments: grouped
    by course and month of completion, each count with its own condition."""
    cohort = in_period("started_at", filters)
    charted = on_days("completed_at", chart.first_day, chart.last_day)
    enrolments = Enrolment.objects.filter(learners_in(filters))
    if filters.course_id:
        enrolments = enrolments.filter(course_id=filters.course_id)
    if cohort:
        enrolments = enrolments.filter(cohort | charted)
    per_course: dict[int, dict[Figure, int]] = {}
    by_course: dict[int, list[int]] = {}
    for row in (
        enrolments.annotate(month=TruncMonth("completed_at"))
        .values("course_id", "month")
        .annotate(
            enrolled=Count("id", filter=cohort),
            completed=Count("id", filter=cohort & Q(completed_at__isnull=False)),
            passed_first=Count("id", filter=cohort & first_attempt_passed()),
            charted=Count("id", filter=charted),
        )
        .order_by()
    ):
        if row["enrolled"]:
            figures = per_course.setdefault(row["course_id"], dict.fromkeys(ENROLMENT_FIGURES, 0))
            figures[Figure.ENROLLED] += row["enrolled"]
            figures[Figure.IN_PROGRESS] += row["enrolled"] - row["completed"]
            figures[Figure.COMPLETED] += row["completed"]
            figures[Figure.PASSED_FIRST] += row["passed_first"]
        index = chart.index(row["month"])
        if row["charted"] and index is not None:
            counts = by_course.setdefault(row["course_id"], [0] * len(chart.months))
            counts[index] += row["charted"]
    return per_course, by_course


def refreshers_count(
    *, filters: ReportFilters, chart: ChartPeriod, into: dict[int, list[int]]
) -> None:
    """Add refreshers (a certificate that supersedes another) to the completions per course
    and month, so renewals show in the month they happen."""
    # Read from the older certificate's side: superseded_by is indexed, and few are set.
    refreshers = Certificate.objects.filter(
        learners_in(filters),
        on_days("superseded_by__issued_at", chart.first_day, chart.last_day),
        superseded_by__isnull=False,
    )
    if filters.course_id:
        refreshers = refreshers.filter(course_page_id=filters.course_id)
    for row in (
        refreshers.annotate(month=TruncMonth("superseded_by__issued_at"))
        .values("course_page_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        index = chart.index(row["month"])
        if index is not None:
            counts = into.setdefault(row["course_page_id"], [0] * len(chart.months))
            counts[index] += row["n"]


ORGANISATION_COLUMNS = (
    "Name",
    "Role",
    "Course",
    "Lessons done",
    "Started",
    "Completed",
    "Certificate",
    "Valid until",
)
STAFF_ORDERS = ("name", "expiry")


@dataclass(frozen=True)
class StaffRow:
    """A member of staff on one course (or on none yet), with their certificate for it."""

    full_name: str
    role: str
    course: str
    lessons_done: int
    started: datetime | None
    completed: datetime | None
    certificate: str  # the current certificate's status, or "" for none
    valid_until: date | None
    days_left: int | None  # for a valid certificate that ends

    @property
    def expiring(self) -> bool:
        """Valid, and ending within the refresher window."""
        return self.days_left is not None and self.days_left <= REFRESHER_WINDOW_DAYS

    def for_csv(self) -> tuple:
        status = Status(self.certificate).label if self.certificate else ""
        return (
            self.full_name,
            self.role,
            self.course,
            self.lessons_done,
            self.started,
            self.completed,
            status,
            self.valid_until,
        )


def expiry_first(row: StaffRow) -> tuple:
    """Expired and soonest to expire first; then certificates with no end date, revoked
    ones and none, by name."""
    dated = row.certificate in (Status.VALID, Status.EXPIRED) and row.valid_until is not None
    return (not dated, row.valid_until or date.max, row.full_name)


def organisation_staff(*, organisation_id: int, today: date, order: str = "name") -> list[StaffRow]:
    """One row per member of staff and course (or one row saying they have not started),
    in four queries, by name or by certificate expiry; an organisation is a hotel or a
    school, not a borough."""
    profiles = list(
        LearnerProfile.objects.filter(organisation_id=organisation_id)
        .order_by("full_name", "pk")
        .values_list("user_id", "full_name", "audience__name")
    )
    learner_ids = [user_id for user_id, _, _ in profiles]
    enrolments: dict[int, list[tuple]] = {}
    for row in (
        Enrolment.objects.filter(learner_id__in=learner_ids)
        .order_by("course__title")
        .values_list("learner_id", "course_id", "course__title", "started_at", "completed_at")
    ):
        enrolments.setdefault(row[0], []).append(row[1:])
    done = {
        (learner_id, course_id): count
        for learner_id, course_id, count in LessonCompletion.objects.filter(
            learner_id__in=learner_ids
        )
        .values("learner_id", "course_id")
        .annotate(count=Count("id"))
        .values_list("learner_id", "course_id", "count")
        .order_by()
    }
    # The certificate that speaks for each learner on a course: the newest one issued.
    current: dict[tuple[int, int], Certificate] = {}
    for certificate in (
        Certificate.objects.filter(learner_id__in=learner_ids)
        .order_by("issued_at", "pk")
        .only("learner_id", "course_page_id", "valid_until", "revoked_at", "superseded_by_id")
    ):
        current[(certificate.learner_id, certificate.course_page_id)] = certificate
    rows = []
    for user_id, full_name, role in profiles:
        if user_id not in enrolments:
            rows.append(StaffRow(full_name, role, "Not started", 0, None, None, "", None, None))
        for course_id, title, started, completed in enrolments.get(user_id, []):
            certificate = current.get((user_id, course_id))
            status = certificate.status_on(today) if certificate else ""
            valid_until = certificate.valid_until if certificate else None
            rows.append(
                StaffRow(
                    full_name=full_name,
                    role=role,
                    course=title,
                    lessons_done=done.get((user_id, course_id), 0),
                    started=started,
                    completed=completed,
                    certificate=status,
                    valid_until=valid_until,
                    days_left=(valid_until - today).days
                    if status == Status.VALID and valid_until
                    else None,
                )
            )
    if order == "expiry":
        rows.sort(key=expiry_first)
    return rows
