"""Who may teach a class session, and whose session it is."""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.http import Http404

from training_site.people.models import Organisation

from ..access import learner_profile
from .models import ClassSession


def teaching_school(user, course) -> Organisation | None:
    """The school a teacher runs sessions for: school staff of the pupil course's audience,
    with a verified email address and a school as their workplace. None for anyone else."""
    profile = learner_profile(user)
    if profile is None or not course.for_pupils or profile.audience_id != course.audience_id:
        return None
    school = profile.organisation
    if school is None or school.kind != Organisation.Kind.SCHOOL:
        return None
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return None
    return school


def teaching_school_or_refuse(user, course) -> Organisation:
    school = teaching_school(user, course)
    if school is None:
        raise PermissionDenied(
            "Class sessions are for school staff with a confirmed email address whose "
            "workplace is a school. Check your profile, or ask your school's administrator."
        )
    return school


def own_session(user, session_id) -> ClassSession:
    """The teacher's own session; anyone else's is simply not found."""
    session = (
        ClassSession.objects.select_related("lesson", "school")
        .filter(pk=session_id, teacher=user)
        .first()
    )
    if session is None:
        raise Http404("No such class session.")
    return session
