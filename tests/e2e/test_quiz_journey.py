"""A driver fails the taxi test once, is sent back to the lessons, passes, and sees the
course complete, on a phone with every page passing axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.attempts import attempt_start, attempt_submit
from courses.models import Attempt, Enrolment, QuizPage

from ..courses.factories import wrong_answers
from .helpers import answer_every_screen, kirklees_driver, sign_in_by_session, sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready_driver():
    driver = kirklees_driver(lessons_done=True)
    QuizPage.objects.update(cooldown_minutes=0)
    return driver


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


def test_the_start_button_comes_back_by_itself_when_the_wait_is_over(
    browser, live_server, axe, ready_driver
):
    user, course = ready_driver
    quiz = course.quiz
    QuizPage.objects.filter(pk=quiz.pk).update(cooldown_minutes=15)
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    phone = context.new_page()
    sign_in_by_session(context, live_server.url, user)
    attempt = attempt_start(learner=user, quiz=quiz, course=course)
    attempt_submit(
        attempt_id=attempt.pk,
        learner=user,
        answers={int(field[1:]): [key] for field, key in wrong_answers(attempt).items()},
    )
    # The page's own clock, so fifteen minutes pass at once.
    phone.clock.install()
    phone.goto(quiz.url)
    assert phone.get_by_text("You can try again at").is_visible()
    assert phone.get_by_role("button", name="Start the test").count() == 0
    axe(phone)

    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=16)
    )
    phone.clock.run_for(16 * 60 * 1000)
    phone.get_by_role("button", name="Start the test").wait_for()
    context.close()
