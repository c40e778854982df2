"""/admin/ answers everyone once: the Wagtail admin for those who may open it, a 403 with
the way to where they belong for everyone else signed in, the sign-in page for visitors.
Never a redirect that comes back (it was an endless loop for officers, managers and
drivers). Staff land where they work after signing in, and never on learner onboarding."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from training_site.people.landing import landing_for

from .factories import account
from .sessions import sign_in_past_two_step
from .totp import fresh_totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def signed_in(client, kind: str):
    user = account(kind)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    sign_in_past_two_step(client, user)
    return user, secret


ADMIN_USERS = ["editor", "reviewer", "admin", "borough lead", "partnership lead"]
REFUSED = {
    "officer": ("/staff/", "Go to the staff area"),
    "manager": ("/staff/", "Go to the staff area"),
    "driver": ("/dashboard/", "Go to your training"),
    "new learner": ("/profile/start/", "Finish setting up your profile"),
}


@pytest.mark.parametrize("kind", ADMIN_USERS)
def test_editors_reviewers_leads_and_admins_open_the_admin(client, site_content, kind):
    signed_in(client, kind)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "wagtailadmin/home.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(("kind", "way_back"), REFUSED.items())
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/"])
def test_anyone_else_signed_in_gets_a_403_with_the_way_to_where_they_belong(
    client, site_content, kind, way_back, path
):
    signed_in(client, kind)
    # follow=True raises RedirectCycleError on a loop; here there is not even one redirect.
    response = client.get(path, follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot see this page" in page
    assert "The editing area is for the people who write and review the courses." in page
    url, label = way_back
    assert f'<a href="{url}">{label}</a>' in page


def test_the_sign_in_page_sends_a_signed_in_officer_to_the_403_once(client, site_content):
    signed_in(client, "officer")
    response = client.get(f"{reverse('account_login')}?next=/admin/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.status_code == 403


def test_visitors_who_are_signed_out_still_get_the_sign_in_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


def test_every_403_shows_the_way_back(client, site_content):
    signed_in(client, "driver")
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 403
    assert '<a href="/dashboard/">Go to your training</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "landing"),
    [
        ("editor", "/admin/"),
        ("reviewer", "/admin/"),
        ("admin", "/staff/"),
        ("officer", "/staff/"),
        ("manager", "/staff/"),
        ("borough lead", "/staff/"),
        ("partnership lead", "/staff/"),
        ("driver", "/dashboard/"),
        ("new learner", "/profile/start/"),
    ],
)
def test_where_each_account_lands(site_content, kind, landing):
    assert landing_for(account(kind)).url == landing


@pytest.mark.parametrize("kind", ["editor", "reviewer"])
def test_editors_and_reviewers_sign_in_to_the_admin_not_onboarding(client, site_content, kind):
    user, secret = signed_in(client, kind)
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    code = fresh_totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(reverse("dashboard")).status_code == 200
