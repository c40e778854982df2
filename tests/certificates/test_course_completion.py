"""Courses hand over to certificates: passing issues one; a refresher supersedes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.attempts import QuizUnavailable, attempt_start, attempt_submit
from courses.services import progress_record

from ..courses.factories import course_build, quiz_build
from ..people.factories import DriverAudienceFactory, LearnerProfileFactory, LicenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    course = course_build(audience=DriverAudienceFactory(), slug="taxi", validity_months=36)
    quiz = quiz_build(course=course, cooldown_minutes=0)
    profile = LearnerProfileFactory(audience=course.audience, onboarded=True)
    LicenceFactory(holder=profile.user, authority=profile.home_borough)
    for lesson in course.lessons:
        progress_record(learner=profile.user, lesson=lesson)
    return course, quiz, profile.user


def pass_test(course, quiz, learner):
    attempt = attempt_start(learner=learner, quiz=quiz, course=course)
    answers = {int(n): key["correct"] for n, key in attempt.answer_key.items()}
    return attempt_submit(attempt_id=attempt.pk, learner=learner, answers=answers)


def test_passing_the_test_issues_one_certificate(setting):
    course, quiz, learner = setting
    attempt = pass_test(course, quiz, learner)
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.completion_ref == f"attempt:{attempt.pk}"
    assert certificate.course_page_id == course.pk
    course.refresh_from_db()
    assert certificate.course_version == course.version
    attempt_submit(attempt_id=attempt.pk, learner=learner, answers={})
    assert Certificate.objects.count() == 1


def test_no_refresher_until_the_certificate_is_near_expiry(setting):
    course, quiz, learner = setting
    pass_test(course, quiz, learner)
    with pytest.raises(QuizUnavailable, match="already passed"):
        attempt_start(learner=learner, quiz=quiz, course=course)


def test_a_refresher_issues_a_new_certificate_and_supersedes_the_old(setting):
    course, quiz, learner = setting
    pass_test(course, quiz, learner)
    old = Certificate.objects.get()
    Certificate.objects.filter(pk=old.pk).update(
        valid_until=timezone.localdate() + timedelta(days=30)
    )
    pass_test(course, quiz, learner)
    old.refresh_from_db()
    new = Certificate.objects.exclude(pk=old.pk).get()
    assert old.superseded_by == new
    assert new.status == "valid"


def test_a_revoked_certificate_opens_no_refresher(setting):
    from certificates.services import certificate_revoke

    course, quiz, learner = setting
    pass_test(course, quiz, learner)
    certificate_revoke(certificate=Certificate.objects.get(), actor=None, reason="misconduct")
    with pytest.raises(QuizUnavailable):
        attempt_start(learner=learner, quiz=quiz, course=course)


def test_pupil_lessons_issue_no_certificate():
    course = course_build(
        audience=DriverAudienceFactory(), slug="pupils", for_pupils=True, issues_certificate=False
    )
    learner = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    for lesson in course.lessons:
        progress_record(learner=learner, lesson=lesson)
    assert not Certificate.objects.exists()
