"""Writes for courses. Each is keyword-only, idempotent and safe when requests race."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.reconcile import Reconciliation
from certificates.services import CertifiedCourse, certificate_issue
from training_site.people.models import User

from .models.progress import Attempt, Enrolment, LessonCompletion
from .navigation import CourseProgress

if TYPE_CHECKING:
    from .models.pages import CoursePage, LessonPage

logger = logging.getLogger(__name__)


def enrolment_start(*, learner: User, course: CoursePage) -> Enrolment:
    """Enrol once; a second call (another tab, a double tap) returns the same enrolment."""
    enrolment = Enrolment.objects.filter(learner=learner, course=course).first()
    if enrolment is not None:
        return enrolment
    try:
        with transaction.atomic():
            return Enrolment.objects.create(learner=learner, course=course)
    except IntegrityError:
        return Enrolment.objects.get(learner=learner, course=course)


def progress_record(*, learner: User, lesson: LessonPage) -> LessonCompletion:
    """Record that the learner finished a lesson, exactly once, then see if the course is done."""
    course = lesson.course
    enrolment_start(learner=learner, course=course)
    completion = LessonCompletion.objects.filter(learner=learner, lesson=lesson).first()
    if completion is None:
        try:
            with transaction.atomic():
                completion = LessonCompletion.objects.create(
                    learner=learner, lesson=lesson, course=course
                )
        except IntegrityError:
            completion = LessonCompletion.objects.get(learner=learner, lesson=lesson)
    course_complete(learner=learner, course=course)
    return completion


def certified(course: CoursePage) -> CertifiedCourse:
    """The snapshot a certificate keeps of the course."""
    return CertifiedCourse(
        page_id=course.pk,
        title=course.title,
        version=course.version,
        validity_months=course.validity_months,
    )


@transaction.atomic
def course_complete(
    *, learner: User, course: CoursePage, passed_attempt: Attempt | None = None
) -> Enrolment | None:
    """Complete the enrolment when every lesson is done and the test, where there is one,
    is passed, and hand over to certificate issuing.

    `attempt_submit` hands over the attempt it has just passed, so the pass is never read
    back; a pass on a course already completed is a refresher and gets a new certificate.
    Returns the enrolment if it is complete, None if there is still work to do."""
    enrolment = Enrolment.objects.select_for_update().get(learner=learner, course=course)
    if passed_attempt is not None:
        completed_at = passed_attempt.submitted_at
        completion_ref = passed_attempt.completion_ref
    else:
        completed_at = timezone.now()
        completion_ref = ""
    if enrolment.completed_at is None:
        # From the database rather than the cache: a certificate must never be issued past
        # a lesson published a moment ago by another app server.
        progress = CourseProgress(learner=learner, outline=course.outline_from_pages())
        if not progress.all_done:
            return None
        if passed_attempt is None and not progress.test_passed:
            return None
        enrolment.completed_at = completed_at
        enrolment.save(update_fields=["completed_at"])
        completion_ref = completion_ref or f"enrolment:{enrolment.pk}"
    if completion_ref and course.issues_certificate:
        certificate_issue(
            learner=learner,
            course=certified(course),
            completion_ref=completion_ref,
            completed_at=completed_at,
        )
    return enrolment


def pass_complete(*, attempt: Attempt) -> bool:
    """Hand a pass on to course_complete, and so to certificate issuing, unless its
    certificate is already issued. A failure is logged and returns False: the pass is
    saved, and a resubmission, a visit to its result page or `certificates reconcile`
    hands it on again."""
    try:
        with transaction.atomic():
            # Checked under the enrolment's lock, which course_complete takes too, so a
            # pass certified meanwhile (or a newer one) is seen and not issued again.
            Enrolment.objects.select_for_update().get(
                learner_id=attempt.learner_id, course_id=attempt.course_id
            )
            if (
                attempt.course.issues_certificate
                and not Attempt.objects.awaiting_certificate().filter(pk=attempt.pk).exists()
            ):
                return True
            course_complete(learner=attempt.learner, course=attempt.course, passed_attempt=attempt)
    except Exception:
        logger.exception("Completing pass %s failed; it will be tried again.", attempt.pk)
        return False
    return True


def passes_reconcile() -> Reconciliation:
    """Hand on again every pass whose certificate was never issued (CERTIFICATES_RECONCILE
    names this for `certificates reconcile`). Newest first, so an older pass of the same
    course finds itself covered by the newer one's certificate."""
    awaiting = list(
        Attempt.objects.awaiting_certificate()
        .select_related("learner", "course")
        .defer("items", "answer_key", "answers")
        .order_by("-started_at")
    )
    for attempt in awaiting:
        pass_complete(attempt=attempt)
    return Reconciliation(found=len(awaiting), left=Attempt.objects.awaiting_certificate().count())
