"""An officer on a phone pastes licence numbers, reads the answers and downloads them as
CSV; a borough lead opens the dashboard and follows a figure to the people behind it.
Every page passes axe-core."""

import csv

import pytest
from django.utils import timezone

from certificates.services import CertifiedCourse, certificate_issue
from training_site.people import services
from training_site.people.models import Audience, Borough
from training_site.people.roles import Role

from ..people.factories import UserFactory, role_assign
from ..people.sessions import second_factor_for
from .helpers import kirklees_driver, sign_in_with_password_and_totp

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def certified_driver_and_an_uncertified_one():
    driver, course = kirklees_driver(lessons_done=True)
    certificate_issue(
        learner=driver,
        course=CertifiedCourse(
            page_id=course.pk, title=course.title, version=course.version, validity_months=36
        ),
        completion_ref="journey:1",
        completed_at=timezone.now(),
    )
    other = UserFactory(email="second@example.org")
    services.profile_save(
        user=other,
        full_name="Ayşe Yılmaz",
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=Borough.objects.get(slug="kirklees"),
    )
    services.licence_add(holder=other, authority=Borough.objects.get(slug="kirklees"), number="PH2")


def kirklees_staff_page(browser, live_server, role):
    """The demo drivers, and a Kirklees member of staff signed in on a phone."""
    certified_driver_and_an_uncertified_one()
    kirklees = Borough.objects.get(slug="kirklees")
    user = UserFactory()
    role_assign(user, role, borough=kirklees)
    secret = second_factor_for(user)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    sign_in_with_password_and_totp(page, user.email, "correct-horse-battery", secret)
    return context, page


def test_officer_batch_checks_licences_and_downloads_csv(browser, live_server, axe):
    context, page = kirklees_staff_page(browser, live_server, Role.LICENSING_OFFICER)
    page.goto("/staff/")
    axe(page)
    page.get_by_role("link", name="Check a list of licences").click()
    page.get_by_label("Licence numbers").fill("ph 104-27\n\nph2\nNOPE99\nph10427\n")
    page.get_by_role("button", name="Check", exact=True).click()
    table = page.get_by_role("table")
    assert "Valid until" in table.get_by_role("row").nth(1).inner_text()
    assert "Łukasz Wiśniewski" in table.inner_text()
    assert "No certificate" in table.get_by_role("row").nth(2).inner_text()
    assert "No driver has registered it" in table.get_by_role("row").nth(3).inner_text()
    assert page.get_by_text("1 repeated line answered once").is_visible()
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the answers as CSV").click()
    rows = list(csv.reader(download.value.path().open(encoding="utf-8-sig")))
    assert rows[0] == ["Licence number", "As typed", "Status", "Name", "Valid until", "Certificate"]
    assert [row[0] for row in rows[1:]] == ["PH10427", "PH2", "NOPE99"]
    assert rows[1][3] == "Łukasz Wiśniewski"
    context.close()


def test_lead_follows_a_figure_to_the_people_behind_it(browser, live_server, axe):
    context, page = kirklees_staff_page(browser, live_server, Role.BOROUGH_LEAD)
    page.goto("/staff/reports/")
    axe(page)
    assert page.get_by_role("img", name="Courses completed each month").is_visible()
    page.locator("table.figures tfoot").get_by_role("link").first.click()
    assert page.get_by_role("heading", name="Enrolled").is_visible()
    assert page.get_by_text("Łukasz Wiśniewski").is_visible()
    axe(page)
    context.close()


def test_a_long_junk_line_in_a_batch_does_not_push_the_answers_off_a_phone(
    browser, live_server, axe
):
    context, page = kirklees_staff_page(browser, live_server, Role.LICENSING_OFFICER)
    page.goto("/staff/licences/batch/")
    page.get_by_label("Licence numbers").fill("Z" * 400 + "\nPH10427\tKIRKLEES\n")
    page.get_by_role("button", name="Check", exact=True).click()
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("node => node.scrollWidth <= node.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    answers = page.get_by_role("table").inner_text()
    assert "Not a licence number" in answers and "Valid until" in answers
    axe(page)
    context.close()
