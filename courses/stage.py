"""Where a learner stands on a course, as the one stage the course page and the dashboard
act on: which button leads, and whether "Course completed" may be said at all.

Lessons and the test come from `navigation`; what the certificate says comes from
`certificates` (its status, and from when it is due for renewal).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from certificates.models import Certificate, Status
from certificates.selectors import renewal_due

from .models.progress import Enrolment
from .navigation import CourseProgress


class Stage(StrEnum):
    NOT_STARTED = "not_started"
    LEARNING = "learning"
    TEST_DUE = "test_due"
    COMPLETED = "completed"
    RENEWAL_DUE = "renewal_due"
    EXPIRED = "expired"
    REVOKED = "revoked"


# Stages where the learner is asked to renew, and the Renew button shows.
RENEWAL_STAGES = frozenset({Stage.RENEWAL_DUE, Stage.EXPIRED})


def stage_of(
    *,
    progress: CourseProgress,
    enrolment: Enrolment | None,
    certificate: Certificate | None,
    today: date,
) -> Stage:
    """`certificate` is the learner's newest for the course, if any. A certificate speaks
    first: an expired or revoked one is never shown as a completed course."""
    if certificate is not None:
        if certificate.revoked_at is not None:
            return Stage.REVOKED
        if certificate.status_on(today) == Status.EXPIRED:
            return Stage.EXPIRED
        if renewal_due(certificate, today):
            return Stage.RENEWAL_DUE
        return Stage.COMPLETED
    if enrolment is None:
        return Stage.NOT_STARTED
    if enrolment.completed_at is not None:
        return Stage.COMPLETED
    if progress.all_done and progress.outline.quiz is not None and not progress.test_passed:
        return Stage.TEST_DUE
    return Stage.LEARNING
