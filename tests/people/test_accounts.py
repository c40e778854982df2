"""allauth flows as a learner meets them: sign up, verify, sign in by code or password,
reset a password, and the limits that stop guessing."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import DatabaseError
from django.urls import reverse
from mailer.models import Message

from training_site.people.models import User

from .factories import UserFactory
from .mail import last_code, sent_mail

pytestmark = pytest.mark.django_db


def test_sign_up_without_password_verifies_email_then_starts_onboarding(client):
    response = client.post(reverse("account_signup"), {"email": "New.Driver@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert sent_mail()[-1].subject.endswith("Confirm your email address")

    user = User.objects.get(email="new.driver@example.org")
    assert not user.has_usable_password()

    response = client.post(
        reverse("account_email_verification_sent"),
        {"code": last_code("new.driver@example.org")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:onboarding")
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("people:onboarding")).status_code == 200


def test_a_sign_up_that_fails_part_way_leaves_no_account(client, monkeypatch):
    def outbox_unwritable(*args, **kwargs):
        raise DatabaseError("the outbox could not be written")

    monkeypatch.setattr(Message.objects, "bulk_create", outbox_unwritable)
    with pytest.raises(DatabaseError):
        client.post(reverse("account_signup"), {"email": "new.driver@example.org"})
    assert not User.objects.filter(email="new.driver@example.org").exists()
    assert not EmailAddress.objects.filter(email="new.driver@example.org").exists()


def test_wrong_verification_code_is_refused_with_a_message(client):
    client.post(reverse("account_signup"), {"email": "someone@example.org"})
    response = client.post(reverse("account_email_verification_sent"), {"code": "AAAA-AAAA"})
    assert response.status_code == 400
    assert b"Incorrect code" in response.content
    assert not EmailAddress.objects.get(email="someone@example.org").verified


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", b"Enter a valid email address"),
        ("", b"This field is required"),
        ("a@" + "b" * 300 + ".org", b"Enter a valid email address"),
    ],
)
def test_sign_up_with_bad_email_is_refused_and_keeps_what_was_typed(client, email, message):
    response = client.post(reverse("account_signup"), {"email": email})
    assert response.status_code == 400
    assert message in response.content
    assert not User.objects.exists()


def test_sign_up_with_an_email_already_in_use_emails_the_owner_and_makes_no_account(client):
    UserFactory(email="taken@example.org")
    response = client.post(reverse("account_signup"), {"email": "TAKEN@example.org"})
    # The same answer as for a new address (tests/people/test_enumeration.py); the owner
    # learns from the email.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert sent_mail()[-1].subject.endswith("You already have an account")
    assert User.objects.count() == 1


def test_login_by_emailed_code(client):
    user = UserFactory(email="driver@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")

    response = client.post(reverse("account_confirm_login_code"), {"code": last_code(user.email)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize("next_step", ["account_request_login_code", "account_login"])
def test_waiting_for_a_code_a_learner_can_ask_again_or_use_their_password(client, next_step):
    user = UserFactory(email="driver@example.org")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    page = client.get(reverse("account_confirm_login_code")).content.decode()
    assert "It can take a minute to arrive" in page
    assert "Ask for a new code" in page
    assert "Sign in with your password" in page
    # While a code is pending allauth keeps sending people back to this page.
    assert client.get(reverse(next_step))["Location"] == reverse("account_confirm_login_code")

    response = client.post(reverse("account_logout"), {"next": reverse(next_step)})
    assert response["Location"] == reverse(next_step)
    assert client.get(reverse(next_step)).status_code == 200


def test_wrong_login_code_is_refused_and_nobody_is_signed_in(client):
    user = UserFactory(email="driver@example.org")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert b"Incorrect code" in response.content
    assert "_auth_user_id" not in client.session


def test_expired_login_code_is_refused(client, settings, monkeypatch):
    import time

    user = UserFactory(email="driver@example.org")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = last_code(user.email)
    later = time.time() + settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 400
    assert b"That code no longer works" in response.content
    assert "_auth_user_id" not in client.session


def test_three_wrong_codes_use_up_the_code(client):
    user = UserFactory(email="driver@example.org")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = last_code(user.email)
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "ZZZZ-ZZZZ"})
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_login_by_password(client):
    user = UserFactory(email="teacher@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sixth_bad_login_within_five_minutes_is_refused_even_with_the_right_password(client):
    user = UserFactory(email="teacher@example.org")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong-password-1"}
        )
        assert response.status_code == 400
        assert b"not correct" in response.content
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 400
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_link(client):
    user = UserFactory(email="hotel@example.org")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    link = next(
        line.strip()
        for line in sent_mail()[-1].body.splitlines()
        if "/accounts/password/reset/key/" in line
    )
    path = link[link.index("/accounts/") :]
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_path, {"password1": "a-new-longer-password", "password2": "a-new-longer-password"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-longer-password")


def test_wagtail_admin_sends_people_to_the_allauth_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_signing_up_ends_with_one_plain_message(client):
    client.post(reverse("account_signup"), {"email": "new@example.org"})
    response = client.post(
        reverse("account_email_verification_sent"), {"code": last_code("new@example.org")}
    )
    assert messages_on(client.get(response["Location"])) == [
        "You are signed in as new@example.org."
    ]


def test_signing_in_by_code_ends_with_one_plain_message(client):
    user = UserFactory(email="driver@example.org")
    client.post(reverse("account_request_login_code"), {"email": user.email})
    response = client.post(
        reverse("account_confirm_login_code"), {"code": last_code(user.email)}, follow=True
    )
    assert messages_on(response) == ["You are signed in as driver@example.org."]


STEP_TWO_WORDS = "Enter the 6-digit code from your authenticator app."


def sign_in_with_password(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )


def test_the_second_step_says_plainly_what_to_type(client):
    staff = UserFactory(email="officer@example.org")
    TOTP.activate(staff, generate_totp_secret())
    response = sign_in_with_password(client, staff)
    assert response["Location"] == reverse("mfa_authenticate")
    html = client.get(response["Location"]).content.decode()
    assert "<h1>Two-step sign-in</h1>" in html
    assert STEP_TWO_WORDS in html
    assert "Two-Factor" not in html


def test_setting_up_the_second_step_says_plainly_what_to_type(client):
    staff = UserFactory(email="officer@example.org")
    sign_in_with_password(client, staff)
    # allauth asks for the password again before an authenticator is added.
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "<h1>Set up two-step sign-in</h1>" in html
    assert STEP_TWO_WORDS.removesuffix(".") + " below." in html
    assert "Activate Authenticator App" not in html
