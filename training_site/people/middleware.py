"""Staff roles need a session that passed two-step sign-in (TOTP), checked on every request.

A staff account whose session has not passed it (signed in before a role was granted, say)
keeps only a learner's scope for the request (permissions.staff_scope_withhold), and is sent
to set up an authenticator app or, if it has one, to confirm a code from it; then back to the
page it asked for. Nothing is remembered in the session but allauth's own record of the
steps passed, so granting a role mid-session never carries staff powers into it.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .permissions import needs_second_factor, session_passed_two_step, staff_scope_withhold

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not session_passed_two_step(request)
            and needs_second_factor(user)
        ):
            staff_scope_withhold(user)
            if not request.path.startswith(tuple(settings.STAFF_MFA_EXEMPT_PATHS)):
                return self.second_step(request, user)
        return self.get_response(request)

    def second_step(self, request, user):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return redirect("mfa_activate_totp")
        if request.method not in SAFE_METHODS:
            # A form sent before the role was granted, or from another site: never replayed
            # after the code is confirmed.
            raise PermissionDenied(
                "Confirm your two-step sign-in code first, then send the form again."
            )
        url = reverse("mfa_reauthenticate")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
