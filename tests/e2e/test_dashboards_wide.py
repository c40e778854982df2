"""The staff dashboards on a desk screen (1280 px): the partnership's table shows every
column without scrolling, charts whose figures are all hidden say so in words, and a
manager's staff table lines up under its headers and flags certificates near expiry."""

import csv
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import CertifiedCourse, certificate_issue
from courses.models import Attempt, CoursePage, Enrolment
from training_site.people import services
from training_site.people.models import Borough, Organisation
from training_site.people.roles import Role

from ..people.factories import OrganisationFactory, UserFactory, role_assign
from .helpers import sign_in_by_session

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"width": 1280, "height": 800}
COURSES = ("taxi-and-private-hire", "hotel-and-bnb", "teachers-and-school-staff")
# Each course's learners: one still going, then certificates valid, expiring and expired.
DONE_DAYS_AGO = (None, 10, 3 * 365 - 23, 1200)
FIRST_NAMES = ("Ada", "Bea", "Cal", "Dee")


def learner_done(user, course, days_ago: int) -> None:
    done = timezone.now() - timedelta(days=days_ago)
    Enrolment.objects.filter(learner=user, course=course).update(completed_at=done)
    Attempt.objects.create(
        learner=user,
        quiz=course.quiz,
        course=course,
        number=1,
        expires_at=done + timedelta(hours=1),
        submitted_at=done,
        items=[],
        answer_key={},
        pass_mark=70,
        correct_count=8,
        score_percent=80,
        passed=True,
    )
    certificate_issue(
        learner=user,
        course=CertifiedCourse(
            page_id=course.pk, title=course.title, version=course.version, validity_months=36
        ),
        completion_ref=f"wide:{user.pk}:{course.pk}",
        completed_at=done,
    )


def kirklees_learners(guest_house: Organisation) -> None:
    """Four Kirklees learners on each course, so every figure across West Yorkshire is
    below 5 and hidden; the hotel course's learners work at the guest house."""
    kirklees = Borough.objects.get(slug="kirklees")
    for course in CoursePage.objects.filter(slug__in=COURSES):
        for first_name, days_ago in zip(FIRST_NAMES, DONE_DAYS_AGO, strict=True):
            user = UserFactory()
            services.profile_save(
                user=user,
                full_name=f"{first_name} {course.title.split()[0]}",
                audience=course.audience,
                home_borough=kirklees,
            )
            if course.slug == "hotel-and-bnb":
                services.organisation_join(user=user, organisation=guest_house)
            Enrolment.objects.create(learner=user, course=course)
            if days_ago is not None:
                learner_done(user, course, days_ago)


def desk_page(browser, live_server, user):
    context = browser.new_context(
        viewport=DESK, base_url=live_server.url, locale="en-GB", accept_downloads=True
    )
    sign_in_by_session(context, live_server.url, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def staff(role: Role, **place):
    user = UserFactory()
    role_assign(user, role, **place)
    return user


@pytest.fixture
def guest_house():
    house = OrganisationFactory(
        name="Canal Side Guest House", borough=Borough.objects.get(slug="kirklees")
    )
    kirklees_learners(house)
    return house


def test_partnership_table_fits_and_hidden_charts_say_so(browser, live_server, axe, guest_house):
    west_yorkshire = Borough.objects.get(slug="kirklees").partnership
    context, page = desk_page(
        browser, live_server, staff(Role.PARTNERSHIP_LEAD, partnership=west_yorkshire)
    )
    page.goto("/staff/reports/")
    by_course = page.get_by_role("region", name="Learners by course")
    # Every course's figures are 1 to 4: all read "hidden", and so does any total that
    # would give one away; none links to a list of people, and the page says why.
    assert by_course.locator(".figure-hidden").count() >= 3 * 7
    assert by_course.get_by_role("link").count() == 0
    assert page.get_by_text("Why some figures are hidden.", exact=True).is_visible()
    assert by_course.evaluate("node => node.scrollWidth <= node.clientWidth"), (
        "the table is clipped: some columns need scrolling"
    )
    assert page.get_by_role("columnheader", name="Expired").is_visible()
    assert page.get_by_role("img").count() == 0
    assert page.get_by_text("No chart: every figure in it is hidden or none").count() == 2
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as CSV").click()
    rows = list(csv.reader(download.value.path().open(encoding="utf-8-sig")))
    by_course_rows = [row for row in rows[1:] if row[0] == "By course"]
    assert len(by_course_rows) == 4 * 7
    assert all(row[3] == "hidden" for row in by_course_rows if row[1] != "All courses")
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert not any(name in text for name in FIRST_NAMES)
    axe(page)
    context.close()


def test_staff_table_lines_up_and_flags_expiry(browser, live_server, axe, guest_house):
    context, page = desk_page(
        browser, live_server, staff(Role.ORGANISATION_MANAGER, organisation=guest_house)
    )
    page.goto(f"/staff/organisations/{guest_house.pk}/")
    table = page.get_by_role("table")
    edges = table.evaluate(
        """table => [table.tHead.rows[0], table.tBodies[0].rows[0]].map(row =>
            [...row.cells].map(cell => {
                const box = cell.getBoundingClientRect();
                const align = getComputedStyle(cell).textAlign;
                return [Math.round(box.left), Math.round(box.right), align];
            }))"""
    )
    headers, first_row = edges
    assert headers == first_row
    wrap = page.get_by_role("region", name="Staff training")
    assert wrap.evaluate("node => node.scrollWidth <= node.clientWidth")

    expiring = Certificate.objects.get(full_name="Cal Hotel").valid_until
    days = (expiring - timezone.localdate()).days
    assert table.get_by_text(f"Expires in {days} days").is_visible()
    assert table.get_by_text("Expired ").is_visible()
    page.get_by_role("link", name="Certificate expiry").click()
    page.wait_for_url("**?sort=expiry")
    names = table.get_by_role("rowheader").all_inner_texts()
    assert names == ["Dee Hotel", "Cal Hotel", "Bea Hotel", "Ada Hotel"]
    assert page.get_by_role("columnheader", name="Certificate").get_attribute("aria-sort") == (
        "ascending"
    )
    axe(page)
    context.close()
