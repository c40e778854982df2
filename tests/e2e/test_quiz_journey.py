"""A driver fails the taxi test once, is sent back to the lessons, passes, and sees the
course complete, on a phone with every page passing axe-core."""

import pytest
from django.core.management import call_command

from courses.models import Attempt, CoursePage, Enrolment, QuizPage
from courses.services import progress_record
from training_site.people import services
from training_site.people.models import Audience, Borough

from ..people.factories import UserFactory
from .helpers import sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready_driver():
    call_command("load_content", verbosity=0)
    QuizPage.objects.update(cooldown_minutes=0)
    kirklees = Borough.objects.get(slug="kirklees")
    user = UserFactory(email="driver@example.org")
    services.profile_save(
        user=user,
        full_name="Łukasz Wiśniewski",
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=kirklees,
    )
    services.licence_add(holder=user, authority=kirklees, number="PH10427")
    services.onboarding_finish(user=user)
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    for lesson in course.lessons:
        progress_record(learner=user, lesson=lesson)
    return user, course


def answer_every_screen(phone, attempt, *, right: bool, axe) -> None:
    for item in attempt.items:
        correct = attempt.answer_key[str(item["number"])]["correct"]
        keys = [o["key"] for o in item["options"] if (o["key"] in correct) == right]
        assert phone.get_by_text(f"Question {item['number']} of {attempt.total}").is_visible()
        if item["number"] == 1:
            axe(phone)
        for key in keys if item["kind"] == "multiple" or right else keys[:1]:
            phone.locator(f"#q{item['number']}{key}").check()
        last = item["number"] == attempt.total
        phone.get_by_role(
            "button", name="Submit my answers" if last else "Save and next question"
        ).click()


def test_fail_revisit_pass_complete(browser, live_server, axe, ready_driver):
    user, course = ready_driver
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    phone = context.new_page()
    sign_in_with_code(phone, user.email)
    phone.goto(course.url)
    phone.get_by_role("link", name="Take the test").click()
    axe(phone)
    phone.get_by_role("button", name="Start the test").click()

    attempt = Attempt.objects.get(learner=user)
    answer_every_screen(phone, attempt, right=False, axe=axe)
    phone.wait_for_url("**/result/")
    assert phone.get_by_role("heading", name="You did not pass this time").is_visible()
    assert phone.get_by_role("heading", name="Read these lessons again").is_visible()
    revisit = phone.get_by_role("link", name="Revisit:")
    assert revisit.count() >= 1
    axe(phone)
    revisit.first.click()
    assert phone.get_by_role("heading", level=1).is_visible()

    phone.goto(course.url)
    phone.get_by_role("link", name="Take the test").click()
    phone.get_by_role("button", name="Start the test").click()
    second = Attempt.objects.filter(learner=user).latest("started_at")
    assert second.number == 2
    answer_every_screen(phone, second, right=True, axe=axe)
    phone.wait_for_url("**/result/")
    assert phone.get_by_role("heading", name="You passed").is_visible()
    axe(phone)

    phone.goto(course.url)
    assert phone.get_by_text("Course completed").is_visible()
    assert Enrolment.objects.get(learner=user, course=course).completed_at is not None
    context.close()
