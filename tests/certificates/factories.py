"""Certificates for tests, issued the way the site issues them."""

import itertools
from datetime import timedelta

from django.utils import timezone

from certificates.services import CertifiedCourse, certificate_issue

from ..people.factories import (
    BoroughFactory,
    DriverAudienceFactory,
    LearnerProfileFactory,
    LicenceFactory,
)

_refs = itertools.count()


def driver_with_licence(*, full_name="Łukasz Wiśniewski", borough=None, number="PH10427"):
    borough = borough or BoroughFactory(name="Kirklees")
    profile = LearnerProfileFactory(
        full_name=full_name, audience=DriverAudienceFactory(), home_borough=borough, onboarded=True
    )
    LicenceFactory(holder=profile.user, authority=borough, number=number)
    return profile.user


def issue(
    learner,
    *,
    page_id=None,
    days_ago=0,
    validity_months=36,
    title="Taxi and private hire safeguarding",
):
    from wagtail.models import Page

    page_id = page_id or Page.get_first_root_node().pk
    return certificate_issue(
        learner=learner,
        course=CertifiedCourse(
            page_id=page_id,
            title=title,
            version="2026.1, edition 7",
            validity_months=validity_months,
        ),
        completion_ref=f"test:{next(_refs)}",
        completed_at=timezone.now() - timedelta(days=days_ago),
    )
