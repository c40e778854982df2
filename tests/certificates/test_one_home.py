"""One home for each rule: bulk issuing writes certificate_issue's snapshot, and a
certificate's status reads the same whether asked of one certificate or of the database."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from certificates.models import Certificate, Status
from certificates.services import (
    CertificateGrant,
    CertifiedCourse,
    certificate_issue,
    certificate_revoke,
    certificates_issue_bulk,
)
from training_site.people.models import LearnerProfile

from ..people.factories import BoroughFactory, LicenceFactory
from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db

SNAPSHOT = [
    "learner_id",
    "course_page_id",
    "issuer_borough_id",
    "full_name",
    "role",
    "licences",
    "course_title",
    "course_version",
    "issuer_name",
    "completed_on",
    "valid_until",
]


def test_bulk_issue_writes_the_snapshot_certificate_issue_writes():
    driver = driver_with_licence(borough=BoroughFactory(name="Wakefield"))
    # A second licence, handed over out of order: both paths list them by authority.
    LicenceFactory(holder=driver, authority=BoroughFactory(name="Calderdale"), number="PH22")
    course = CertifiedCourse(
        page_id=Page.get_first_root_node().pk,
        title="Taxi and private hire safeguarding",
        version="2026.1, edition 7",
        validity_months=36,
    )
    completed_at = timezone.now() - timedelta(days=400)
    single = certificate_issue(
        learner=driver, course=course, completion_ref="single", completed_at=completed_at
    )
    profile = LearnerProfile.objects.select_related("audience", "home_borough__partnership").get(
        user=driver
    )
    [bulk] = certificates_issue_bulk(
        grants=[
            CertificateGrant(
                learner=driver,
                profile=profile,
                licences=list(driver.licences.select_related("authority").order_by("number")),
                course=course,
                completion_ref="bulk",
                completed_at=completed_at,
            )
        ]
    )
    bulk.refresh_from_db()
    assert [getattr(bulk, field) for field in SNAPSHOT] == [
        getattr(single, field) for field in SNAPSHOT
    ]
    assert [licence["authority"] for licence in bulk.licences] == ["Calderdale", "Wakefield"]
    assert bulk.issued_at == completed_at
    assert bulk.code != single.code


def test_bulk_issue_can_record_a_revocation_and_refuses_an_unknown_reason():
    driver = driver_with_licence()
    profile = driver.profile
    course = CertifiedCourse(page_id=1, title="Taxi", version="1", validity_months=0)
    grant = CertificateGrant(
        learner=driver,
        profile=profile,
        licences=[],
        course=course,
        completion_ref="revoked",
        completed_at=timezone.now(),
        revoked_at=timezone.now(),
        revocation_reason="licence_revoked",
    )
    [certificate] = certificates_issue_bulk(grants=[grant])
    assert certificate.status == Status.REVOKED
    assert certificate.valid_until is None
    with pytest.raises(ValueError, match="revocation reason"):
        certificates_issue_bulk(
            grants=[dataclasses.replace(grant, completion_ref="other", revocation_reason="bored")]
        )


def test_status_of_one_certificate_and_of_the_query_agree():
    today = timezone.localdate()
    driver = driver_with_licence()
    superseded = issue(driver, days_ago=1200)
    issue(driver)  # valid, and supersedes the first
    expired = issue(driver_with_licence(number="PH2", full_name="Zoë Ó Briain"), days_ago=1200)
    revoked = certificate_revoke(
        certificate=issue(driver_with_licence(number="PH3", full_name="Ayşe Yılmaz")),
        actor=None,
        reason="other",
    )
    superseded.refresh_from_db()
    everything = list(Certificate.objects.all())
    assert {c.status_on(today) for c in everything} == set(Status.values)
    for status in Status.values:
        in_query = set(Certificate.objects.in_status(status, today).values_list("pk", flat=True))
        assert in_query == {c.pk for c in everything if c.status_on(today) == status}, status
    standing = set(Certificate.objects.standing().values_list("pk", flat=True))
    assert standing == {c.pk for c in everything if c.status_on(today) in {"valid", "expired"}}
    assert expired.pk in standing
    assert not {superseded.pk, revoked.pk} & standing
