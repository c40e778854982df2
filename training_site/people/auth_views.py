"""Small adjustments to allauth's views, mounted at allauth's own addresses."""

from allauth.account import views as allauth_views
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse

# The account and its confirmation email (a row in the outbox) are saved together or not at
# all: a failure part-way never leaves an account that can neither sign up again nor sign in.
signup = transaction.atomic(allauth_views.signup)


def confirm_login_code(request):
    """A code typed after it expired (or after too many wrong tries) gets a clear page and a
    400, not a silent redirect, so the learner knows to ask for a new one."""
    response = allauth_views.confirm_login_code(request)
    if (
        request.method == "POST"
        and response.status_code == 302
        and response["Location"].startswith(reverse("account_request_login_code"))
        and not request.user.is_authenticated
    ):
        return TemplateResponse(
            request, "account/request_login_code.html", {"code_expired": True}, status=400
        )
    return response
