"""Recording progress: once per learner and lesson, however requests arrive."""

import pytest

from courses.models import Enrolment, LessonCompletion
from courses.services import course_complete, enrolment_start, progress_record

from ..concurrency import run_at_once
from ..people.factories import DriverAudienceFactory, LearnerProfileFactory
from .factories import course_build


@pytest.fixture
def setup_course():
    audience = DriverAudienceFactory()
    course = course_build(audience=audience, slug="taxi")
    learner = LearnerProfileFactory(audience=audience, onboarded=True).user
    return course, learner


@pytest.mark.django_db
def test_recording_twice_keeps_one_record(setup_course):
    course, learner = setup_course
    lesson = course.lessons[0]
    first = progress_record(learner=learner, lesson=lesson)
    second = progress_record(learner=learner, lesson=lesson)
    assert first.pk == second.pk
    assert LessonCompletion.objects.count() == 1
    assert Enrolment.objects.count() == 1


@pytest.mark.django_db
def test_course_completes_only_when_every_lesson_is_done(setup_course):
    course, learner = setup_course
    for lesson in course.lessons[:-1]:
        progress_record(learner=learner, lesson=lesson)
    assert course_complete(learner=learner, course=course) is None
    progress_record(learner=learner, lesson=course.lessons[-1])
    enrolment = Enrolment.objects.get(learner=learner, course=course)
    assert enrolment.completed_at is not None
    completed_at = enrolment.completed_at
    course_complete(learner=learner, course=course)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_completions_of_one_lesson_leave_one_record(on_postgres, setup_course):
    course, learner = setup_course
    lesson = course.lessons[0]
    results = run_at_once(lambda i: progress_record(learner=learner, lesson=lesson), count=20)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    assert LessonCompletion.objects.filter(learner=learner, lesson=lesson).count() == 1
    assert Enrolment.objects.filter(learner=learner, course=course).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_finishing_the_last_two_lessons_together_complete_the_course(
    on_postgres, setup_course
):
    course, learner = setup_course
    for lesson in course.lessons[:-2]:
        progress_record(learner=learner, lesson=lesson)
    last_two = course.lessons[-2:]
    results = run_at_once(
        lambda i: progress_record(learner=learner, lesson=last_two[i % 2]), count=10
    )
    assert not [result for result in results if isinstance(result, Exception)]
    assert Enrolment.objects.get(learner=learner, course=course).completed_at is not None


@pytest.mark.django_db(transaction=True)
def test_parallel_enrolment_makes_one(on_postgres, setup_course):
    course, learner = setup_course
    run_at_once(lambda i: enrolment_start(learner=learner, course=course), count=10)
    assert Enrolment.objects.filter(learner=learner, course=course).count() == 1
