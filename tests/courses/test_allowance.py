"""A wait ends on the minute the page shows, and the page knows how long to wait."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from courses.allowance import Refusal, allowance_for, minute_rounded_up
from courses.attempts import attempt_start, attempt_submit
from courses.services import progress_record

from ..people.factories import DriverAudienceFactory, LearnerProfileFactory
from .factories import course_build, quiz_build, wrong_answers


@pytest.mark.parametrize(
    "moment, rounded",
    [
        (
            datetime(2026, 11, 30, 15, 51, 21, tzinfo=UTC),
            datetime(2026, 11, 30, 15, 52, tzinfo=UTC),
        ),
        (datetime(2026, 11, 30, 15, 52, 0, tzinfo=UTC), datetime(2026, 11, 30, 15, 52, tzinfo=UTC)),
        (
            datetime(2026, 11, 30, 15, 52, 0, 1, tzinfo=UTC),
            datetime(2026, 11, 30, 15, 53, tzinfo=UTC),
        ),
        (datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC), datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_times_round_up_to_the_minute(moment, rounded):
    assert minute_rounded_up(moment) == rounded


@pytest.mark.django_db
def test_the_start_button_comes_back_at_the_minute_the_page_shows():
    course = course_build(audience=DriverAudienceFactory(), slug="taxi")
    quiz = quiz_build(course=course, cooldown_minutes=15)
    learner = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    for lesson in course.lessons:
        progress_record(learner=learner, lesson=lesson)
    attempt = attempt_start(learner=learner, quiz=quiz, course=course)
    data = wrong_answers(attempt)
    attempt_submit(
        attempt_id=attempt.pk,
        learner=learner,
        answers={int(k[1:]): [v] for k, v in data.items()},
    )
    attempt.refresh_from_db()
    submitted = attempt.submitted_at.replace(second=21, microsecond=0)
    type(attempt).objects.filter(pk=attempt.pk).update(submitted_at=submitted)
    shown = submitted.replace(second=0) + timedelta(minutes=16)  # 15 minutes, rounded up

    waiting = allowance_for(
        learner=learner, quiz=quiz, course=course, now=shown - timedelta(seconds=39)
    )
    assert waiting.kind == Refusal.COOLDOWN and not waiting.can_start
    assert f"{timezone.localtime(shown):%H:%M}." in waiting.reason
    assert waiting.wait_seconds == 39
    ready = allowance_for(learner=learner, quiz=quiz, course=course, now=shown)
    assert ready.can_start
