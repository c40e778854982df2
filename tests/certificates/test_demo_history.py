"""The demo accounts' certificates tell one story: lessons, then a passed test, then the
certificate, with every date agreeing, as quickstart makes them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent
from courses.models import Attempt, Enrolment, LessonCompletion
from courses.navigation import CourseProgress
from training_site.demo import demo_certificates_create
from training_site.fixtures import fixture_read

pytestmark = pytest.mark.django_db


def standing(email: str) -> Certificate:
    return Certificate.objects.standing().get(learner__email=email)


def test_each_enrolment_was_completed_by_its_newest_certificate(demo_snapshot):
    enrolments = Enrolment.objects.exclude(completed_at=None).select_related("learner")
    assert enrolments.count() == 5
    for enrolment in enrolments:
        newest = Certificate.objects.filter(
            learner=enrolment.learner, course_page=enrolment.course_id
        ).latest("issued_at")
        assert newest.completed_on == timezone.localdate(enrolment.completed_at), enrolment


def test_each_certificate_follows_a_passed_test_after_the_lessons(demo_snapshot):
    for certificate in Certificate.objects.all():
        attempt = Attempt.objects.get(pk=certificate.completion_ref.removeprefix("attempt:"))
        assert attempt.learner_id == certificate.learner_id
        assert attempt.passed
        assert attempt.started_at < attempt.submitted_at <= certificate.issued_at
        assert timezone.localdate(attempt.submitted_at) == certificate.completed_on
        first_pass = Attempt.objects.filter(
            learner=certificate.learner, course=attempt.course
        ).earliest("started_at")
        lessons = LessonCompletion.objects.filter(
            learner=certificate.learner, course=attempt.course
        )
        assert lessons.count() == len(attempt.course.lessons)
        assert all(done.completed_at < first_pass.started_at for done in lessons)
        enrolment = Enrolment.objects.get(learner=certificate.learner, course=attempt.course)
        assert all(enrolment.started_at < done.completed_at for done in lessons)
        assert CourseProgress(
            learner=certificate.learner, outline=attempt.course.outline
        ).test_passed


def test_the_audit_trail_never_comes_before_the_certificate(demo_snapshot):
    for event in CertificateEvent.objects.select_related("certificate"):
        assert event.at >= event.certificate.issued_at, event


def test_a_superseded_certificate_is_older_than_the_one_that_replaced_it(demo_snapshot):
    older = Certificate.objects.exclude(superseded_by=None).select_related("superseded_by")
    assert older.count() == 1
    for certificate in older:
        assert certificate.issued_at < certificate.superseded_by.issued_at
        assert certificate.completed_on < certificate.superseded_by.completed_on


def test_each_demo_account_is_in_the_state_its_name_promises(demo_snapshot):
    today = timezone.localdate()
    soon = today + timedelta(days=30)
    for email in ("hotel@example.org", "renewal@example.org"):
        assert today <= standing(email).valid_until <= soon, email
    assert standing("teacher@example.org").valid_until < today
    assert standing("driver@example.org").valid_until > soon
    assert Certificate.objects.get(learner__email="revoked@example.org").revoked_at is not None


def test_running_it_again_changes_nothing(demo_snapshot):
    before = (Certificate.objects.count(), Attempt.objects.count(), Enrolment.objects.count())
    made = demo_certificates_create(data=fixture_read("demo_accounts.yaml"))
    assert len(made) == before[0]
    assert (Certificate.objects.count(), Attempt.objects.count(), Enrolment.objects.count()) == (
        before
    )
