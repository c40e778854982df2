"""The people behind each figure: one definition per list, shared by the page and its CSV.

Rows are plain tuples read with `.iterator()`, so an export of any size streams in
constant memory.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from training_site.people.models import Licence

from .filters import ReportFilters
from .selectors import (
    CERTIFICATE_FIGURES,
    ENROLMENT_FIGURES,
    Figure,
    certificate_condition,
    current_certificates_for,
    drivers_without_valid_certificate,
    enrolments_for,
    first_attempt_passed,
)

# Every figure on the dashboard has a list of the people behind it.
FIGURES = tuple(Figure)
CHUNK = 2000


@dataclass(frozen=True)
class PeopleList:
    figure: Figure
    columns: tuple[str, ...]
    queryset: QuerySet

    @property
    def title(self) -> str:
        return self.figure.label

    def rows(self, *, limit: int | None = None, offset: int = 0) -> Iterator[tuple]:
        queryset = self.queryset
        if limit is not None:
            return iter(queryset[offset : offset + limit])
        return queryset.iterator(chunk_size=CHUNK)

    def count(self) -> int:
        return self.queryset.count()


ENROLMENT_COLUMNS = (
    "Name",
    "Role",
    "Home borough",
    "Organisation",
    "Course",
    "Started",
    "Completed",
)
CERTIFICATE_COLUMNS = (
    "Name",
    "Licences",
    "Course",
    "Version",
    "Issued by",
    "Completed",
    "Valid until",
)
DRIVER_COLUMNS = ("Name", "Licence number", "Licensing authority", "Home borough")


def people_list(*, filters: ReportFilters, figure: Figure | str, today: date) -> PeopleList:
    figure = Figure(figure)
    if figure in ENROLMENT_FIGURES:
        enrolments = enrolments_for(filters)
        if figure == Figure.IN_PROGRESS:
            enrolments = enrolments.filter(completed_at__isnull=True)
        elif figure == Figure.COMPLETED:
            enrolments = enrolments.filter(completed_at__isnull=False)
        elif figure == Figure.PASSED_FIRST:
            enrolments = enrolments.filter(first_attempt_passed())
        return PeopleList(
            figure=figure,
            columns=ENROLMENT_COLUMNS,
            queryset=enrolments.order_by("learner__profile__full_name", "pk").values_list(
                "learner__profile__full_name",
                "learner__profile__audience__name",
                "learner__profile__home_borough__name",
                "learner__profile__organisation__name",
                "course__title",
                "started_at",
                "completed_at",
            ),
        )
    if figure in CERTIFICATE_FIGURES:
        certificates = current_certificates_for(filters).filter(
            certificate_condition(figure, today)
        )
        return PeopleList(
            figure=figure,
            columns=CERTIFICATE_COLUMNS,
            queryset=certificates.order_by("valid_until", "full_name", "pk").values_list(
                "full_name",
                "licences",
                "course_title",
                "course_version",
                "issuer_name",
                "completed_on",
                "valid_until",
            ),
        )
    if figure == Figure.DRIVERS_WITHOUT_VALID:
        # The driver's licence from these boroughs (the first, if they hold several).
        licence_here = Licence.objects.filter(
            holder_id=OuterRef("user_id"), authority_id__in=filters.borough_ids
        ).order_by("authority__name", "number")
        return PeopleList(
            figure=figure,
            columns=DRIVER_COLUMNS,
            queryset=drivers_without_valid_certificate(filters, today)
            .annotate(licence=Subquery(licence_here.values("number")[:1]))
            .annotate(authority=Subquery(licence_here.values("authority__name")[:1]))
            .order_by("full_name", "pk")
            .values_list("full_name", "licence", "authority", "home_borough__name"),
        )
    raise KeyError(figure)
