"""Small-number suppression: the pure rule, checked by an attacker's linear algebra, and
the partnership dashboard tried the way someone holding its page and CSV would."""

import csv
import io
import re
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.models import Enrolment
from training_site.people.roles import Role
from training_site.reports.filters import ReportFilters
from training_site.reports.models import ReportAccess
from training_site.reports.selectors import Figure, dashboard_figures
from training_site.reports.suppression import SMALL_NUMBER, TOTAL, lines, suppress, with_margins

from ..people.factories import LearnerProfileFactory
from .conftest import attempt, certify, client_for

TODAY = timezone.localdate


def derivable(counts, columns, hidden) -> set[tuple[int, int]]:
    """The hidden figures an attacker works out exactly by adding and subtracting rows and
    columns: each line says its parts minus its total is zero, so a hidden figure is fixed
    when its unit vector lies in the span of the lines restricted to the hidden figures
    (Gaussian elimination over the rationals)."""
    rows = len(counts)
    unknowns = sorted(hidden)
    index = {position: i for i, position in enumerate(unknowns)}
    equations = []
    for parts, total in lines(rows, columns):
        equation = [Fraction(0)] * len(unknowns)
        for position in parts:
            if position in index:
                equation[index[position]] += 1
        if total in index:
            equation[index[total]] -= 1
        if any(equation):
            equations.append(equation)
    basis = row_reduced(equations)
    return {position for position in unknowns if in_span(basis, index[position], len(unknowns))}


def row_reduced(equations):
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, row)
    for equation in equations:
        row = list(equation)
        for pivot, base in basis:
            if row[pivot]:
                factor = row[pivot] / base[pivot]
                row = [a - factor * b for a, b in zip(row, base, strict=True)]
        lead = next((i for i, value in enumerate(row) if value), None)
        if lead is not None:
            basis = [
                (p, [a - b[lead] / row[lead] * c for a, c in zip(b, row, strict=True)])
                if b[lead]
                else (p, b)
                for p, b in basis
            ]
            basis.append((lead, row))
    return basis


def in_span(basis, unknown: int, size: int) -> bool:
    target = [Fraction(0)] * size
    target[unknown] = Fraction(1)
    for pivot, base in basis:
        if target[pivot]:
            factor = target[pivot] / base[pivot]
            target = [a - factor * b for a, b in zip(target, base, strict=True)]
    return not any(target)


def small_groups(counts, columns, hidden) -> list:
    """Lines whose total is shown and whose hidden parts add up to a small number, or to
    no more than one each (every hidden figure is at least 1)."""
    grid = with_margins(counts, columns)
    found = []
    for parts, total in lines(len(counts), columns):
        hidden_parts = [p for p in parts if p in hidden]
        if total in hidden or not hidden_parts:
            continue
        together = sum(grid[r][c] for r, c in hidden_parts)
        if together < SMALL_NUMBER or together <= len(hidden_parts):
            found.append((parts, together))
    return found


def test_the_checker_finds_a_cell_a_total_gives_away():
    # Only the 3 hidden: 10 - 7 gives it back.
    assert derivable([[3, 7]], 2, {(0, 0)}) == {(0, 0)}
    assert derivable([[3, 7]], 2, {(0, 0), (0, 1)}) == {(0, 0), (0, 1)}  # column totals
    assert derivable([[3, 7], [6, 9]], 2, {(0, 0), (0, 1), (1, 0), (1, 1)}) == set()


def test_counts_of_1_to_4_are_hidden_and_zeros_shown():
    result = suppress([[0, 1, 20], [4, 30, 0], [12, 15, 11]], columns=3)
    assert result.is_hidden(0, 1) and result.is_hidden(1, 0)
    assert not result.is_hidden(0, 0) and not result.is_hidden(1, 2)


def test_a_single_hidden_cell_in_a_line_takes_the_next_smallest_with_it():
    # Row 0 is 2 and 7 with a total of 9 shown: 7 goes too, and the column partners.
    result = suppress([[2, 7], [6, 9]], columns=2)
    assert {(0, 0), (0, 1)} <= result.hidden
    assert derivable([[2, 7], [6, 9]], 2, result.hidden) == set()


