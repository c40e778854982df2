"""Schools on the dashboard: pupil lessons delivered and pupils reached, by term, school and
lesson. Read from lesson deliveries, which hold counts only: nothing about any pupil."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from courses.classroom.models import LessonDelivery

from .filters import ReportFilters

TERMS_SHOWN = 6


@dataclass(frozen=True)
class Term:
    """England's three school terms, as councils count them: autumn (September to
    December), spring (January to March) and summer (April to August)."""

    year: int
    season: str

    @classmethod
    def of(cls, day: date) -> "Term":
        if day.month >= 9:
            return cls(day.year, "Autumn")
        return cls(day.year, "Spring" if day.month <= 3 else "Summer")

    @property
    def first_day(self) -> date:
        month = {"Spring": 1, "Summer": 4, "Autumn": 9}[self.season]
        return date(self.year, month, 1)

    def previous(self) -> "Term":
        if self.season == "Autumn":
            return Term(self.year, "Summer")
        if self.season == "Summer":
            return Term(self.year, "Spring")
        return Term(self.year - 1, "Autumn")

    def __str__(self) -> str:
        return f"{self.season} {self.year}"


def deliveries_for(filters: ReportFilters):
    """Deliveries in the viewer's boroughs, for the chosen school and period. Course and
    role filters do not apply: pupil lessons have no learners to filter."""
    condition = Q(borough_id__in=filters.borough_ids)
    if filters.organisation_id:
        condition &= Q(school_id=filters.organisation_id)
    if filters.date_from:
        condition &= Q(delivered_on__gte=filters.date_from)
    if filters.date_to:
        condition &= Q(delivered_on__lte=filters.date_to)
    return LessonDelivery.objects.filter(condition)


def counted(rows) -> list[dict]:
    return [{**row, "pupils": row["pupils"] or 0} for row in rows]


def schools_figures(*, filters: ReportFilters, today: date) -> dict:
    """Lessons delivered and pupils reached (the class sizes the teachers entered)."""
    deliveries = deliveries_for(filters)
    totals = {"lessons": Count("id"), "pupils": Sum("class_size")}
    terms = [Term.of(today)]
    while len(terms) < TERMS_SHOWN:
        terms.append(terms[-1].previous())
    terms.reverse()
    by_term = {str(term): {"lessons": 0, "pupils": 0} for term in terms}
    for row in deliveries.filter(delivered_on__gte=terms[0].first_day).values(
        "delivered_on", "class_size"
    ):
        figures = by_term.get(str(Term.of(row["delivered_on"])))
        if figures is not None:
            figures["lessons"] += 1
            figures["pupils"] += row["class_size"]
    return {
        "by_term": [{"term": term, **figures} for term, figures in by_term.items()],
        "by_school": counted(
            deliveries.values("school__name").annotate(**totals).order_by("school__name")
        ),
        "by_lesson": counted(
            deliveries.values("lesson_title").annotate(**totals).order_by("lesson_title")
        ),
        "total": counted([deliveries.aggregate(**totals)])[0],
    }


def school_deliveries(*, school_id: int) -> list[dict]:
    """One school's delivered lessons, newest first, for its organisation manager."""
    return list(
        LessonDelivery.objects.filter(school_id=school_id)
        .order_by("-delivered_on", "-pk")
        .values("delivered_on", "lesson_title", "year_group", "class_size", "answered_count")[:500]
    )
