"""What a learner is asked to do next: the test after the last lesson, the certificate
after a pass, and renewal before and after it expires."""

from datetime import timedelta

import pytest
from django.utils import timezone
from mailer.models import Message

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.attempts import attempt_start, attempt_submit
from courses.models import Attempt, Enrolment
from courses.navigation import CourseProgress
from courses.services import progress_record
from courses.stage import Stage, stage_of

from ..certificates.factories import issue
from ..people.factories import DriverAudienceFactory, LearnerProfileFactory, LicenceFactory
from ..people.mail import sent_mail
from .factories import course_build, quiz_build, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    built = course_build(audience=DriverAudienceFactory(), slug="taxi", validity_months=36)
    quiz_build(course=built, cooldown_minutes=0)
    return built


@pytest.fixture
def learner(course, client):
    profile = LearnerProfileFactory(audience=course.audience, onboarded=True)
    LicenceFactory(holder=profile.user, authority=profile.home_borough)
    client.force_login(profile.user)
    return profile.user


def finish_lessons(course, learner):
    for lesson in course.lessons:
        progress_record(learner=learner, lesson=lesson)


def pass_test(course, learner) -> Attempt:
    attempt = attempt_start(learner=learner, quiz=course.quiz, course=course)
    answers = {int(n): key["correct"] for n, key in attempt.answer_key.items()}
    return attempt_submit(attempt_id=attempt.pk, learner=learner, answers=answers)


def expire_in(days: int, learner) -> Certificate:
    certificate = Certificate.objects.get(learner=learner, superseded_by__isnull=True)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


def main_panel(response) -> str:
    """The course page's panel at the top, before the outline three screens down."""
    html = response.content.decode()
    return html[html.index("progress-panel") : html.index("What is in the course")]


class TestAfterTheLastLesson:
    def test_marking_the_last_lesson_goes_to_the_test(self, client, course, learner):
        for lesson in course.lessons[:-1]:
            progress_record(learner=learner, lesson=lesson)
        response = client.post(course.lessons[-1].url)
        assert response.status_code == 302
        assert response["Location"] == course.quiz.url

    def test_the_last_lesson_says_its_next_step_is_the_test(self, client, course, learner):
        for lesson in course.lessons[:-1]:
            progress_record(learner=learner, lesson=lesson)
        html = client.get(course.lessons[-1].url).content.decode()
        assert "Mark complete and go to the test" in html
        assert f'href="{course.quiz.url}" rel="next"' in html

    def test_a_lesson_skipped_earlier_comes_before_the_test(self, client, course, learner):
        for lesson in course.lessons[1:-1]:
            progress_record(learner=learner, lesson=lesson)
        response = client.post(course.lessons[-1].url)
        assert response["Location"] == course.lessons[0].url

    def test_the_course_page_leads_with_the_test(self, client, course, learner):
        finish_lessons(course, learner)
        panel = main_panel(client.get(course.url))
        assert "Take the test" in panel
        assert f'href="{course.quiz.url}"' in panel
        assert "Course completed" not in panel

    def test_the_dashboard_offers_the_test(self, client, course, learner):
        finish_lessons(course, learner)
        html = client.get("/dashboard/").content.decode()
        assert "Next: take the test" in html and f'href="{course.quiz.url}"' in html


