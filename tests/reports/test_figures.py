"""Dashboard figures on the hand-built world equal the numbers worked out by hand."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from training_site.people.roles import Role
from training_site.reports.filters import ReportFilters
from training_site.reports.lists import people_list
from training_site.reports.selectors import dashboard_figures

from .conftest import client_for

TODAY = timezone.localdate


def figures_for(*boroughs, **narrowing):
    filters = ReportFilters(borough_ids=tuple(b.pk for b in boroughs), **narrowing)
    return dashboard_figures(filters=filters, today=TODAY())


def by_course(data):
    return {row.title: row.figures for row in data["courses"]}


def test_borough_a_counts_residents_licensees_and_workplaces(world):
    data = figures_for(world.a)
    # A covers d1, d2, d5 (live there), d1 and d5 (licensed there) and h1 (works there).
    assert by_course(data) == {
        "Taxi course": {
            "enrolled": 2,
            "in_progress": 1,
            "completed": 1,
            "passed_first": 1,
            "valid": 1,
            "expiring": 0,
            "expired": 0,
        },
        "Hotel course": {
            "enrolled": 1,
            "in_progress": 0,
            "completed": 1,
            "passed_first": 1,
            "valid": 1,
            "expiring": 0,
            "expired": 0,
        },
    }
    assert data["totals"]["enrolled"] == 3
    assert data["drivers_without_valid"] == 1  # d5, licensed by A, never started


def test_borough_b_sees_the_driver_it_licenses_who_lives_elsewhere(world):
    data = figures_for(world.b)
    # d2 (licensed by B, lives in A) and d3 (lives and licensed in B).
    assert by_course(data)["Taxi course"] == {
        "enrolled": 2,
        "in_progress": 1,
        "completed": 1,
        "passed_first": 0,
        "valid": 1,
        "expiring": 1,
        "expired": 0,
    }
    assert data["drivers_without_valid"] == 1  # d2


def test_borough_c_has_the_expired_certificate_and_the_hotel_worker_who_lives_there(world):
    data = figures_for(world.c)
    assert by_course(data)["Taxi course"]["expired"] == 1
    assert by_course(data)["Taxi course"]["valid"] == 0
    assert by_course(data)["Hotel course"]["valid"] == 1  # h1 lives in C
    assert data["drivers_without_valid"] == 1  # d4's certificate expired


def test_partnership_counts_each_learner_once(world):
    data = figures_for(world.a, world.b)
    taxi = by_course(data)["Taxi course"]
    assert taxi["enrolled"] == 3  # d1, d2, d3: d2 belongs to both boroughs, counted once
    assert data["drivers_without_valid"] == 2  # d2 and d5


def test_filters_narrow_by_course_role_organisation_and_dates(world):
    assert list(by_course(figures_for(world.a, course_id=world.taxi.pk))) == ["Taxi course"]
    hotel_role = world.learners["h1"].profile.audience_id
    assert list(by_course(figures_for(world.a, audience_id=hotel_role))) == ["Hotel course"]
    assert (
        by_course(figures_for(world.a, organisation_id=world.hotel.pk))["Hotel course"]["enrolled"]
        == 1
    )
    tomorrow = TODAY() + timedelta(days=1)
    assert figures_for(world.a, date_from=tomorrow)["totals"]["enrolled"] == 0


def test_completions_by_month_covers_24_months_and_counts_this_month(world):
    monthly = figures_for(world.a, world.b, world.c)["monthly"]
    assert len(monthly) == 24
    assert sum(count for _, count in monthly) == 4  # d1, d3, d4 and h1, 10 days ago
    assert monthly[-1][0] == TODAY().replace(day=1)


def test_a_refresher_counts_as_a_completion_in_the_month_it_happens(world):
    from .conftest import certify

    before = sum(n for _, n in figures_for(world.a)["monthly"])
    # d1 passes again: the new certificate supersedes the first.
    certify(world.learners["d1"], world.taxi, days_ago=0, ref="refresher")
    monthly = figures_for(world.a)["monthly"]
    assert sum(n for _, n in monthly) == before + 1
    assert monthly[-1][1] >= 1
    # Still one learner with a valid certificate: the superseded one no longer counts.
    assert by_course(figures_for(world.a))["Taxi course"]["valid"] == 1


def test_lists_behind_figures_name_exactly_the_people_counted(world):
    filters = ReportFilters(borough_ids=(world.a.pk,))
    names = {
        row[0] for row in people_list(filters=filters, figure="enrolled", today=TODAY()).rows()
    }
    assert names == {"Dee One", "Dee Two", "Aitch One"}
    expiring = people_list(
        filters=ReportFilters(borough_ids=(world.b.pk,)), figure="expiring", today=TODAY()
    )
    assert [row[0] for row in expiring.rows()] == ["Dee Three"]
    missing = people_list(filters=filters, figure="drivers_without_valid", today=TODAY())
    assert list(missing.rows()) == [("Dee Five", "LICDEEFIVE", "Aldwick", "Aldwick")]


@pytest.mark.parametrize("places", ["a", "b", "c", "ab", "abc"])
def test_every_figure_counts_exactly_the_rows_of_its_list(world, places):
    """What a figure says and what its link lists never disagree."""
    from training_site.reports.lists import FIGURES

    filters = ReportFilters(borough_ids=tuple(getattr(world, p).pk for p in places))
    data = dashboard_figures(filters=filters, today=TODAY())
    for figure in FIGURES:
        listing = people_list(filters=filters, figure=figure, today=TODAY())
        expected = data.get(figure, data["totals"].get(figure))
        assert listing.count() == len(list(listing.rows())) == expected, figure
    for row in data["courses"]:
        by_course = ReportFilters(borough_ids=filters.borough_ids, course_id=row.course_id)
        for figure, value in row.figures.items():
            assert people_list(filters=by_course, figure=figure, today=TODAY()).count() == value


def test_partnership_view_hides_small_counts_and_lists_nobody(world):
    lead = world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west)
    page = client_for(lead).get("/staff/reports/").content.decode()
    assert 'class="figure-hidden">hidden<' in page and "Why some figures are hidden" in page
    assert "figure=enrolled" not in page  # no figure links to people across boroughs
    assert client_for(lead).get("/staff/reports/list/?figure=enrolled").status_code == 403
    assert client_for(lead).get("/staff/reports/list/export.csv?figure=enrolled").status_code == 403
    # One borough chosen: exact figures, and the people behind them.
    one = client_for(lead).get(f"/staff/reports/?borough={world.a.pk}").content.decode()
    assert "figure-hidden" not in one and "Why some figures are hidden" not in one
    assert re.search(r'figure=enrolled[^"]*">2<', one.replace("&amp;", "&"))


def test_borough_view_is_exact(world):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    page = client_for(lead).get("/staff/reports/").content.decode()
    assert "figure-hidden" not in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("date_from=2026-05-01&date_to=2026-01-01", "The end date is before the start date."),
        ("date_from=1900-01-01", "Choose a date between"),
        ("date_to=9999-12-31", "Choose a date between"),
        ("date_from=2016-01-01&date_to=2026-12-31", "ten years or less"),
        ("date_from=yesterday", "real date"),
        ("course=999999", "There is no such course"),
        ("audience=abc", "There is no such role"),
        ("borough=99999999999999999999999", "That borough is not one you can see"),
        ("organisation=99999999999999999999999", "That organisation is not in a borough"),
        ("borough=-1", "That borough is not one you can see"),
    ],
)
def test_bad_filters_get_a_clear_400(world, query, message):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    response = client_for(lead).get(f"/staff/reports/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_list_needs_a_real_figure(world):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    for url in ("/staff/reports/list/?figure=salaries", "/staff/reports/list/export.csv"):
        response = client_for(lead).get(url)
        assert response.status_code == 400
        assert "Choose a figure from the dashboard." in response.content.decode()


def test_an_organisation_page_out_of_range_is_not_found(world):
    manager = world.staff(Role.ORGANISATION_MANAGER, organisation=world.hotel)
    assert client_for(manager).get("/staff/organisations/99999999999999999999/").status_code == 404


def test_pages_of_a_list_and_a_nonsense_page_number(world):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    response = client_for(lead).get("/staff/reports/list/?figure=enrolled&page=zebra")
    assert response.status_code == 200
    assert response.context["page"].number == 1
