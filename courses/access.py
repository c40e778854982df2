"""Who may do what with a course. Reading is open to everyone (awareness is the point);
recording progress, taking tests and seeing teacher notes are not."""

from django.core.exceptions import PermissionDenied

from training_site.home.content_cache import shared_read
from training_site.home.prepared import PreparedQuery
from training_site.people.models import Audience, Borough, LearnerProfile

PROFILE_QUERY = PreparedQuery(
    lambda user_id: LearnerProfile.objects.filter(user_id=user_id, onboarded_at__isnull=False)
)


def learner_profile(user) -> LearnerProfile | None:
    """The signed-in learner's onboarded profile, fetched once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_learner_profile"):
        profile = PROFILE_QUERY.first(user_id=user.pk)
        if profile is not None:
            # The same account, so `profile.user` costs no query.
            profile.user = user
            audience_and_borough_attach(profile)
        user._learner_profile = profile
    return user._learner_profile


def audience_and_borough_attach(profile: LearnerProfile) -> None:
    """The profile's audience and home borough, from the shared content cache: any change to
    an audience or a borough makes every entry stale (home.content_cache). Joined to the
    profile's query instead, a borough's forty columns took longer to build into SQL than
    the database took to answer."""
    audience_key = f"people:audience:{profile.audience_id}"
    borough_key = f"people:borough:{profile.home_borough_id}"
    found = shared_read(
        {
            audience_key: lambda: Audience.objects.get(pk=profile.audience_id),
            borough_key: lambda: Borough.objects.get(pk=profile.home_borough_id),
        }
    )
    profile.audience = found[audience_key]
    profile.home_borough = found[borough_key]


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