def test_a_total_that_would_give_the_hidden_cell_away_is_hidden():
    # One course of 3 learners: the "All courses" total is the same 3.
    result = suppress([[3], [0]], columns=1)
    assert result.is_hidden(TOTAL, TOTAL) and result.is_hidden(0, TOTAL)
    assert result.margins() == {(0, TOTAL), (TOTAL, 0), (TOTAL, TOTAL)}


def test_a_total_of_5_or_more_made_of_one_hidden_cell_and_zeros_is_hidden():
    # 3 + 3 = 6: both cells hidden, the total shown, but each is 1 to 4 and together 6;
    # the attacker knows only that they add up to 6.
    result = suppress([[3, 3, 0]], columns=3)
    assert result.is_hidden(0, 0) and result.is_hidden(0, 1)
    assert derivable([[3, 3, 0]], 3, result.hidden) == set()


def test_two_ones_that_would_be_known_as_ones_take_a_third_cell():
    # 1 + 1 with a shown total: both must be 1. A third cell goes with them.
    counts = [[1, 1, 6, 9]]
    result = suppress(counts, columns=4)
    assert result.is_hidden(0, 2)
    assert small_groups(counts, 4, result.hidden) == []


def test_nothing_is_hidden_when_every_count_is_0_or_5_and_over():
    assert suppress([[0, 5], [7, 0]], columns=2).hidden == frozenset()


def test_also_hide_carries_a_total_hidden_in_another_table():
    result = suppress([[6], [8]], columns=1, also_hide=[(TOTAL, TOTAL)])
    assert result.is_hidden(TOTAL, TOTAL)
    assert derivable([[6], [8]], 1, result.hidden) == set()


def test_an_empty_table_hides_nothing():
    assert suppress([], columns=3).hidden == frozenset()


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda columns: st.tuples(
        st.just(columns),
        st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 40)),
                min_size=columns,
                max_size=columns,
            ),
            min_size=1,
            max_size=5,
        ),
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_figure_can_be_worked_out_from_the_rest(table):
    columns, counts = table
    result = suppress(counts, columns=columns)
    grid = with_margins(counts, columns)
    # Every count from 1 to 4 (cells and totals) is hidden, and no zero is.
    for row, line in enumerate(grid):
        for column, value in enumerate(line):
            if 0 < value < SMALL_NUMBER:
                assert (row, column) in result.hidden
            if value == 0:
                assert (row, column) not in result.hidden
    assert derivable(counts, columns, result.hidden) == set()
    assert small_groups(counts, columns, result.hidden) == []


# The dashboard, tried the way someone holding its page and CSV would.

WEST_NAMES = ("Dee One", "Dee Two", "Dee Three", "Dee Five", "Aitch One", "Crowd")


@pytest.fixture
def crowd(world):
    """Seven more taxi learners in B who passed first time: the taxi course's figures are
    large, the hotel course's single learner small, so "All courses" minus the taxi row
    would give the hotel course's 1 away without complementary suppression."""
    quiz = world.taxi.quiz
    for number in range(7):
        learner = LearnerProfileFactory(
            full_name=f"Crowd {number}",
            audience=world.learners["d1"].profile.audience,
            home_borough=world.b,
            onboarded=True,
        ).user
        Enrolment.objects.create(
            learner=learner, course=world.taxi, completed_at=timezone.now() - timedelta(days=10)
        )
        attempt(learner, world.taxi, quiz, 1, True)
        certify(learner, world.taxi, days_ago=10)


def csv_figures(client, query="") -> dict[tuple[str, str, str], str]:
    response = client.get(f"/staff/reports/figures.csv?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Table", "Row", "Figure", "Value"]
    return {(table, row, figure): value for table, row, figure, value in rows[1:]}


