"""Taking a test: what the page shows, limits, results, and every request that tries it on."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from courses.attempts import attempt_content, questions_draw
from courses.models import Attempt, AttemptAnswer, CoursePage, Enrolment, QuizPage
from courses.services import progress_record

from ..people.factories import DriverAudienceFactory, HotelAudienceFactory, LearnerProfileFactory
from ..snapshots import snapshot_fixture
from .factories import course_build, quiz_build, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def taxi_course_build() -> dict:
    """The taxi course (built once per session: tests/snapshots.py)."""
    return {"course": course_build(audience=DriverAudienceFactory(), slug="taxi").pk}


def taxi_quiz_build() -> dict:
    """The taxi course and its test (built once per session: tests/snapshots.py)."""
    keys = taxi_course_build()
    course = CoursePage.objects.get(pk=keys["course"])
    return {**keys, "quiz": quiz_build(course=course, cooldown_minutes=0).pk}


taxi_course_snapshot = snapshot_fixture("taxi_course_snapshot", taxi_course_build)
taxi_quiz_snapshot = snapshot_fixture(
    "taxi_quiz_snapshot", taxi_quiz_build, extends="taxi_course_snapshot"
)


@pytest.fixture
def course(taxi_course_snapshot):
    return CoursePage.objects.get(pk=taxi_course_snapshot["course"])


@pytest.fixture
def quiz(taxi_quiz_snapshot):
    return QuizPage.objects.get(pk=taxi_quiz_snapshot["quiz"])


@pytest.fixture
def learner(client, course):
    user = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    for lesson in course.lessons:
        progress_record(learner=user, lesson=lesson)
    client.force_login(user)
    return user


def start(client, quiz) -> Attempt:
    response = client.post(quiz.url + "start/")
    assert response.status_code == 302, response.content[:500]
    return Attempt.objects.filter(quiz=quiz).latest("started_at")


def submit(client, quiz, attempt, data):
    return client.post(quiz.url + f"attempt/{attempt.pk}/", {**data, "action": "submit"})


def test_attempt_draws_questions_and_stores_exactly_what_was_shown(client, quiz, learner):
    attempt = start(client, quiz)
    assert attempt.total == 5
    assert len({item["question_id"] for item in attempt.items}) == 5
    for item in attempt.items:
        assert item["revision_id"]
        assert [o["key"] for o in item["options"]] == ["a", "b", "c"]


def test_the_question_page_holds_no_hint_of_the_right_answer(client, quiz, learner):
    attempt = start(client, quiz)
    for number in range(1, attempt.total + 1):
        html = client.get(quiz.url + f"attempt/{attempt.pk}/", {"q": number}).content.decode()
        key = attempt.answer_key[str(number)]
        for feedback in key["feedback"].values():
            assert feedback not in html
        option_values = re.findall(r'name="q\d+" id="[^"]*" value="([^"]*)"', html)
        assert option_values and set(option_values) <= set("abc")  # letters, never database ids
        assert "correct" not in html.lower()
        assert "Right answer" in html  # the option text itself, in shuffled position
    assert f"Question {number} of 5" in html


def test_options_are_shuffled_per_attempt(course, quiz):
    positions = set()
    for _ in range(10):
        _, key = attempt_content(questions_draw(course=course, count=5))
        positions.update(answer["correct"][0] for answer in key.values())
    assert len(positions) > 1


def test_answers_are_kept_screen_by_screen(client, quiz, learner):
    attempt = start(client, quiz)
    url = quiz.url + f"attempt/{attempt.pk}/"
    response = client.post(url, {"number": 1, "q1": "b", "action": "next"})
    assert response["Location"].endswith("?q=2")
    attempt.refresh_from_db()
    assert attempt.answers == {"1": ["b"]}
    html = client.get(url, {"q": 1}).content.decode()
    assert 'value="b" checked' in html


def test_a_second_tab_continues_the_same_attempt(client, quiz, learner):
    first = start(client, quiz)
    second = start(client, quiz)
    assert first.pk == second.pk
    assert Attempt.objects.count() == 1


def test_passing_completes_the_course(client, course, quiz, learner):
    attempt = start(client, quiz)
    response = submit(client, quiz, attempt, right_answers(attempt))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score_percent == 100
    assert Enrolment.objects.get(learner=learner, course=course).completed_at is not None
    result = client.get(response["Location"]).content.decode()
    assert "You passed" in result
    assert "Yes because" in result  # answers shown once passed


def test_a_replayed_submission_scores_once(client, quiz, learner):
    attempt = start(client, quiz)
    data = right_answers(attempt)
    submit(client, quiz, attempt, data)
    first = Attempt.objects.get(pk=attempt.pk)
    wrong = wrong_answers(attempt)
    response = submit(client, quiz, attempt, wrong)
    assert response.status_code == 302
    again = Attempt.objects.get(pk=attempt.pk)
    assert (again.submitted_at, again.score_percent) == (first.submitted_at, first.score_percent)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == attempt.total


def test_failing_with_answers_hidden_points_back_to_lessons(client, quiz, learner):
    attempt = start(client, quiz)
    response = submit(client, quiz, attempt, wrong_answers(attempt))
    html = client.get(response["Location"]).content.decode()
    assert "You did not pass this time" in html
    assert "Revisit:" in html
    assert "No, first reason" not in html and "No, second reason" not in html
    assert "Yes because" not in html
    assert "Right answer" not in html


def test_answers_shown_always_when_the_editor_says_so(client, quiz, learner):
    QuizPage.objects.filter(pk=quiz.pk).update(answers_shown=QuizPage.AnswersShown.ALWAYS)
    attempt = start(client, quiz)
    response = submit(client, quiz, attempt, wrong_answers(attempt))
    html = client.get(response["Location"]).content.decode()
    assert "The right answer:" in html
    assert "Yes because" in html


def test_attempts_run_out(client, quiz, learner):
    QuizPage.objects.filter(pk=quiz.pk).update(attempt_period_days=0)
    for _ in range(3):
        attempt = start(client, quiz)
        submit(client, quiz, attempt, wrong_answers(attempt))
    response = client.post(quiz.url + "start/")
    assert response.status_code == 403
    assert b"You have used all 3 attempts" in response.content
    assert Attempt.objects.count() == 3


def test_attempts_renew_after_the_period(client, quiz, learner):
    for _ in range(3):
        attempt = start(client, quiz)
        submit(client, quiz, attempt, wrong_answers(attempt))
    refused = client.post(quiz.url + "start/")
    assert refused.status_code == 403
    assert b"You can try again from" in refused.content
    Attempt.objects.update(started_at=timezone.now() - timedelta(days=31))
    assert start(client, quiz).number == 4


def test_cooldown_between_attempts(client, quiz, learner):
    QuizPage.objects.filter(pk=quiz.pk).update(cooldown_minutes=15)
    attempt = start(client, quiz)
    submit(client, quiz, attempt, wrong_answers(attempt))
    response = client.post(quiz.url + "start/")
    assert response.status_code == 429
    # Fifteen minutes, rounded up to the minute the page shows.
    assert 0 < int(response["Retry-After"]) <= 16 * 60
    assert b"You can try again at" in response.content
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=16))
    assert start(client, quiz).number == 2


def test_no_new_attempt_after_passing(client, quiz, learner):
    attempt = start(client, quiz)
    submit(client, quiz, attempt, right_answers(attempt))
    response = client.post(quiz.url + "start/")
    assert response.status_code == 403
    assert b"already passed" in response.content


def test_submitting_after_the_attempt_ended(client, quiz, learner):
    attempt = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = submit(client, quiz, attempt, right_answers(attempt))
    assert response.status_code == 410
    assert b"can no longer be submitted" in response.content
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.passed is None


def test_test_opens_only_after_every_lesson(client, course, quiz):
    user = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    client.force_login(user)
    response = client.post(quiz.url + "start/")
    assert response.status_code == 403
    assert b"Finish every lesson" in response.content
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q1": "z"}, "not one of the choices"),
        ({"q1": "a' OR 1=1"}, "not one of the choices"),
        ({"q99": "a"}, "no such question"),
        ({"qx": "a"}, "unexpected field"),
        ({"q1": ["a", "a"]}, "sent twice"),
        ({"q1": ["a", "b"]}, "only one answer"),
    ],
)
def test_tampered_answers_are_refused_and_nothing_is_scored(client, quiz, learner, data, message):
    attempt = start(client, quiz)
    payload = right_answers(attempt) | data
    response = submit(client, quiz, attempt, payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not AttemptAnswer.objects.exists()


def test_missing_answers_are_listed_and_given_answers_kept(client, quiz, learner):
    attempt = start(client, quiz)
    data = right_answers(attempt)
    del data["q3"]
    response = submit(client, quiz, attempt, data)
    assert response.status_code == 400
    assert "Question 3: not answered" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_an_oversized_payload_is_refused(client, quiz, learner):
    attempt = start(client, quiz)
    response = submit(client, quiz, attempt, {"q1": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_another_learners_attempt_is_not_found(client, quiz, learner, course):
    attempt = start(client, quiz)
    other = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    client.force_login(other)
    url = quiz.url + f"attempt/{attempt.pk}/"
    assert client.get(url).status_code == 404
    assert submit(client, quiz, attempt, right_answers(attempt)).status_code == 404
    assert client.get(url + "result/").status_code == 404
    assert client.get(quiz.url + "attempt/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(quiz.url + "attempt/not-a-uuid/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_bad_question_numbers_are_not_found(client, quiz, learner):
    attempt = start(client, quiz)
    url = quiz.url + f"attempt/{attempt.pk}/"
    for value in ("0", "6", "abc", "-1", "9" * 50):
        assert client.get(url, {"q": value}).status_code == 404


def test_a_test_for_another_audience_is_refused(client, learner):
    hotel = course_build(audience=HotelAudienceFactory(), slug="hotel")
    hotel_quiz = quiz_build(course=hotel)
    assert client.get(hotel_quiz.url).status_code == 403
    assert client.post(hotel_quiz.url + "start/").status_code == 403
    assert not Attempt.objects.exists()


def test_start_needs_post(client, quiz, learner):
    assert client.get(quiz.url + "start/").status_code == 405


def test_question_statistics_count_what_was_chosen(client, course, quiz, learner):
    from courses.selectors import question_statistics

    attempt = start(client, quiz)
    submit(client, quiz, attempt, right_answers(attempt))
    rows = {row["question"].pk: row for row in question_statistics(course=course)}
    shown_ids = {item["question_id"] for item in attempt.items}
    for question_id, row in rows.items():
        expected = 1 if question_id in shown_ids else 0
        assert (row["shown"], row["right"]) == (expected, expected)
        chosen = {option["option"].is_correct: option["chosen"] for option in row["options"]}
        assert chosen[True] == expected
        assert chosen[False] == 0
