"""Nobody can tell from the site whether an address has an account: sign-up, sign-in by
code, sign-in by password and password reset answer an address with an account exactly as
they answer one without. Only the email to that address says which it is."""

import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from training_site.people.models import User

from .factories import UserFactory
from .mail import CODE_PATTERN, last_code, sent_mail

pytestmark = pytest.mark.django_db

ADDRESS = "someone@example.org"
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@dataclass(frozen=True)
class Answer:
    """What a visitor sees of one request: status, where it sends them, and the page."""

    status: int
    location: str
    body: bytes


def answer(response) -> Answer:
    return Answer(
        status=response.status_code,
        location=response.get("Location", ""),
        body=CSRF_TOKEN.sub(b"", response.content),
    )


def sign_up(client: Client) -> list[Answer]:
    sent = client.post(reverse("account_signup"), {"email": ADDRESS})
    page = client.get(sent["Location"])
    wrong_code = client.post(sent["Location"], {"code": "ZZZZ-ZZZZ"})
    return [answer(sent), answer(page), answer(wrong_code)]


def sign_in_by_code(client: Client) -> list[Answer]:
    sent = client.post(reverse("account_request_login_code"), {"email": ADDRESS})
    page = client.get(sent["Location"])
    wrong_code = client.post(sent["Location"], {"code": "ZZZZ-ZZZZ"})
    return [answer(sent), answer(page), answer(wrong_code)]


def sign_in_by_password(client: Client) -> list[Answer]:
    refused = client.post(
        reverse("account_login"), {"login": ADDRESS, "password": "not-the-password-1"}
    )
    return [answer(refused)]


def reset_password(client: Client) -> list[Answer]:
    form = client.get(reverse("account_reset_password"))
    sent = client.post(reverse("account_reset_password"), {"email": ADDRESS})
    page = client.get(sent["Location"])
    return [answer(form), answer(sent), answer(page)]


def without_and_with_an_account(flow) -> tuple[list[Answer], list[Answer]]:
    """The same address, the same steps, each in a fresh browser: first with no account
    for it, then with one."""
    unknown = flow(Client())
    User.objects.filter(email=ADDRESS).delete()
    UserFactory(email=ADDRESS)
    sent_mail().clear()
    # Rate limits count per address; start the second run from the same count as the first.
    cache.clear()
    known = flow(Client())
    return unknown, known


@pytest.mark.parametrize(
    "flow",
    [sign_up, sign_in_by_code, sign_in_by_password, reset_password],
    ids=lambda flow: flow.__name__,
)
def test_the_answer_is_the_same_with_or_without_an_account(flow):
    unknown, known = without_and_with_an_account(flow)
    assert [a.status for a in known] == [a.status for a in unknown]
    assert [a.location for a in known] == [a.location for a in unknown]
    for seen_unknown, seen_known in zip(unknown, known, strict=True):
        assert seen_known.body == seen_unknown.body


def test_the_pages_say_what_to_expect_either_way():
    _, known = without_and_with_an_account(sign_up)
    page = known[1].body.decode()
    assert f"We have sent an email to {ADDRESS}" in page
    assert "already has an account, and the email tells you how to sign in" in page
    assert "already registered" not in page
    _, known = without_and_with_an_account(sign_in_by_code)
    assert "there is no account for this address" in known[1].body.decode()
    _, known = without_and_with_an_account(reset_password)
    assert "If not, it tells you how to create an account" in known[2].body.decode()


def only_email() -> str:
    messages = sent_mail()
    assert [message.to for message in messages] == [[ADDRESS]]
    return messages[0].subject + "\n" + messages[0].body


def test_signing_up_again_emails_the_owner_and_makes_no_second_account():
    owner = UserFactory(email=ADDRESS)
    sign_up(Client())
    email = only_email()
    assert "You already have an account" in email
    assert "/accounts/login/" in email
    assert not CODE_PATTERN.search(email)
    assert list(User.objects.filter(email=ADDRESS)) == [owner]


def test_signing_up_a_new_address_emails_a_code_that_works():
    client = Client()
    client.post(reverse("account_signup"), {"email": ADDRESS})
    assert "Confirm your email address" in only_email()
    response = client.post(reverse("account_email_verification_sent"), {"code": last_code(ADDRESS)})
    assert response["Location"] == reverse("people:onboarding")


def test_a_code_for_an_unknown_address_emails_how_to_sign_up():
    sign_in_by_code(Client())
    email = only_email()
    assert "There is no account for this address" in email
    assert "/accounts/signup/" in email
    assert not CODE_PATTERN.search(email)
    assert not User.objects.exists()


def test_a_code_for_a_known_address_is_emailed_and_signs_in():
    owner = UserFactory(email=ADDRESS)
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": ADDRESS})
    assert "Your sign-in code" in only_email()
    client.post(reverse("account_confirm_login_code"), {"code": last_code(ADDRESS)})
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_a_reset_for_an_unknown_address_emails_how_to_sign_up():
    reset_password(Client())
    email = only_email()
    assert "There is no account for this address" in email
    assert "/accounts/password/reset/key/" not in email


def test_a_reset_for_a_known_address_emails_a_link():
    UserFactory(email=ADDRESS)
    reset_password(Client())
    email = only_email()
    assert "Choose a new password" in email
    assert "/accounts/password/reset/key/" in email