def page_course_table(page: str) -> dict[tuple[str, str], str]:
    """The by-course table as the page shows it: (course, figure) -> text."""
    table = page[page.index('<table class="figures">') : page.index("</table>")]
    labels = re.findall(r'<th scope="col" class="num">([^<]*)</th>', table)
    shown = {}
    for title, cells in re.findall(
        r'<th scope="row">([^<]*)(?:<span[^>]*>[^<]*</span>)?</th>(.*?)</tr>', table
    ):
        texts = [
            re.sub(r"<[^>]+>", " ", cell).split()[0]
            for cell in re.findall(r'<td class="num">(.*?)</td>', cells)
        ]
        shown |= {(title, label): text for label, text in zip(labels, texts, strict=True)}
    return shown


def published_equations(figures: dict, courses: list[str], months: list[str]) -> list[dict]:
    """Every relation the dashboard's figures obey, each as {name: coefficient} summing
    to zero. Names are CSV keys; "vne <course>" (valid, not expiring soon) is on no page
    for a course but follows from its valid and expiring figures."""
    rows = [*courses, "All courses"]
    course = lambda row, label: ("By course", row, label)  # noqa: E731
    equations = []
    for label in (
        "Enrolled",
        "In progress",
        "Completed",
        "Passed at first attempt",
        "Valid certificate",
        "Expiring within 90 days",
        "Expired",
    ):
        equation = {course(row, label): 1 for row in courses}
        equation[course("All courses", label)] = -1
        equations.append(equation)
    for row in rows:
        equations.append(
            {
                course(row, "Enrolled"): 1,
                course(row, "In progress"): -1,
                course(row, "Completed"): -1,
            }
        )
        equations.append(
            {
                course(row, "Valid certificate"): 1,
                ("vne", row): -1,
                course(row, "Expiring within 90 days"): -1,
            }
        )
    equations.append({("vne", row): 1 for row in courses} | {("vne", "All courses"): -1})
    share = ("Certificates now", "Valid, not expiring within 90 days", "Certificates")
    equations.append({share: 1, ("vne", "All courses"): -1})
    # With no dates chosen and every completion this year, the months add up to the
    # completed total: an attacker may well know that.
    month_sum = {("Courses completed each month", month, "Completed"): 1 for month in months}
    equations.append(month_sum | {course("All courses", "Completed"): -1})
    return equations


def worked_out(equations: list[dict], known: dict) -> dict:
    """What an attacker fixes exactly: every unknown whose unit vector is a combination of
    the equations restricted to the unknowns, and lines whose hidden parts add up to a
    small number or to one each."""
    unknowns = sorted({name for eq in equations for name in eq if name not in known}, key=str)
    index = {name: i for i, name in enumerate(unknowns)}
    matrix = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for name, coefficient in equation.items():
            if name in index:
                row[index[name]] += coefficient
        if any(row):
            matrix.append(row)
    basis = row_reduced(matrix)
    return {name for name in unknowns if in_span(basis, index[name], len(unknowns))}


def test_no_hidden_figure_can_be_worked_out_from_the_partnership_dashboard(world, crowd):
    client = client_for(world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west))
    page = client.get("/staff/reports/").content.decode()
    figures = csv_figures(client)
    # The page and its CSV hide the same figures and show the same numbers.
    for (title, label), text in page_course_table(page).items():
        value = figures[("By course", title, label)]
        assert text == (value if value == "hidden" else f"{int(value):,}"), (title, label)
    data = dashboard_figures(
        filters=ReportFilters(borough_ids=(world.a.pk, world.b.pk)), today=TODAY()
    )
    truth = {
        ("By course", row.title, Figure(f).label): v
        for row in data["courses"]
        for f, v in row.figures.items()
    }
    truth |= {("By course", "All courses", Figure(f).label): v for f, v in data["totals"].items()}
    courses = [row.title for row in data["courses"]]
    months = [f"{month:%B %Y}" for month, _ in data["monthly"]]
    assert sum(n for _, n in data["monthly"]) == data["totals"]["completed"]
    # The hotel course's single learner is hidden, and so is what would give it away.
    assert figures[("By course", "Hotel course", "Enrolled")] == "hidden"
    assert figures[("By course", "All courses", "Enrolled")] == "hidden" or (
        figures[("By course", "Taxi course", "Enrolled")] == "hidden"
    )
    known = {key: int(value) for key, value in figures.items() if value != "hidden"}
    equations = published_equations(figures, courses, months)
    hidden = {key for key, value in figures.items() if value == "hidden"}
    assert hidden, "the world has small numbers to hide"
    exposed = worked_out(equations, known)
    assert not exposed & hidden
    # Nor is anything off the page (valid but not expiring soon, per course) fixed at 1 to 4.
    for name in exposed:
        assert name[0] == "vne" and not 0 < vne_truth(data, name[1]) < 5, name
    # Hidden parts of a line with a shown total add up to 5 or more, and more than 1 each.
    for equation in equations:
        parts = [name for name in equation if name in hidden]
        if parts and all(name in known or name in hidden or name[0] == "vne" for name in equation):
            if sum(1 for name in equation if name not in known and name not in hidden):
                continue
            together = sum(truth.get(name, 0) for name in parts if equation[name] > 0)
            if all(equation[name] > 0 for name in parts):
                assert together >= 5 and together > len(parts), equation


