"""A test submitted ten times at once is scored once; started ten times at once, begun once."""

import pytest

from courses.attempts import attempt_start, attempt_submit
from courses.models import Attempt, AttemptAnswer
from courses.services import progress_record

from ..concurrency import run_at_once
from ..people.factories import DriverAudienceFactory, LearnerProfileFactory
from .factories import course_build, quiz_build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready(on_postgres):
    course = course_build(audience=DriverAudienceFactory(), slug="taxi")
    quiz = quiz_build(course=course)
    learner = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    for lesson in course.lessons:
        progress_record(learner=learner, lesson=lesson)
    return course, quiz, learner


def test_ten_parallel_submissions_score_one_attempt(ready):
    course, quiz, learner = ready
    attempt = attempt_start(learner=learner, quiz=quiz, course=course)
    answers = {int(n): key["correct"] for n, key in attempt.answer_key.items()}
    results = run_at_once(
        lambda i: attempt_submit(attempt_id=attempt.pk, learner=learner, answers=answers),
        count=10,
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.submitted_at for r in results} == {Attempt.objects.get().submitted_at}
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == attempt.total
    assert Attempt.objects.get().passed


def test_ten_parallel_starts_make_one_attempt(ready):
    course, quiz, learner = ready
    results = run_at_once(
        lambda i: attempt_start(learner=learner, quiz=quiz, course=course), count=10
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Attempt.objects.count() == 1
    assert {r.pk for r in results} == {Attempt.objects.get().pk}
