"""What the dashboard shows, for its page and its CSV file alike: every figure with the
suppression of `suppression.py` applied when the view spans more than one borough.

The figures form tables whose lines add up, and each is suppressed as a table:
- enrolments: per course, in progress + completed = enrolled, and "All courses" below;
- passed at first attempt, per course and in all;
- valid certificates: per course, valid but not expiring soon + expiring = valid (the
  chart of certificates shows the first part on its own); expired, per course and in all;
- courses completed per course and month, whose months add up to the monthly chart, and
  whose course totals are tied to the enrolment table's completed column (with no dates
  chosen the two are often equal, so what one hides the other hides too);
- schools: lessons and pupils by term, by school and by lesson, sharing one total;
- licensed drivers with no valid certificate: one figure.
A course chosen in a view across boroughs shows that course's row of the table for all
courses, so the two views never disagree about what is hidden.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from .charts import Bar
from .filters import ReportFilters
from .selectors import CERTIFICATE_FIGURES, ENROLMENT_FIGURES, Figure
from .suppression import HIDDEN, TOTAL, Suppression, suppress

FIGURE_NAMES = ENROLMENT_FIGURES + CERTIFICATE_FIGURES
SCHOOL_TABLES = {"by_term": "term", "by_school": "school__name", "by_lesson": "lesson_title"}
SCHOOL_TABLE_TITLES = {
    "by_term": "Pupil lessons by term",
    "by_school": "Pupil lessons by school",
    "by_lesson": "Pupil lessons by lesson",
}
SHARE_LABELS = ("Valid, not expiring within 90 days", "Valid, expiring within 90 days", "Expired")
SHARE_BARS = ("Valid", "Expiring", "Expired")


@dataclass(frozen=True)
class Shown:
    """A figure as shown: its value, or the marker word when it is hidden."""

    value: int
    hidden: bool = False
    href: str = ""

    @property
    def text(self) -> str:
        return HIDDEN if self.hidden else f"{self.value:,}"

    @property
    def for_csv(self) -> str | int:
        return HIDDEN if self.hidden else self.value


def nothing_hidden(rows: int, columns: int) -> Suppression:
    return Suppression(rows=rows, columns=columns, hidden=frozenset())


def hide(counts: list[list[int]], *, columns: int, on: bool, also=()) -> Suppression:
    if not on:
        return nothing_hidden(len(counts), columns)
    return suppress(counts, columns=columns, also_hide=also)


def linked(enrolments, monthly, *, columns: int, months: int, on: bool):
    """The enrolment and monthly tables, each hiding the completed figures the other
    hides: their course totals can be equal."""
    extra_e: set = set()
    extra_m: set = set()
    while True:
        e = hide(enrolments, columns=columns, on=on, also=extra_e)
        m = hide(monthly, columns=months, on=on, also=extra_m)
        wanted_m = {(row, TOTAL) for row in range(len(enrolments)) if e.is_hidden(row, 1)}
        wanted_m |= {(TOTAL, TOTAL)} if e.is_hidden(TOTAL, 1) else set()
        wanted_e = {(row, 1) for row in range(len(enrolments)) if m.is_hidden(row, TOTAL)}
        wanted_e |= {(TOTAL, 1)} if m.is_hidden(TOTAL, TOTAL) else set()
        if wanted_m <= extra_m and wanted_e <= extra_e:
            return e, m
        extra_m |= wanted_m
        extra_e |= wanted_e


@dataclass(frozen=True)
class DashboardFigures:
    rows: list[dict]  # {"title", "audience", "cells": [Shown per figure]}
    totals: list[Shown]
    monthly: list[tuple[date, Shown]]
    share: list[tuple[str, Shown]]
    drivers_without_valid: Shown
    schools: dict[str, list[dict]]  # {"label", "lessons": Shown, "pupils": Shown}
    schools_total: dict[str, Shown]

    def month_bars(self) -> list[Bar]:
        return [bar(f"{month:%b %y}", shown) for month, shown in self.monthly]

    def share_bars(self) -> list[Bar]:
        return [bar(name, shown) for name, (_, shown) in zip(SHARE_BARS, self.share, strict=True)]

    def csv_rows(self, figure_labels) -> Iterator[tuple]:
        """One row per figure: table, row, figure, value (or the marker word)."""
        for row in self.rows:
            for label, shown in zip(figure_labels, row["cells"], strict=True):
                yield ("By course", row["title"], label, shown.for_csv)
        for label, shown in zip(figure_labels, self.totals, strict=True):
            yield ("By course", "All courses", label, shown.for_csv)
        for month, shown in self.monthly:
            yield ("Courses completed each month", f"{month:%B %Y}", "Completed", shown.for_csv)
        for label, shown in self.share:
            yield ("Certificates now", label, "Certificates", shown.for_csv)
        yield (
            "Licensed drivers with no valid certificate",
            "All drivers",
            "Drivers",
            self.drivers_without_valid.for_csv,
        )
        for name, rows in self.schools.items():
            for row in rows:
                for figure in ("lessons", "pupils"):
                    yield (SCHOOL_TABLE_TITLES[name], row["label"], figure, row[figure].for_csv)
        for figure in ("lessons", "pupils"):
            yield ("Pupil lessons", "All", figure, self.schools_total[figure].for_csv)


def unlinked(shown: Shown) -> Shown:
    """The same figure without its link: the chart's table repeats totals linked above."""
    return replace(shown, href="")