def vne_truth(data, row: str) -> int:
    figures = (
        data["totals"]
        if row == "All courses"
        else next(r.figures for r in data["courses"] if r.title == row)
    )
    return figures["valid"] - figures["expiring"]


def test_a_primary_only_table_would_have_given_the_hotel_learner_away(world, crowd):
    """The attack above, against what the dashboard used to show: it succeeds."""
    data = dashboard_figures(
        filters=ReportFilters(borough_ids=(world.a.pk, world.b.pk)), today=TODAY()
    )
    figures = {
        ("By course", row.title, Figure(f).label): str(v) if not 0 < v < 5 else "hidden"
        for row in data["courses"]
        for f, v in row.figures.items()
    } | {
        ("By course", "All courses", Figure(f).label): str(v) if not 0 < v < 5 else "hidden"
        for f, v in data["totals"].items()
    }
    known = {key: int(value) for key, value in figures.items() if value != "hidden"}
    courses = [row.title for row in data["courses"]]
    exposed = worked_out(published_equations(figures, courses, []), known)
    assert ("By course", "Hotel course", "Enrolled") in exposed


def test_a_chosen_course_hides_what_the_all_courses_view_hides(world, crowd):
    client = client_for(world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west))
    every = csv_figures(client)
    for course in (world.taxi, world.hotel_course):
        one = csv_figures(client, f"course={course.pk}")
        for (table, row, figure), value in one.items():
            if table == "By course" and row == course.title:
                assert value == every[(table, row, figure)], (row, figure)


@pytest.mark.parametrize("figure", [figure.value for figure in Figure])
def test_no_list_of_people_across_boroughs(world, crowd, figure):
    """ "All courses: 11" once listed every learner with their course; across boroughs no
    list, page or CSV names anyone, and the dashboard links to none."""
    client = client_for(world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west))
    page = client.get("/staff/reports/").content.decode()
    assert "/staff/reports/list/" not in page
    assert not any(name in page for name in WEST_NAMES)
    for query in (f"figure={figure}", f"figure={figure}&course={world.taxi.pk}"):
        for url in ("/staff/reports/list/", "/staff/reports/list/export.csv"):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 403
            body = response.content.decode()
            assert "one borough at a time" in body
            assert not any(name in body for name in WEST_NAMES)
    assert not ReportAccess.objects.filter(kind__in=["list", "export"]).exclude(what="figures")


def test_one_borough_stays_exact_and_named(world, crowd):
    client = client_for(world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west))
    figures = csv_figures(client, f"borough={world.a.pk}")
    assert "hidden" not in figures.values()
    assert figures[("By course", "Hotel course", "Enrolled")] == "1"
    listing = client.get(f"/staff/reports/list/?figure=enrolled&borough={world.a.pk}")
    assert "Aitch One" in listing.content.decode()


def test_the_figures_csv_is_logged_and_refuses_bad_filters(world):
    client = client_for(world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west))
    assert client.get("/staff/reports/figures.csv?date_from=yesterday").status_code == 400
    csv_figures(client)
    assert ReportAccess.objects.filter(kind="export", what="figures").count() == 1
