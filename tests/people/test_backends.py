"""Signed-in requests read the session, then the account with its staff access, each with
SQL built once (people/sessions.py, people/backends.py): sessions from before carry on,
an expired one never loads, and the staff answer is fresh on every request
(test_staff_sessions.py grants a role behind a signed-in session)."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from training_site.people.backends import AccountAllauthBackend, AccountModelBackend
from training_site.people.permissions import needs_second_factor
from training_site.people.roles import Role
from training_site.people.sessions import SessionStore

from .factories import BoroughFactory, LearnerProfileFactory, UserFactory, role_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return LearnerProfileFactory(onboarded=True).user


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_signed_in_under_the_backends_replaced_carries_on(client, learner, backend):
    client.force_login(learner, backend=backend)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["user"] == learner


def test_an_expired_or_unknown_session_signs_nobody_in(client, learner):
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    store = SessionStore(session_key="no-such-session-key-at-all-xxxxx")
    assert SESSION_KEY not in store.load()
    assert store.session_key is None  # a new key is made when it is saved


def test_a_closed_account_reads_as_nobody(learner):
    learner.is_active = False
    learner.save(update_fields=["is_active"])
    assert AccountModelBackend().get_user(learner.pk) is None
    assert AccountAllauthBackend().get_user(learner.pk) is None
    assert AccountModelBackend().get_user(0) is None


def test_the_staff_answer_read_with_the_account_is_used_once(learner):
    """The two-step check takes the answer read with the account; asked again in the same
    request (after a role was granted, say), it reads the database."""
    read = AccountModelBackend().get_user(learner.pk)
    role_assign(learner, Role.LICENSING_OFFICER, borough=BoroughFactory())
    assert needs_second_factor(read) is False  # as it stood when the request began
    assert needs_second_factor(read) is True


def test_a_staff_member_is_asked_for_the_second_step_from_the_first_request(client):
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=BoroughFactory())
    client.force_login(officer)
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/totp/activate/"
