"""A new driver goes from the home page to a certificate in hand on a phone: reads the
first lesson before signing up, signs up from it, confirms their email with the emailed
code, sets up their profile, comes back to the lesson, finishes the course, finds the
test at the top of the page without scrolling, passes, and downloads the certificate.
Every page passes axe-core."""

import pytest

from courses.models import Attempt, CoursePage, QuizPage
from training_site.people.models import LearnerProfile, Licence

from ..people.mail import last_code
from .conftest import PHONE
from .helpers import answer_every_screen

pytestmark = pytest.mark.django_db(transaction=True)


def above_the_fold(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


def test_new_driver_from_home_page_to_certificate(phone, axe, site_content):
    QuizPage.objects.update(cooldown_minutes=0)
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    first_lesson = course.lessons[0]

    phone.goto("/")
    axe(phone)
    assert (
        phone.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Courses")
        .is_visible()
    )
    phone.get_by_role("link", name="I drive a taxi or private hire vehicle").click()

    # Straight into the first lesson, which anyone may read.
    phone.wait_for_url(f"**{first_lesson.url}")
    assert phone.get_by_role("heading", level=1, name=first_lesson.title).is_visible()
    axe(phone)
    phone.get_by_role("link", name="Sign up to track your progress").click()
    phone.get_by_label("Email address").fill("new.driver@example.org")
    axe(phone)
    phone.get_by_role("button", name="Create account").click()

    phone.wait_for_url("**/accounts/confirm-email/")
    axe(phone)
    phone.get_by_label("Code").fill(last_code("new.driver@example.org"))
    phone.get_by_role("button", name="Confirm").click()

    phone.wait_for_url("**/profile/start/**")
    assert phone.get_by_label("Taxi and private hire driver").is_checked()
    phone.get_by_role("button", name="Continue").click()
    # Nothing filled in: errors are shown, and the role choice survives.
    assert phone.get_by_role("alert").is_visible()
    assert phone.get_by_label("Taxi and private hire driver").is_checked()
    axe(phone)

    phone.get_by_label("Full name").fill("Łukasz Wiśniewski")
    phone.get_by_label("Which council area do you work in?").select_option(label="Kirklees")
    phone.get_by_role("button", name="Continue").click()

    phone.wait_for_url("**/profile/licences/")
    axe(phone)
    phone.get_by_label("Licensing authority").select_option(label="Kirklees")
    phone.get_by_label("Licence or badge number").fill("ph 104 27")
    phone.get_by_role("button", name="Add licence").click()
    assert phone.get_by_text("PH10427", exact=True).is_visible()
    phone.get_by_role("button", name="Finish and start training").click()

    # Back to the lesson they were reading, now able to record it.
    phone.wait_for_url(f"**{first_lesson.url}")
    profile = LearnerProfile.objects.get(user__email="new.driver@example.org")
    assert profile.onboarded_at is not None
    assert Licence.objects.get(holder=profile.user).number == "PH10427"

    for lesson in course.lessons[:-1]:
        phone.wait_for_url(f"**{lesson.url}")
        phone.get_by_role("button", name="Mark complete and continue").click()
    phone.wait_for_url(f"**{course.lessons[-1].url}")
    phone.get_by_role("button", name="Mark complete and go to the test").click()
    phone.wait_for_url(f"**{course.quiz.url}")
    axe(phone)

    # The course page leads with the test, on the first screen.
    phone.goto(course.url)
    take_test = phone.get_by_role("link", name="Take the test")
    assert above_the_fold(take_test)
    take_test.click()
    phone.get_by_role("button", name="Start the test").click()
    attempt = Attempt.objects.get(learner=profile.user)
    answer_every_screen(phone, attempt, right=True, axe=axe)

    phone.wait_for_url("**/result/")
    assert phone.get_by_role("heading", name="Your certificate is ready").is_visible()
    axe(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.startswith("certificate-")
    phone.get_by_role("button", name="Email me a copy").click()
    phone.wait_for_url("**/result/")
    assert phone.get_by_text("We have emailed a copy to new.driver@example.org.").is_visible()

    phone.get_by_role("link", name="My training").click()
    certificate = profile.user.certificates.get()
    assert phone.get_by_role(
        "link", name=f"Your certificate {certificate.display_code}"
    ).is_visible()
    assert phone.get_by_text(f"Completed {certificate.completed_on:%-d %B %Y}").is_visible()
    axe(phone)
