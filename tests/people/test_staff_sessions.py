"""Staff permissions need a session that passed two-step sign-in, checked on every request;
a change of role signs the person out of their other sessions.

Found by probing: an account signed in as a learner was granted an officer role and, in the
same session, opened the staff area, looked up licences, downloaded the expiring-drivers CSV
and revoked a certificate; a password-only officer could revoke at /verify/."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from certificates.services import certificate_revoke
from training_site.people import services
from training_site.people.backends import AccountModelBackend
from training_site.people.models import RoleAssignment
from training_site.people.permissions import (
    can_open_admin,
    needs_second_factor,
    roles_scope_of,
    scope_of,
)
from training_site.people.roles import Role

from ..certificates.factories import driver_with_licence, issue
from .factories import UserFactory, account, role_assign
from .sessions import (
    PASSWORD,
    code_sign_in,
    password_only_sign_in,
    second_factor_for,
    sign_in_past_two_step,
    two_step_confirm,
    two_step_sign_in,
)
from .totp import fresh_totp_code

pytestmark = pytest.mark.django_db

STAFF_HOME = reverse("reports:home")
EXPIRING_CSV = reverse("reports:expiring") + "?format=csv"


@pytest.fixture
def certificate():
    return issue(driver_with_licence())


def role_granted_behind_the_session(user, borough) -> None:
    """An officer role given without the grant service (a shell, a database edit): nothing
    ends the person's sessions, so only the per-request check stands in the way."""
    RoleAssignment.objects.create(user=user, role=Role.LICENSING_OFFICER, borough=borough)
    user.groups.add(Group.objects.get_or_create(name=Role.LICENSING_OFFICER.group_name)[0])


def staff_actions(client, certificate) -> dict[str, int]:
    """What each staff action answered: the staff area, a licence look-up, the expiring CSV,
    and revoking the certificate."""
    borough = certificate.issuer_borough
    return {
        "staff home": client.get(STAFF_HOME).status_code,
        "licence lookup": client.post(
            reverse("reports:licence_lookup"), {"authority": borough.pk, "number": "PH10427"}
        ).status_code,
        "expiring csv": client.get(f"{EXPIRING_CSV}&authority={borough.pk}").status_code,
        "revoke": client.post(
            reverse("certificates:revoke", args=[certificate.code]), {"reason": "other"}
        ).status_code,
    }


def test_a_learner_session_given_a_role_gets_no_staff_access_until_two_step(client, certificate):
    learner = UserFactory()
    code_sign_in(client, learner)
    role_granted_behind_the_session(learner, certificate.issuer_borough)

    # No authenticator app yet: every staff page sends them to set one up; a form is refused.
    assert client.get(STAFF_HOME)["Location"] == reverse("mfa_activate_totp")
    answers = staff_actions(client, certificate)
    assert answers == {
        "staff home": 302,
        "licence lookup": 302,
        "expiring csv": 302,
        "revoke": 302,
    }
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    # With an app set up, the session still has not used it: confirm a code first.
    secret = second_factor_for(learner)
    response = client.get(STAFF_HOME)
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fstaff%2F"
    assert staff_actions(client, certificate) == {
        "staff home": 302,
        "licence lookup": 403,
        "expiring csv": 302,
        "revoke": 403,
    }
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    response = two_step_confirm(client, secret, STAFF_HOME)
    assert response["Location"] == STAFF_HOME
    assert staff_actions(client, certificate) == {
        "staff home": 200,
        "licence lookup": 200,
        "expiring csv": 200,
        "revoke": 302,
    }
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


