"""Staff roles must set up two-factor sign-in before they can do anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect

from .permissions import needs_second_factor

SESSION_KEY = "people.mfa_checked"


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(tuple(settings.STAFF_MFA_EXEMPT_PATHS))
        ):
            if (
                not needs_second_factor(user)
                or Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                # Checked once per session: signing in again re-checks.
                request.session[SESSION_KEY] = True
            else:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
