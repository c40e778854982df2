"""Issue 14, finding 10: a learner closes their account. They prove it is them again, tick
to confirm, and their data goes; their certificates then verify as no longer available,
without a name, and licensing officers are told. Closing is logged and happens once."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate, CertificateEvent
from courses.models import Attempt, Enrolment, LessonCompletion
from training_site.people.models import AccountEvent, LearnerProfile, Licence, User
from training_site.people.roles import Role
from training_site.records import account_close

from ..concurrency import run_at_once
from .factories import BoroughFactory, UserFactory, staff_with_role
from .mail import last_code
from .records_world import history_make, records_course_snapshot  # noqa: F401
from .sessions import PASSWORD, sign_in_past_two_step

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "on"}


@pytest.fixture
def history(records_course_snapshot):  # noqa: F811
    return history_make(
        records_course_snapshot,
        full_name="Olamide Adeyemi-Brook",
        licence="HC20931",
        workplace="The Halifax Arms",
    )


def reauthenticated(client, user) -> None:
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def verify(client, certificate):
    return client.get(reverse("certificates:verify_code", args=[certificate.code]))


def test_the_page_says_what_closing_does(client, history):
    client.force_login(history.user)
    response = client.get(reverse("people:account_close"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your certificates stop working" in html
    assert 'name="confirm"' in html
    assert User.objects.filter(pk=history.user.pk).exists()


def test_closing_asks_the_learner_to_prove_it_is_them_first(client, history):
    client.force_login(history.user)
    response = client.post(reverse("people:account_close"), CONFIRM)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=history.user.pk).exists()
    assert not AccountEvent.objects.exists()


def test_a_learner_without_a_password_proves_it_by_an_emailed_code(client, history):
    user = history.user
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post(reverse("people:account_close"), CONFIRM)
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    response = client.post(response["Location"], {"recipient": user.email})
    assert response.status_code == 302, response.content.decode()
    # The code confirms it is them, and the form they sent is then carried out.
    response = client.post(response["Location"], {"code": last_code(user.email)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("people:account_closed")
    assert not User.objects.filter(pk=user.pk).exists()


def test_the_box_must_be_ticked(client, history):
    reauthenticated(client, history.user)
    response = client.post(reverse("people:account_close"), {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert User.objects.filter(pk=history.user.pk).exists()


def test_closing_deletes_the_learners_data_and_signs_them_out(client, history):
    user, email = history.user, history.user.email
    reauthenticated(client, user)
    response = client.post(reverse("people:account_close"), CONFIRM)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:account_closed")
    assert "Your account is closed" in client.get(response["Location"]).content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    for model, field in [
        (LearnerProfile, "user"),
        (Licence, "holder"),
        (Enrolment, "learner"),
        (LessonCompletion, "learner"),
        (Attempt, "learner"),
        (EmailAddress, "user"),
    ]:
        assert not model.objects.filter(**{f"{field}_id": user.pk}).exists(), model
    assert not EmailAddress.objects.filter(email=email).exists()
    # The certificate stays for the councils' records, naming no one.
    certificate = Certificate.objects.get(pk=history.certificate.pk)
    assert certificate.learner_id is None
    assert certificate.learner_closed_at is not None
    assert certificate.full_name == ""
    assert certificate.licences == [
        {"authority_id": certificate.issuer_borough_id, "authority": "Calderdale"}
    ]
    labels = CertificateEvent.objects.filter(certificate=certificate).values_list(
        "actor_label", flat=True
    )
    assert labels and email not in labels
    # Logged: the closing, with no link left to the account.
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.ACCOUNT_CLOSED, who=None).count() == 1
    # Signed out.
    response = client.get(reverse("people:records"))
    assert response["Location"].startswith(reverse("account_login"))


def test_a_closed_holders_certificate_is_gone_without_their_name(client, history):
    certificate = history.certificate
    assert account_close(user=history.user)
    for response in (
        verify(client, certificate),
        client.post(reverse("certificates:verify"), {"code": certificate.code}, follow=True),
    ):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This certificate is no longer available" in html
        for private in ("Olamide", "Adeyemi", "HC20931", "closed their account on"):
            assert private not in html, private


@pytest.mark.parametrize("borough", ["Calderdale", "Wakefield"])
def test_licensing_officers_are_told_the_holder_closed_their_account(client, history, borough):
    certificate = history.certificate
    assert account_close(user=history.user)
    officer = staff_with_role(Role.LICENSING_OFFICER, borough=BoroughFactory(name=borough))
    sign_in_past_two_step(client, officer)
    response = verify(client, certificate)
    assert response.status_code == 410
    html = response.content.decode()
    closed_on = Certificate.objects.get(pk=certificate.pk).learner_closed_at
    assert f"The holder closed their account on {closed_on:%-d %B %Y}" in html
    assert certificate.display_code in html and "Course records-course" in html
    assert "Olamide" not in html and "HC20931" not in html


def test_a_learner_who_is_not_an_officer_is_not_told_more(client, history):
    certificate = history.certificate
    assert account_close(user=history.user)
    client.force_login(UserFactory())
    html = verify(client, certificate).content.decode()
    assert "closed their account on" not in html


def test_closing_twice_closes_once(history):
    user = history.user
    assert account_close(user=user) is True
    assert account_close(user=user) is False
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.ACCOUNT_CLOSED).count() == 1


def test_staff_accounts_are_closed_by_an_administrator(client):
    officer = staff_with_role(Role.LICENSING_OFFICER, borough=BoroughFactory(name="Leeds"))
    sign_in_past_two_step(client, officer)
    html = client.get(reverse("people:account_close")).content.decode()
    assert "a site administrator closes them" in html
    assert 'name="confirm"' not in html
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("people:account_close"), CONFIRM)
    assert response.status_code == 403
    assert User.objects.filter(pk=officer.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_post_closes_once_on_postgres(on_postgres, records_course_snapshot):  # noqa: F811
    history = history_make(
        records_course_snapshot, full_name="Twice Pressed", licence="HC11111", workplace="Inn"
    )
    first = Client()
    reauthenticated(first, history.user)
    second = Client()
    second.cookies = first.cookies

    def post(index: int):
        client = (first, second)[index]
        return client.post(reverse("people:account_close"), CONFIRM).status_code

    assert run_at_once(post, 2) == [302, 302]
    assert not User.objects.filter(pk=history.user.pk).exists()
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.ACCOUNT_CLOSED).count() == 1
    assert Certificate.objects.get(pk=history.certificate.pk).learner_closed_at is not None
