"""Who may do what with a course. Reading is open to everyone (awareness is the point);
recording progress, taking tests and seeing teacher notes are not."""

from django.core.exceptions import PermissionDenied

from training_site.people.models import LearnerProfile


def learner_profile(user) -> LearnerProfile | None:
    """The signed-in learner's onboarded profile, fetched once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_learner_profile"):
        profile = (
            LearnerProfile.objects.select_related("home_borough", "audience")
            .filter(user=user, onboarded_at__isnull=False)
            .first()
        )
        if profile is not None:
            # The same account, so `profile.user` costs no query.
            profile.user = user
        user._learner_profile = profile
    return user._learner_profile


def can_take_course(user, course) -> bool:
    """Progress and tests are for onboarded learners of the course's own audience."""
    profile = learner_profile(user)
    return (
        profile is not None and not course.for_pupils and profile.audience_id == course.audience_id
    )


def why_not_take_course(user, course) -> str:
    """The plain-words reason can_take_course said no."""
    if not getattr(user, "is_authenticated", False):
        return "Sign in to save your progress."
    if learner_profile(user) is None:
        return "Finish setting up your profile to save your progress."
    if course.for_pupils:
        return "Pupil lessons are taught in class; there is no progress to save."
    return (
        f"This course is for one role: {course.audience.name}. If that is your role, change "
        "it in your profile first."
    )


def can_see_teacher_notes(user, course) -> bool:
    """Teacher notes in pupil lessons: for the staff who teach them, and for editors."""
    if not course.for_pupils or not getattr(user, "is_authenticated", False):
        return False
    profile = learner_profile(user)
    if profile is not None and profile.audience_id == course.audience_id:
        return True
    return user.has_perm("wagtailadmin.access_admin")


def take_course_or_refuse(user, course) -> None:
    """Refuse (403) anyone who may not record progress or take the test, saying why."""
    if not can_take_course(user, course):
        raise PermissionDenied(why_not_take_course(user, course))
