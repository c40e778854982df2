"""Signed-in sessions for tests. Staff pages open only to a session that passed two-step
sign-in, which the site reads from allauth's record of the steps a session passed.

- `two_step_sign_in` and `password_only_sign_in` go through the real sign-in pages;
- `code_sign_in` signs in with an emailed code, as most learners do;
- `sign_in_past_two_step` is the shortcut for tests about what staff see once signed in:
  it signs in without the pages and writes the record allauth writes when the
  authenticator app's code is accepted.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.http import HttpRequest
from django.urls import reverse

from .mail import last_code
from .totp import fresh_totp_code

PASSWORD = "correct-horse-battery"  # UserFactory's


def second_factor_for(user) -> str:
    """Give `user` an authenticator app; its secret, for computing codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def password_only_sign_in(client, user) -> None:
    """Sign in with the password alone; for an account without an authenticator app."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] != reverse("mfa_authenticate"), "this account has TOTP"


def code_sign_in(client, user) -> None:
    """Sign in with a code sent by email; for an account without an authenticator app."""
    client.post(reverse("account_request_login_code"), {"email": user.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code(user.email)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] != reverse("mfa_authenticate"), "this account has TOTP"


def two_step_sign_in(client, user, secret: str | None = None) -> str:
    """Sign in with the password, then a code from the authenticator app (set one up for
    the account unless `secret` is its existing one). Returns the app's secret."""
    secret = secret or second_factor_for(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def two_step_confirm(client, secret: str, next_url: str):
    """Confirm a code from the authenticator app in a session already signed in, as the
    site asks a staff member whose session did not use it; the response."""
    return client.post(
        reverse("mfa_reauthenticate"), {"code": fresh_totp_code(secret), "next": next_url}
    )


def sign_in_past_two_step(client, user) -> None:
    """Sign `client` in as `user` in a session that passed two-step sign-in, without the
    sign-in pages: for tests about what staff see, not about signing in."""
    authenticator = (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        or TOTP.activate(user, generate_totp_secret()).instance
    )
    client.force_login(user)
    session = client.session
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()
