"""How allauth fits this site: where people land after signing in, and who may sign up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .models import LearnerProfile, onboarding_done
from .permissions import needs_second_factor, scope_of


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "SIGNUP_OPEN", True)

    def get_login_redirect_url(self, request):
        """New learners go on to onboarding; staff who are not also learners to the staff
        area (STAFF_LOGIN_REDIRECT_URL); everyone else to their training."""
        if not onboarding_done(request.user):
            return reverse("people:onboarding")
        if (
            scope_of(request.user).is_staff_scope
            and not LearnerProfile.objects.filter(user=request.user).exists()
        ):
            return resolve_url(settings.STAFF_LOGIN_REDIRECT_URL)
        return super().get_login_redirect_url(request)

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
