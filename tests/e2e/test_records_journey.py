"""A driver reads and downloads their records, then closes their account on a phone; the
certificate they held then verifies as no longer available, and officers are told why."""

import json
import os
from pathlib import Path

import pytest

from certificates.models import Certificate
from courses.attempts import attempt_start, attempt_submit
from courses.models import QuizPage
from training_site.people.models import Borough, User
from training_site.people.roles import Role

from ..people.factories import UserFactory, role_assign
from ..people.mail import last_code, sent_mail
from ..people.records_world import answers
from .conftest import PHONE
from .helpers import kirklees_driver, sign_in_by_session, sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

# Set SCREENSHOTS=/some/dir to keep a picture of each page for a person to look at.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def look(page, name: str, axe) -> None:
    axe(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways ({width}px)"
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_records_download_and_closing(browser, phone, live_server, axe):
    driver, course = kirklees_driver(lessons_done=True)
    sign_in_with_code(phone, driver.email)
    quiz = QuizPage.objects.child_of(course).get()
    attempt = attempt_start(learner=driver, quiz=quiz, course=course)
    attempt_submit(attempt_id=attempt.pk, learner=driver, answers=answers(attempt, right=True))
    certificate = Certificate.objects.get(learner=driver)
    sent_mail()  # the certificate's email goes now, not after the code asked for below

    phone.goto("/profile/")
    phone.get_by_role("link", name="See or download everything we hold about you").click()
    assert phone.get_by_role("heading", name="Your records", level=1).is_visible()
    assert phone.get_by_text("PH10427").first.is_visible()
    look(phone, "records", axe)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download your records (JSON file)").click()
    held = json.loads(download.value.path().read_text())["records"]
    assert held["certificates"][0]["code"] == certificate.display_code

    phone.get_by_role("link", name="close your account").click()
    look(phone, "close", axe)
    phone.get_by_label("I understand").check()
    phone.get_by_role("button", name="Close my account").click()
    # allauth asks for the password, or an emailed code, before the account goes.
    assert phone.get_by_label("Password").is_visible()
    look(phone, "reauthenticate", axe)
    phone.get_by_role("link", name="Send me a sign-in code").click()
    look(phone, "reauthenticate_code", axe)
    phone.get_by_role("button", name="Email me a code").click()
    code_field = phone.get_by_label("Code")
    code_field.wait_for()
    code_field.fill(last_code(driver.email))
    look(phone, "reauthenticate_code_confirm", axe)
    phone.get_by_role("button", name="Confirm").click()
    phone.wait_for_url("**/accounts/closed/")
    look(phone, "closed", axe)
    assert not User.objects.filter(pk=driver.pk).exists()

    phone.goto(f"/verify/{certificate.code}/")
    assert phone.get_by_text("This certificate is no longer available").is_visible()
    assert phone.get_by_text("Łukasz").count() == 0
    look(phone, "verify_gone", axe)

    officer = UserFactory(email="officer@example.org")
    role_assign(officer, Role.LICENSING_OFFICER, borough=Borough.objects.get(slug="kirklees"))
    desk = browser.new_context(viewport=PHONE, base_url=live_server.url)
    sign_in_by_session(desk, live_server.url, officer)
    officer_page = desk.new_page()
    officer_page.goto(f"/verify/{certificate.code}/")
    assert officer_page.get_by_text("The holder closed their account on").is_visible()
    look(officer_page, "verify_gone_officer", axe)
    desk.close()