def test_staff_scope_is_withheld_even_where_no_page_asks_for_the_second_step(
    client, certificate, settings
):
    """The redirect is a courtesy: the permission itself is refused on every request."""
    settings.STAFF_MFA_EXEMPT_PATHS = (*settings.STAFF_MFA_EXEMPT_PATHS, "/verify/", "/staff/")
    officer = UserFactory()
    password_only_sign_in(client, officer)
    role_granted_behind_the_session(officer, certificate.issuer_borough)
    verify_page = client.get(reverse("certificates:verify_code", args=[certificate.code]))
    assert verify_page.status_code == 200
    assert "Revoke certificate" not in verify_page.content.decode()
    assert staff_actions(client, certificate) == {
        "staff home": 403,
        "licence lookup": 403,
        "expiring csv": 403,
        "revoke": 403,
    }
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_scope_outside_a_request_still_comes_from_roles(certificate):
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=certificate.issuer_borough)
    assert scope_of(officer).licensing_borough_ids == {certificate.issuer_borough.pk}


ACCOUNT_KINDS = ["driver", "new learner", "officer", "manager", "borough lead"]
ACCOUNT_KINDS += ["partnership lead", "editor", "reviewer", "admin"]


@pytest.mark.parametrize("kind", ACCOUNT_KINDS)
def test_the_second_step_is_asked_of_everyone_with_staff_access_and_nobody_else(site_content, kind):
    """The one-query answer the middleware uses agrees with the permissions it guards."""
    user = account(kind)
    holds = user.is_superuser or roles_scope_of(user).is_staff_scope or can_open_admin(user)
    assert holds is (kind not in ("driver", "new learner"))
    assert needs_second_factor(user) is holds
    # As a signed-in request reads the account: with the answer in the same query.
    assert needs_second_factor(AccountModelBackend().get_user(user.pk)) is holds


