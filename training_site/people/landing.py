"""Where a signed-in person belongs: the page they land on after signing in, and the way
back offered on a page that is not for them. Learner onboarding is for learners only."""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .models import LearnerProfile, onboarding_done
from .permissions import can_open_admin, scope_of


@dataclass(frozen=True)
class Landing:
    url: str
    label: str


def landing_for(user) -> Landing:
    """New learners go on to onboarding; staff who are not also learners to the staff area
    (STAFF_LOGIN_REDIRECT_URL), or editors and reviewers to the Wagtail admin; everyone
    else to their training (LOGIN_REDIRECT_URL)."""
    if not onboarding_done(user):
        return Landing(reverse("people:onboarding"), "Finish setting up your profile")
    if not LearnerProfile.objects.filter(user=user).exists():
        if scope_of(user).is_staff_scope:
            return Landing(resolve_url(settings.STAFF_LOGIN_REDIRECT_URL), "Go to the staff area")
        if can_open_admin(user):
            return Landing(reverse("wagtailadmin_home"), "Go to the editing area")
    return Landing(resolve_url(settings.LOGIN_REDIRECT_URL), "Go to your training")
