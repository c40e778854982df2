"""A learner with a history in every app, for the records and account-closing tests."""

from dataclasses import dataclass

from certificates.models import Certificate
from courses.attempts import attempt_start, attempt_submit
from courses.models import Attempt, CoursePage, QuizPage
from courses.services import progress_record
from training_site.people.models import User

from ..courses.factories import course_build, quiz_build
from ..snapshots import snapshot_fixture
from .factories import (
    BoroughFactory,
    HotelAudienceFactory,
    LearnerProfileFactory,
    LicenceFactory,
    OrganisationFactory,
)


def records_course_build() -> dict:
    """A course with a test, for learners to have done something (built once a session)."""
    course = course_build(audience=HotelAudienceFactory(), slug="records-course")
    quiz = quiz_build(course=course, cooldown_minutes=0)
    return {"course": course.pk, "quiz": quiz.pk}


records_course_snapshot = snapshot_fixture("records_course_snapshot", records_course_build)


@dataclass
class History:
    user: User
    attempt: Attempt
    certificate: Certificate


def history_make(keys: dict, *, full_name: str, licence: str, workplace: str) -> History:
    """A learner who set up a profile, a licence and a workplace, read every lesson, and
    passed the test at the second attempt, so holds a certificate."""
    course = CoursePage.objects.get(pk=keys["course"])
    quiz = QuizPage.objects.get(pk=keys["quiz"])
    borough = BoroughFactory(name="Calderdale")
    profile = LearnerProfileFactory(
        full_name=full_name,
        audience=course.audience,
        home_borough=borough,
        organisation=OrganisationFactory(name=workplace, borough=borough),
        onboarded=True,
    )
    user = profile.user
    LicenceFactory(holder=user, authority=borough, number=licence)
    for lesson in course.lessons:
        progress_record(learner=user, lesson=lesson)
    failed = attempt_start(learner=user, quiz=quiz, course=course)
    attempt_submit(attempt_id=failed.pk, learner=user, answers=answers(failed, right=False))
    passed = attempt_start(learner=user, quiz=quiz, course=course)
    attempt_submit(attempt_id=passed.pk, learner=user, answers=answers(passed, right=True))
    return History(user, Attempt.objects.get(pk=passed.pk), Certificate.objects.get(learner=user))


def answers(attempt: Attempt, *, right: bool) -> dict[int, list[str]]:
    chosen = {}
    for item in attempt.items:
        correct = attempt.answer_key[str(item["number"])]["correct"]
        keys = [o["key"] for o in item["options"] if (o["key"] in correct) == right]
        chosen[item["number"]] = keys[:1]
    return chosen