def test_a_password_only_officer_cannot_revoke_or_reinstate(client, certificate):
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=certificate.issuer_borough)
    password_only_sign_in(client, officer)
    verify_url = reverse("certificates:verify_code", args=[certificate.code])
    assert client.get(verify_url)["Location"] == reverse("mfa_activate_totp")
    client.post(reverse("certificates:revoke", args=[certificate.code]), {"reason": "other"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    certificate_revoke(certificate=certificate, actor=None, reason="other", note="")
    client.post(reverse("certificates:reinstate", args=[certificate.code]))
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


def test_a_new_officer_sets_up_the_app_then_confirms_a_code_and_reaches_the_staff_area(
    client, certificate
):
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=certificate.issuer_borough)
    password_only_sign_in(client, officer)
    assert client.get(STAFF_HOME)["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before an authenticator is added.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    code = fresh_totp_code(secret)
    assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302
    assert client.get(STAFF_HOME)["Location"].startswith(reverse("mfa_reauthenticate"))
    confirm_page = client.get(reverse("mfa_reauthenticate") + "?next=/staff/")
    assert "<h1>Confirm two-step sign-in</h1>" in confirm_page.content.decode()
    assert two_step_confirm(client, secret, STAFF_HOME)["Location"] == STAFF_HOME
    assert client.get(STAFF_HOME).status_code == 200


def test_an_officer_signed_in_with_both_steps_revokes_and_reinstates(client, certificate):
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=certificate.issuer_borough)
    two_step_sign_in(client, officer)
    page = client.get(reverse("certificates:verify_code", args=[certificate.code]))
    assert "Revoke certificate" in page.content.decode()
    revoke = reverse("certificates:revoke", args=[certificate.code])
    assert client.post(revoke, {"reason": "other"}).status_code == 302
    client.post(reverse("certificates:reinstate", args=[certificate.code]))
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_verification_stays_open_to_visitors_and_learners(client, certificate):
    verify_url = reverse("certificates:verify_code", args=[certificate.code])
    assert client.get(verify_url).status_code == 200
    code_sign_in(client, UserFactory())
    assert client.get(verify_url).status_code == 200
    typed = client.post(reverse("certificates:verify"), {"code": certificate.code})
    assert typed.status_code == 302


def test_a_superuser_without_the_second_step_is_no_superuser(client, certificate):
    admin = UserFactory(is_superuser=True, is_staff=True)
    secret = second_factor_for(admin)
    client.force_login(admin)  # a session that did not use the authenticator app
    assert client.get("/admin/")["Location"].startswith(reverse("mfa_reauthenticate"))
    revoke = reverse("certificates:revoke", args=[certificate.code])
    assert client.post(revoke, {"reason": "other"}).status_code == 403
    two_step_confirm(client, secret, "/admin/")
    assert client.get("/admin/").status_code == 200


def signed_in_clients(user, count: int) -> list[Client]:
    clients = [Client() for _ in range(count)]
    for each in clients:
        each.force_login(user)
    return clients


def signed_in(client) -> bool:
    return Session.objects.filter(session_key=client.session.session_key).exists()


def test_granting_a_role_ends_the_persons_other_sessions(certificate):
    learner, bystander = UserFactory(), UserFactory()
    phone, desk = signed_in_clients(learner, 2)
    (theirs,) = signed_in_clients(bystander, 1)
    services.role_grant(
        user=learner,
        role=Role.LICENSING_OFFICER,
        borough=certificate.issuer_borough,
        keep_session_key=desk.session.session_key,
    )
    assert not signed_in(phone)
    assert signed_in(desk)
    assert signed_in(theirs)
    # Granting a role they already hold changes nothing, so signs nobody out.
    (laptop,) = signed_in_clients(learner, 1)
    services.role_grant(
        user=learner, role=Role.LICENSING_OFFICER, borough=certificate.issuer_borough
    )
    assert signed_in(laptop)
    services.role_grant(user=learner, role=Role.EDITOR)
    assert not signed_in(laptop)
    assert not signed_in(desk)


def test_changing_or_removing_a_role_in_the_admin_ends_the_holders_sessions(client, certificate):
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in_past_two_step(client, admin)
    officer = UserFactory()
    assignment = role_assign(officer, Role.LICENSING_OFFICER, borough=certificate.issuer_borough)
    officer_client = Client()
    sign_in_past_two_step(officer_client, officer)
    assert officer_client.get(STAFF_HOME).status_code == 200

    edit = reverse("wagtailsnippets_people_roleassignment:edit", args=[assignment.pk])
    response = client.post(
        edit, {"user": officer.pk, "role": Role.BOROUGH_LEAD, "borough": assignment.borough_id}
    )
    assert response.status_code == 302, response.content.decode()
    assert not signed_in(officer_client)
    assert signed_in(client)

    sign_in_past_two_step(officer_client, officer)
    delete = reverse("wagtailsnippets_people_roleassignment:delete", args=[assignment.pk])
    assert client.post(delete).status_code == 302
    assert not signed_in(officer_client)
    assert signed_in(client)
    assert not officer.groups.filter(name=Role.BOROUGH_LEAD.group_name).exists()


def test_changing_someones_groups_in_the_user_admin_ends_their_sessions(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in_past_two_step(client, admin)
    person = UserFactory(first_name="Ada", last_name="Lovelace")
    (theirs,) = signed_in_clients(person, 1)
    edit = reverse("wagtailusers_users:edit", args=[person.pk])
    form = {
        "email": person.email,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "is_active": "on",
    }
    assert client.post(edit, form).status_code == 302
    assert signed_in(theirs), "nothing about their access changed"
    editors = Group.objects.get(name=Role.EDITOR.group_name)
    assert client.post(edit, {**form, "groups": [editors.pk]}).status_code == 302
    assert not signed_in(theirs)
    assert signed_in(client)


def test_sessions_end_with_a_cached_db_engine_too(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    person = UserFactory()
    phone, desk = signed_in_clients(person, 2)
    assert services.sessions_end(user=person, keep_session_key=desk.session.session_key) == 1
    assert phone.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_a_session_engine_that_cannot_list_sessions_is_refused(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    with pytest.raises(SystemCheckError, match=r"people\.E001"):
        call_command("check")


def test_a_fresh_authenticator_session_helper_counts_as_two_step(client, certificate):
    """The shortcut other tests use opens what the real sign-in opens, and no more."""
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=certificate.issuer_borough)
    sign_in_past_two_step(client, officer)
    assert client.get(STAFF_HOME).status_code == 200
    assert officer.authenticator_set.exists()
