"""How allauth fits this site: where people land after signing in, and who may sign up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse

from .landing import landing_for
from .permissions import needs_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "SIGNUP_OPEN", True)

    def get_login_redirect_url(self, request):
        return landing_for(request.user).url

    def send_mail(self, template_prefix, email, context):
        context = {**context, "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}
        return super().send_mail(template_prefix, email, context)

    def get_signup_redirect_url(self, request):
        return reverse("people:onboarding")


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Staff keep their authenticator app: they may replace it but not switch it off."""
        if authenticator.type == authenticator.Type.TOTP and needs_second_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
