"""Thirty pupils answering at once, each tapping twice and changing their mind: the tallies
count one answer per pupil per question, the latest."""

import secrets

import pytest
from django.db import connection

from courses.classroom import services
from courses.classroom.models import PupilAnswer
from courses.classroom.selectors import session_results

from ...concurrency import run_at_once
from .factories import pupil_lesson_build, session_start, teacher_build

pytestmark = pytest.mark.django_db(transaction=True)

PUPILS = 30


def test_thirty_pupils_at_once_are_tallied_exactly(on_postgres):
    lesson = pupil_lesson_build()
    session = session_start(teacher_build(lesson), lesson)
    question = lesson.questions.order_by("pk").first()
    right, wrong, _ = question.options.order_by("pk")
    tokens = [secrets.token_hex(16) for _ in range(PUPILS)]

    def pupil(index: int):
        token = tokens[index]
        # Everyone first taps the wrong answer twice, then two in three change their mind.
        for _ in range(2):
            services.pupil_answer_record(
                session=session, pupil_token=token, question_id=question.pk, option_id=wrong.pk
            )
        if index % 3:
            services.pupil_answer_record(
                session=session, pupil_token=token, question_id=question.pk, option_id=right.pk
            )
        services.pupil_join(session=session)
        return connection.vendor

    results = run_at_once(pupil, count=PUPILS)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert PupilAnswer.objects.count() == PUPILS
    session.refresh_from_db()
    tally = session_results(session)
    assert (tally["joined"], tally["answered"]) == (PUPILS, PUPILS)
    counts = {option["text"]: option["count"] for option in tally["questions"][0]["options"]}
    assert counts[right.text] == 20 and counts[wrong.text] == 10
