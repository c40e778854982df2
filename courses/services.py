"""Writes for courses. Each is keyword-only, idempotent and safe when requests race."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.services import CertifiedCourse, certificate_issue
from training_site.people.models import User

from .models import Attempt, CoursePage, Enrolment, LessonCompletion, LessonPage, QuizPage


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


def lessons_all_done(*, learner: User, course: CoursePage) -> bool:
    lesson_ids = {lesson.pk for lesson in course.lessons}
    done = set(
        LessonCompletion.objects.filter(learner=learner, lesson_id__in=lesson_ids).values_list(
            "lesson_id", flat=True
        )
    )
    return bool(lesson_ids) and lesson_ids <= done


def test_passed(*, learner: User, course: CoursePage) -> bool:
    """True when the course has no live test, or the learner has passed it."""
    quiz = QuizPage.objects.child_of(course).live().first()
    return quiz is None or Attempt.objects.filter(learner=learner, quiz=quiz, passed=True).exists()


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
    *, learner: User, course: CoursePage, completion_ref: str = "", completed_at=None
) -> Enrolment | None:
    """Complete the enrolment when every lesson is done and the test, where there is one,
    is passed, and hand over to certificate issuing. A refresher (a test passed again on
    a completed course) passes its own completion_ref and gets a new certificate.
    Returns the enrolment if it is complete, None if there is still work to do."""
    enrolment = Enrolment.objects.select_for_update().get(learner=learner, course=course)
    completed_at = completed_at or timezone.now()
    if enrolment.completed_at is None:
        if not lessons_all_done(learner=learner, course=course):
            return None
        if not test_passed(learner=learner, course=course):
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
