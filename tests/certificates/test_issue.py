"""Issuing: one completion, one certificate; refreshers supersede; nothing is re-dated."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, Status
from certificates.services import (
    CertifiedCourse,
    add_months,
    certificate_issue,
    certificate_reinstate,
    certificate_revoke,
)

from ..concurrency import run_at_once
from .factories import driver_with_licence, issue


@pytest.mark.django_db
def test_certificate_snapshot_says_everything_an_officer_needs():
    driver = driver_with_licence()
    certificate = issue(driver)
    assert certificate.full_name == "Łukasz Wiśniewski"
    assert certificate.role == "Taxi and private hire driver"
    assert certificate.licences == [
        {
            "authority_id": certificate.issuer_borough_id,
            "authority": "Kirklees",
            "number": "PH10427",
        }
    ]
    assert certificate.course_version == "2026.1, edition 7"
    assert certificate.issuer_name.startswith("Kirklees Council")
    assert certificate.valid_until == add_months(certificate.completed_on, 36)
    assert certificate.status == Status.VALID
    assert certificate.serial_number.startswith("STS-")
    assert CertificateEvent.objects.filter(certificate=certificate, action="issued").exists()


@pytest.mark.django_db
def test_the_snapshot_does_not_change_when_the_profile_does():
    driver = driver_with_licence()
    certificate = issue(driver)
    driver.profile.full_name = "Someone Else"
    driver.profile.save()
    certificate.refresh_from_db()
    assert certificate.full_name == "Łukasz Wiśniewski"


@pytest.mark.django_db
def test_the_same_completion_issues_once():
    driver = driver_with_licence()
    course = CertifiedCourse(page_id=1, title="Taxi", version="1", validity_months=36)
    first = certificate_issue(
        learner=driver, course=course, completion_ref="attempt:x", completed_at=timezone.now()
    )
    second = certificate_issue(
        learner=driver,
        course=course,
        completion_ref="attempt:x",
        completed_at=timezone.now() + timedelta(days=5),
    )
    assert first.pk == second.pk
    assert first.completed_on == second.completed_on
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_a_refresher_supersedes_and_never_re_dates():
    driver = driver_with_licence()
    old = issue(driver, days_ago=1000)
    old_dates = (old.completed_on, old.valid_until)
    new = issue(driver)
    old.refresh_from_db()
    assert old.superseded_by == new
    assert (old.completed_on, old.valid_until) == old_dates
    assert old.status == Status.SUPERSEDED
    assert new.status == Status.VALID


@pytest.mark.django_db
def test_a_revoked_certificate_stays_revoked_when_another_is_issued():
    driver = driver_with_licence()
    revoked = certificate_revoke(certificate=issue(driver), actor=None, reason="other", note="test")
    issue(driver)
    revoked.refresh_from_db()
    assert revoked.status == Status.REVOKED
    assert revoked.superseded_by is None


@pytest.mark.django_db
def test_statuses_by_date():
    driver = driver_with_licence()
    certificate = issue(driver, days_ago=400, validity_months=12)
    assert certificate.status == Status.EXPIRED
    assert certificate.status_on(certificate.valid_until) == Status.VALID
    assert certificate.status_on(certificate.valid_until + timedelta(days=1)) == Status.EXPIRED
    forever = issue(driver_with_licence(number="PH2", full_name="Zoë Ó Briain"), validity_months=0)
    assert forever.valid_until is None and forever.status == Status.VALID


@pytest.mark.django_db
def test_revoke_and_reinstate_are_idempotent_and_audited(django_user_model):
    certificate = issue(driver_with_licence())
    officer = django_user_model.objects.create_user(email="officer@example.org")
    certificate_revoke(
        certificate=certificate, actor=officer, reason="licence_revoked", note="Committee decision"
    )
    certificate_revoke(certificate=certificate, actor=officer, reason="other")
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "licence_revoked"
    certificate_reinstate(certificate=certificate, actor=officer)
    certificate_reinstate(certificate=certificate, actor=officer)
    actions = list(certificate.events.values_list("action", "actor_label"))
    assert actions == [
        ("issued", certificate.learner.email),
        ("revoked", "officer@example.org"),
        ("reinstated", "officer@example.org"),
    ]
    with pytest.raises(ValueError):
        certificate_revoke(certificate=certificate, actor=officer, reason="made-up")


def test_add_months_keeps_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 22), 36) == date(2029, 11, 22)


@pytest.mark.django_db(transaction=True)
def test_ten_reports_of_one_completion_at_once_issue_one_certificate(on_postgres):
    driver = driver_with_licence()
    course = CertifiedCourse(page_id=1, title="Taxi", version="1", validity_months=36)
    results = run_at_once(
        lambda i: certificate_issue(
            learner=driver,
            course=course,
            completion_ref="attempt:race",
            completed_at=timezone.now(),
        ),
        count=10,
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Certificate.objects.count() == 1
    assert {r.pk for r in results} == {Certificate.objects.get().pk}