def bar(label: str, shown: Shown) -> Bar:
    """A bar whose height never shows what its label hides."""
    return Bar(label, 0 if shown.hidden else shown.value, shown.text, hidden=shown.hidden)


def figures_filters(filters: ReportFilters) -> ReportFilters:
    """What to count: across boroughs every course, so a chosen course is a row of the
    table for all courses and is hidden the same way."""
    return replace(filters, course_id=None) if filters.partnership_wide else filters


def dashboard_shown(*, data: dict, schools: dict, filters: ReportFilters, link) -> DashboardFigures:
    """The dashboard's figures as shown. `data` and `schools` were counted with
    `figures_filters(filters)`; `link(figure, **params)` is the list behind a figure, or ""
    where people may not be named."""
    on = filters.partnership_wide
    courses = data["courses"]
    months = data["months"]
    monthly_rows = [
        data["monthly_by_course"].get(row.course_id, [0] * len(months)) for row in courses
    ]
    # Courses with completions in the months but none counted in the table above.
    shown_ids = {row.course_id for row in courses}
    monthly_rows += [
        counts
        for course_id, counts in data["monthly_by_course"].items()
        if course_id not in shown_ids
    ]
    e_counts = [[row.figures[Figure.IN_PROGRESS], row.figures[Figure.COMPLETED]] for row in courses]
    e, m = linked(e_counts, monthly_rows, columns=2, months=len(months), on=on)
    p = hide([[row.figures[Figure.PASSED_FIRST]] for row in courses], columns=1, on=on)
    valid_counts = [
        [row.figures[Figure.VALID] - row.figures[Figure.EXPIRING], row.figures[Figure.EXPIRING]]
        for row in courses
    ]
    v = hide(valid_counts, columns=2, on=on)
    x = hide([[row.figures[Figure.EXPIRED]] for row in courses], columns=1, on=on)
    # Each figure: the table it is in and its column there (TOTAL for a row's total).
    where = {
        Figure.ENROLLED: (e, TOTAL),
        Figure.IN_PROGRESS: (e, 0),
        Figure.COMPLETED: (e, 1),
        Figure.PASSED_FIRST: (p, 0),
        Figure.VALID: (v, TOTAL),
        Figure.EXPIRING: (v, 1),
        Figure.EXPIRED: (x, 0),
    }

    def shown(value: int, table: Suppression, row: int, column: int, href: str = "") -> Shown:
        hidden = table.is_hidden(row, column)
        return Shown(value, hidden, "" if hidden or not value else href)

    rows = [
        {
            "title": row.title,
            "audience": row.audience,
            "course_id": row.course_id,
            "cells": [
                shown(
                    row.figures[f], where[f][0], index, where[f][1], link(f, course=row.course_id)
                )
                for f in FIGURE_NAMES
            ],
        }
        for index, row in enumerate(courses)
    ]
    totals = [
        shown(data["totals"][f], where[f][0], TOTAL, where[f][1], link(f)) for f in FIGURE_NAMES
    ]
    monthly_line = [
        (month, shown(count, m, TOTAL, index))
        for index, (month, count) in enumerate(data["monthly"])
    ]
    vne_total = data["totals"][Figure.VALID] - data["totals"][Figure.EXPIRING]
    share = [
        (SHARE_LABELS[0], shown(vne_total, v, TOTAL, 0)),
        (SHARE_LABELS[1], unlinked(totals[FIGURE_NAMES.index(Figure.EXPIRING)])),
        (SHARE_LABELS[2], unlinked(totals[FIGURE_NAMES.index(Figure.EXPIRED)])),
    ]
    if on and filters.course_id:
        # The chosen course's row of the table for all courses, and its months.
        index = next(
            (i for i, row in enumerate(rows) if row["course_id"] == filters.course_id), None
        )
        if index is None:
            rows, totals = [], [Shown(0) for _ in FIGURE_NAMES]
            monthly_line = [(month, Shown(0)) for month in months]
            share = [(label, Shown(0)) for label in SHARE_LABELS]
        else:
            rows = [rows[index]]
            totals = rows[0]["cells"]
            monthly_line = [
                (month, shown(count, m, index, column))
                for column, (month, count) in enumerate(
                    zip(months, monthly_rows[index], strict=True)
                )
            ]
            vne = valid_counts[index][0]
            share = [
                (SHARE_LABELS[0], shown(vne, v, index, 0)),
                (SHARE_LABELS[1], unlinked(totals[FIGURE_NAMES.index(Figure.EXPIRING)])),
                (SHARE_LABELS[2], unlinked(totals[FIGURE_NAMES.index(Figure.EXPIRED)])),
            ]
    drivers = data[Figure.DRIVERS_WITHOUT_VALID]
    d = hide([[drivers]], columns=1, on=on)
    school_tables, school_totals = schools_shown(schools, on=on)
    return DashboardFigures(
        rows=rows,
        totals=totals,
        monthly=monthly_line,
        share=share,
        drivers_without_valid=shown(drivers, d, 0, 0, link(Figure.DRIVERS_WITHOUT_VALID)),
        schools=school_tables,
        schools_total=school_totals,
    )


def schools_shown(schools: dict, *, on: bool) -> tuple[dict, dict]:
    """Lessons and pupils by term, school and lesson: three one-column tables per figure
    sharing a total (by term covers the last terms only, which often hold them all), so a
    total hidden in one is hidden in all."""
    tables, totals = {}, {}
    for figure in ("lessons", "pupils"):
        forced: set = set()
        while True:
            found = {
                name: hide([[row[figure]] for row in schools[name]], columns=1, on=on, also=forced)
                for name in SCHOOL_TABLES
            }
            total_hidden = any(table.is_hidden(TOTAL, 0) for table in found.values())
            if not total_hidden or forced:
                break
            forced = {(TOTAL, 0), (TOTAL, TOTAL)}
        tables[figure] = found
        totals[figure] = Shown(schools["total"][figure], total_hidden)
    shown_tables = {
        name: [
            {
                "label": str(row[key]),
                **{
                    figure: Shown(row[figure], tables[figure][name].is_hidden(index, 0))
                    for figure in ("lessons", "pupils")
                },
            }
            for index, row in enumerate(schools[name])
        ]
        for name, key in SCHOOL_TABLES.items()
    }
    return shown_tables, totals