class TestAfterPassing:
    def test_the_result_offers_the_certificate_there_and_then(self, client, course, learner):
        finish_lessons(course, learner)
        attempt = pass_test(course, learner)
        certificate = Certificate.objects.get(learner=learner)
        result_url = course.quiz.result_url(attempt)
        html = client.get(result_url).content.decode()
        assert "Your certificate is ready" in html
        assert f"/certificates/{certificate.code}/pdf/" in html
        assert f'action="/certificates/{certificate.code}/email/"' in html
        assert f"/verify/{certificate.code}/" in html

    def test_passing_queues_the_certificate_email_with_its_pdf(
        self, course, learner, django_capture_on_commit_callbacks
    ):
        finish_lessons(course, learner)
        with django_capture_on_commit_callbacks(execute=True):
            pass_test(course, learner)
        certificate = Certificate.objects.get(learner=learner)
        assert Message.objects.count() == 1  # queued for the mail worker, not sent
        (message,) = sent_mail()
        assert message.to == [learner.email]
        assert certificate.display_code in message.body
        ((name, content, mimetype),) = message.attachments
        assert name == f"certificate-{certificate.display_code}.pdf"
        assert mimetype == "application/pdf"
        assert content.startswith(b"%PDF")

    def test_email_me_a_copy_comes_back_to_the_result(self, client, course, learner):
        finish_lessons(course, learner)
        attempt = pass_test(course, learner)
        certificate = Certificate.objects.get(learner=learner)
        result_url = course.quiz.result_url(attempt)
        response = client.post(f"/certificates/{certificate.code}/email/", {"next": result_url})
        assert response["Location"] == result_url
        assert len(sent_mail()) == 1
        response = client.post(
            f"/certificates/{certificate.code}/email/", {"next": "https://evil.example/"}
        )
        assert response["Location"] == "/certificates/"

    def test_a_failed_result_offers_no_certificate(self, client, course, learner):
        finish_lessons(course, learner)
        attempt = attempt_start(learner=learner, quiz=course.quiz, course=course)
        wrong = {int(field[1:]): [key] for field, key in wrong_answers(attempt).items()}
        attempt_submit(attempt_id=attempt.pk, learner=learner, answers=wrong)
        html = client.get(course.quiz.result_url(attempt)).content.decode()
        assert "Your certificate is ready" not in html

    def test_the_dashboard_shows_the_new_certificate(self, client, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        certificate = Certificate.objects.get(learner=learner)
        html = client.get("/dashboard/").content.decode()
        assert certificate.display_code in html
        assert f"Valid</span> until {certificate.valid_until:%-d %B %Y}" in html


class TestRenewal:
    def test_ninety_days_before_expiry_the_dashboard_and_course_ask_to_renew(
        self, client, course, learner
    ):
        finish_lessons(course, learner)
        pass_test(course, learner)
        certificate = expire_in(26, learner)
        expected = f"Your certificate expires on <strong>{certificate.valid_until:%-d %B %Y}"
        dashboard = client.get("/dashboard/").content.decode()
        assert "Renew your training" in dashboard and expected in dashboard
        panel = main_panel(client.get(course.url))
        assert expected in panel and "Renew: take the test" in panel

    def test_before_the_window_there_is_no_prompt(self, client, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        expire_in(91, learner)
        assert "Renew" not in client.get("/dashboard/").content.decode()
        assert "Course completed" in main_panel(client.get(course.url))

    def test_an_expired_certificate_is_never_a_completed_course(self, client, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        certificate = expire_in(-3, learner)
        panel = main_panel(client.get(course.url))
        assert "Course completed" not in panel
        assert f"expired on <strong>{certificate.valid_until:%-d %B %Y}" in panel
        dashboard = client.get("/dashboard/").content.decode()
        assert "Completed" not in dashboard.split("Renew your training")[1].split("Your details")[0]

    def test_renew_starts_the_refresher(self, client, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        expire_in(-3, learner)
        response = client.post(course.quiz.url + "start/")
        attempt = Attempt.objects.filter(learner=learner, submitted_at__isnull=True).get()
        assert response["Location"] == course.quiz.attempt_url(attempt)
        pass_test_from(attempt, learner)
        html = client.get("/dashboard/").content.decode()
        assert "Renew your training" not in html
        assert Certificate.objects.get(learner=learner, superseded_by__isnull=True).status == (
            "valid"
        )

    def test_a_revoked_certificate_says_so_and_offers_no_renewal(self, client, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        certificate = expire_in(10, learner)
        certificate_revoke(certificate=certificate, actor=None, reason="misconduct", note="")
        panel = main_panel(client.get(course.url))
        assert "Course completed" not in panel and "Certificate revoked" in panel
        dashboard = client.get("/dashboard/").content.decode()
        assert "Renew" not in dashboard and "Certificate revoked" in dashboard

    def test_dashboard_dates_are_the_current_certificates(self, client, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        Enrolment.objects.filter(learner=learner).update(
            completed_at=timezone.now() - timedelta(days=3 * 365)
        )
        certificate = Certificate.objects.get(learner=learner)
        html = client.get("/dashboard/").content.decode()
        assert f"Completed {certificate.completed_on:%-d %B %Y}" in html

    def test_a_certificate_brought_over_without_an_enrolment_can_be_renewed(
        self, client, course, learner
    ):
        issue(learner, page_id=course.pk, days_ago=3 * 365 - 20, validity_months=36)
        html = client.get("/dashboard/").content.decode()
        assert "Renew your training" in html and course.title in html


def pass_test_from(attempt, learner):
    answers = {int(n): key["correct"] for n, key in attempt.answer_key.items()}
    return attempt_submit(attempt_id=attempt.pk, learner=learner, answers=answers)


class TestStageRules:
    def stage(self, course, learner, certificate=None, enrolment=None, today=None):
        return stage_of(
            progress=CourseProgress(learner=learner, outline=course.outline),
            enrolment=enrolment,
            certificate=certificate,
            today=today or timezone.localdate(),
        )

    def test_from_start_to_test(self, course, learner):
        assert self.stage(course, learner) == Stage.NOT_STARTED
        progress_record(learner=learner, lesson=course.lessons[0])
        enrolment = Enrolment.objects.get(learner=learner)
        assert self.stage(course, learner, enrolment=enrolment) == Stage.LEARNING
        finish_lessons(course, learner)
        assert self.stage(course, learner, enrolment=enrolment) == Stage.TEST_DUE

    def test_the_certificate_decides_once_there_is_one(self, course, learner):
        finish_lessons(course, learner)
        pass_test(course, learner)
        enrolment = Enrolment.objects.get(learner=learner)
        certificate = Certificate.objects.get(learner=learner)
        today = certificate.valid_until
        assert self.stage(course, learner, certificate, enrolment, today - timedelta(91)) == (
            Stage.COMPLETED
        )
        assert self.stage(course, learner, certificate, enrolment, today - timedelta(90)) == (
            Stage.RENEWAL_DUE
        )
        assert self.stage(course, learner, certificate, enrolment, today) == Stage.RENEWAL_DUE
        assert self.stage(course, learner, certificate, enrolment, today + timedelta(1)) == (
            Stage.EXPIRED
        )
        certificate.revoked_at = timezone.now()
        assert self.stage(course, learner, certificate, enrolment, today) == Stage.REVOKED


def test_a_certificate_names_the_licences_held_when_it_was_issued(client, course):
    profile = LearnerProfileFactory(
        audience=course.audience, onboarded=True, licence_applied_for=True
    )
    finish_lessons(course, profile.user)
    pass_test(course, profile.user)
    LicenceFactory(holder=profile.user, authority=profile.home_borough, number="PH777")
    certificate = Certificate.objects.get(learner=profile.user)
    assert certificate.licences == []
    client.force_login(profile.user)
    assert "PH777" not in client.get(f"/verify/{certificate.code}/").content.decode()
