"""The dashboard's figures, read in few passes with instants in place of dates, agree with
the figures worked out row by row in Python, after random history near the edges of days,
months and summer time."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.models import Certificate
from certificates.selectors import REFRESHER_WINDOW_DAYS
from certificates.services import CertifiedCourse, certificate_issue
from courses.models import Attempt, Enrolment, QuizPage
from training_site.people.permissions import profiles_counted_for
from training_site.reports.filters import ReportFilters
from training_site.reports.selectors import Figure, dashboard_figures, profiles_narrowed

from .conftest import attempt

# Living in, licensed by and working in different boroughs (see conftest.py).
LEARNERS = ("d1", "d2", "d3", "h1")
COURSES = ("taxi", "hotel_course")
PLACES = ("a", "b", "c", "ab", "abc")


def months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def boundary_days() -> list[date]:
    """Days at the edges of the periods a lead picks, of the chart's months and of the day
    the dashboard is seen: today, the first of this month and of months 1 to 25 back (half
    a year apart, so some in summer time), the day before each, and a day in the middle of
    the month."""
    today = timezone.localdate()
    days = [today, today - timedelta(days=1)]
    for months in (0, 1, 6, 13, 19, 23, 24, 25):
        first = months_back(today, months)
        days += [first, first - timedelta(days=1), first + timedelta(days=14)]
    return sorted(set(days))


def edges(around: list[date]) -> list[datetime]:
    """Instants either side of local midnight at the start and end of each day (half an
    hour after it too: in summer time, still the day before in UTC), and just now."""
    now = timezone.now()
    instants = {now - timedelta(minutes=1)}
    for day in around:
        for midnight in (day, day + timedelta(days=1)):
            start = timezone.make_aware(datetime.combine(midnight, time.min))
            instants |= {start + timedelta(minutes=m) for m in (-1, 0, 30)}
    return sorted(moment for moment in instants if moment <= now)


# A period is chosen two times in three.
days = st.none() | st.sampled_from(boundary_days()) | st.sampled_from(boundary_days())


def histories(moments: st.SearchStrategy) -> st.SearchStrategy:
    """Per learner and course: nothing, or an enrolment (started, completed or not),
    whether the first attempt passed, and the completions certified (the later ones
    refreshers) with when each was issued and whether it was revoked."""
    return st.none() | st.tuples(
        moments,
        st.none() | moments,
        st.none() | st.booleans(),
        st.lists(st.tuples(moments, moments, st.booleans()), max_size=2),
    )


def history_write(world, histories_drawn) -> None:
    Certificate.objects.all().delete()
    Attempt.objects.all().delete()
    Enrolment.objects.all().delete()
    for (name, course_name), history in histories_drawn.items():
        if history is None:
            continue
        learner, course = world.learners[name], getattr(world, course_name)
        started, completed, first_passed, certified = history
        Enrolment.objects.create(
            learner=learner, course=course, started_at=started, completed_at=completed
        )
        if first_passed is not None:
            attempt(learner, course, QuizPage.objects.child_of(course).get(), 1, first_passed)
        for index, (completed_at, issued_at, revoked) in enumerate(certified):
            certificate = certificate_issue(
                learner=learner,
                course=CertifiedCourse(
                    page_id=course.pk, title=course.title, version="1", validity_months=12
                ),
                completion_ref=f"agree:{learner.pk}:{course.pk}:{index}",
                completed_at=completed_at,
                email_learner=False,
            )
            Certificate.objects.filter(pk=certificate.pk).update(
                issued_at=issued_at, revoked_at=issued_at if revoked else None
            )


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def within(day: date, first: date | None, last: date | None) -> bool:
    return (first is None or day >= first) and (last is None or day <= last)


def figures_by_hand(filters: ReportFilters, today: date, months: list[date]) -> tuple:
    """Every figure per course, and completions per course and month, row by row."""
    learners = set(
        profiles_narrowed(profiles_counted_for(filters.borough_ids), filters).values_list(
            "user_id", flat=True
        )
    )
    passed_first = set(
        Attempt.objects.filter(number=1, passed=True).values_list("learner_id", "course_id")
    )
    courses: dict[int, dict] = {}
    by_month: dict[int, list[int]] = {}
    last = min(filters.date_to or today, today)
    position = {month: index for index, month in enumerate(months)}

    def chart(course_id: int, moment: datetime) -> None:
        day = local_day(moment)
        if months and within(day, months[0], last):
            counts = by_month.setdefault(course_id, [0] * len(months))
            counts[position[day.replace(day=1)]] += 1

    def figures(course_id: int) -> dict:
        return courses.setdefault(course_id, dict.fromkeys(Figure, 0))

    for enrolment in Enrolment.objects.filter(learner_id__in=learners):
        if filters.course_id not in (None, enrolment.course_id):
            continue
        if enrolment.completed_at:
            chart(enrolment.course_id, enrolment.completed_at)
        if not within(local_day(enrolment.started_at), filters.date_from, filters.date_to):
            continue
        counted = figures(enrolment.course_id)
        counted[Figure.ENROLLED] += 1
        counted[Figure.COMPLETED if enrolment.completed_at else Figure.IN_PROGRESS] += 1
        counted[Figure.PASSED_FIRST] += (enrolment.learner_id, enrolment.course_id) in passed_first
    for certificate in Certificate.objects.filter(learner_id__in=learners).select_related(
        "superseded_by"
    ):
        if filters.course_id not in (None, certificate.course_page_id):
            continue
        if certificate.superseded_by:
            chart(certificate.course_page_id, certificate.superseded_by.issued_at)
        status = certificate.status_on(today)
        if status not in ("valid", "expired") or not within(
            certificate.completed_on, filters.date_from, filters.date_to
        ):
            continue
        counted = figures(certificate.course_page_id)
        counted[Figure(status)] += 1
        soon = today + timedelta(days=REFRESHER_WINDOW_DAYS)
        counted[Figure.EXPIRING] += status == "valid" and certificate.valid_until <= soon
    for counted in courses.values():
        counted.pop(Figure.DRIVERS_WITHOUT_VALID)
    return courses, by_month


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    places=st.sampled_from(PLACES),
    course=st.none() | st.sampled_from(COURSES),
    date_from=days,
    date_to=days,
    today=st.sampled_from(boundary_days()),
)
def test_dashboard_figures_agree_with_figures_worked_out_row_by_row(
    world, data, places, course, date_from, date_to, today
):
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    filters = ReportFilters(
        borough_ids=tuple(getattr(world, place).pk for place in places),
        course_id=getattr(world, course).pk if course else None,
        date_from=date_from,
        date_to=date_to,
    )
    # History near the edges that matter here: of the period chosen and of the chart.
    chosen = [day for day in (date_from, date_to, months_back(today, 23), today) if day]
    moments = st.sampled_from(edges(chosen))
    drawn = data.draw(
        st.fixed_dictionaries(
            {(name, course): histories(moments) for name in LEARNERS for course in COURSES}
        )
    )
    with transaction.atomic():
        history_write(world, drawn)
        shown = dashboard_figures(filters=filters, today=today)
        courses, by_month = figures_by_hand(filters, today, shown["months"])
        transaction.set_rollback(True)
    assert {row.course_id: row.figures for row in shown["courses"]} == {
        course_id: figures for course_id, figures in courses.items() if any(figures.values())
    }
    assert shown["monthly_by_course"] == by_month


def test_a_day_is_the_local_day_in_summer_time(world):
    """Half past midnight on 1 June, British Summer Time, is still 31 May in UTC: it belongs
    to 1 June, in the period chosen and on the chart."""
    half_past_midnight = timezone.make_aware(datetime(2025, 6, 1, 0, 30))
    Enrolment.objects.filter(learner=world.learners["d2"]).update(
        started_at=half_past_midnight, completed_at=half_past_midnight
    )
    june = ReportFilters(
        borough_ids=(world.a.pk,), date_from=date(2025, 6, 1), date_to=date(2025, 6, 30)
    )
    data = dashboard_figures(filters=june, today=timezone.localdate())
    assert data["totals"][Figure.ENROLLED] == 1
    assert data["monthly"] == [(date(2025, 6, 1), 1)]
    may = replace(june, date_from=date(2025, 5, 1), date_to=date(2025, 5, 31))
    data = dashboard_figures(filters=may, today=timezone.localdate())
    assert data["totals"][Figure.ENROLLED] == 0
    assert data["monthly"] == [(date(2025, 5, 1), 0)]


def test_every_figure_is_counted_in_six_queries(world, django_assert_num_queries):
    """However many learners, courses and months: the enrolments, the certificates, the
    refreshers, the courses' names, the courses for licence holders and the drivers."""
    filters = ReportFilters(borough_ids=(world.a.pk, world.b.pk), date_from=date(2025, 1, 1))
    with django_assert_num_queries(6):
        dashboard_figures(filters=filters, today=timezone.localdate())
