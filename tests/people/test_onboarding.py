"""Onboarding and the profile: what learners type, and every way it can be wrong."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from training_site.people.models import LearnerProfile, Licence, Organisation
from training_site.people.roles import Role

from .factories import (
    BoroughFactory,
    DriverAudienceFactory,
    HotelAudienceFactory,
    LearnerProfileFactory,
    LicenceFactory,
    OrganisationFactory,
    UserFactory,
    role_assign,
)
from .sessions import second_factor_for, two_step_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirklees():
    return BoroughFactory(name="Kirklees", slug="kirklees", ons_code="E08000034")


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def profile_data(audience, borough, **overrides):
    return {
        "full_name": "Łukasz Wiśniewski",
        "audience": audience.pk,
        "home_borough": borough.pk,
        **overrides,
    }


def test_driver_onboarding_end_to_end(client, learner, kirklees):
    driver = DriverAudienceFactory()
    page = client.get(reverse("people:onboarding") + "?audience=taxi-private-hire")
    assert page.status_code == 200
    assert f'value="{driver.pk}" id="id_audience_0" required checked' in page.content.decode()

    response = client.post(reverse("people:onboarding"), profile_data(driver, kirklees))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:licences")

    response = client.post(
        reverse("people:licences"), {"authority": kirklees.pk, "number": "ph 104-27"}
    )
    assert response.status_code == 302
    assert Licence.objects.get(holder=learner).number == "PH10427"

    response = client.post(reverse("people:licences_done"))
    assert response["Location"] == reverse("dashboard")
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.onboarded_at is not None
    assert profile.full_name == "Łukasz Wiśniewski"
    assert learner.groups.filter(name="Learners").exists()


def test_driver_cannot_finish_without_a_licence(client, learner, kirklees):
    client.post(reverse("people:onboarding"), profile_data(DriverAudienceFactory(), kirklees))
    response = client.post(reverse("people:licences_done"), follow=True)
    assert b"Add at least one licence" in response.content
    assert LearnerProfile.objects.get(user=learner).onboarded_at is None


def test_a_driver_may_hold_licences_from_several_authorities(client, learner, kirklees):
    leeds = BoroughFactory(name="Leeds")
    client.post(reverse("people:onboarding"), profile_data(DriverAudienceFactory(), kirklees))
    client.post(reverse("people:licences"), {"authority": kirklees.pk, "number": "PH1" + "0427"})
    client.post(reverse("people:licences"), {"authority": leeds.pk, "number": "PH10427"})
    assert Licence.objects.filter(holder=learner).count() == 2


def test_adding_the_same_licence_twice_is_harmless(client, learner, kirklees):
    client.post(reverse("people:onboarding"), profile_data(DriverAudienceFactory(), kirklees))
    for _ in range(2):
        client.post(reverse("people:licences"), {"authority": kirklees.pk, "number": "PH10427"})
    assert Licence.objects.filter(holder=learner).count() == 1


def test_a_number_claimed_by_someone_else_is_refused_with_a_message(client, learner, kirklees):
    kirklees.licensing_email = "licensing@kirklees.example"
    kirklees.save()
    LicenceFactory(authority=kirklees, number="PH10427")
    client.post(reverse("people:onboarding"), profile_data(DriverAudienceFactory(), kirklees))
    response = client.post(
        reverse("people:licences"), {"authority": kirklees.pk, "number": "ph10427"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "already registered with Kirklees" in content
    assert "licensing@kirklees.example" in content
    assert 'value="ph10427"' in content
    assert not Licence.objects.filter(holder=learner).exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Enter your licence or badge number."),
        ("X", "2 to 20 characters"),
        ("<script>1</script>", "using letters and numbers"),
        ("A" * 41, "at most 20"),
    ],
)
def test_bad_licence_numbers(client, learner, kirklees, number, message):
    client.post(reverse("people:onboarding"), profile_data(DriverAudienceFactory(), kirklees))
    response = client.post(reverse("people:licences"), {"authority": kirklees.pk, "number": number})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>1</script>" not in response.content.decode()


def test_unknown_authority_is_refused(client, learner, kirklees):
    client.post(reverse("people:onboarding"), profile_data(DriverAudienceFactory(), kirklees))
    response = client.post(reverse("people:licences"), {"authority": 987654, "number": "PH1"})
    assert response.status_code == 400
    assert b"Choose a borough from the list" in response.content


@pytest.mark.parametrize(
    ("full_name", "message"),
    [
        ("", "Enter your full name."),
        ("   ", "Enter your full name."),
        ("A" * 500, "80 characters or fewer"),
        ("<b>Bob</b> Smith", "Use letters, spaces, hyphens and apostrophes only"),
        ("Robert'); DROP TABLE people_user;--", "Use letters, spaces"),
        ("R2-D2", "Use letters, spaces"),
    ],
)
def test_bad_names_are_refused_and_what_was_typed_is_kept(
    client, learner, kirklees, full_name, message
):
    audience = HotelAudienceFactory()
    response = client.post(
        reverse("people:onboarding"), profile_data(audience, kirklees, full_name=full_name)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "<b>Bob</b>" not in content
    # The other answers survive the error.
    assert f'value="{kirklees.pk}" selected' in content
    assert f'value="{audience.pk}" id="id_audience_0" required checked' in content
    assert not LearnerProfile.objects.exists()


def test_html_in_a_name_is_shown_back_escaped(client, learner, kirklees):
    response = client.post(
        reverse("people:onboarding"),
        profile_data(HotelAudienceFactory(), kirklees, full_name="<b>Bob</b>"),
    )
    assert "&lt;b&gt;Bob&lt;/b&gt;" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["Zoë Ó Briain", "Ayşe Yılmaz", "Jean-Luc O’Neill", "Mary  Smith", "Dr. Ada King"]
)
def test_real_names_are_accepted(client, learner, kirklees, name):
    response = client.post(
        reverse("people:onboarding"), profile_data(HotelAudienceFactory(), kirklees, full_name=name)
    )
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=learner).full_name == " ".join(name.split())


def test_forged_borough_and_audience_ids_are_refused(client, learner, kirklees):
    response = client.post(
        reverse("people:onboarding"),
        {"full_name": "Sam Jones", "audience": "999999", "home_borough": "not-a-number"},
    )
    assert response.status_code == 400
    assert b"Choose a role from the list" in response.content
    assert b"Choose a borough from the list" in response.content


def test_inactive_audiences_cannot_be_chosen(client, learner, kirklees):
    retired = HotelAudienceFactory(is_active=False)
    response = client.post(reverse("people:onboarding"), profile_data(retired, kirklees))
    assert response.status_code == 400


def test_hotel_worker_picks_a_listed_workplace(client, learner, kirklees):
    audience = HotelAudienceFactory()
    hotel = OrganisationFactory(name="Canal Side Guest House", borough=kirklees)
    OrganisationFactory(name="Canal Side School", borough=kirklees, kind=Organisation.Kind.SCHOOL)
    response = client.post(reverse("people:onboarding"), profile_data(audience, kirklees))
    assert response["Location"] == reverse("people:organisation")

    page = client.get(reverse("people:organisation"), {"borough": kirklees.pk, "q": "canal"})
    assert page.status_code == 200
    assert b"Canal Side Guest House" in page.content
    assert b"Canal Side School" not in page.content  # hotel staff pick premises only

    response = client.post(
        reverse("people:organisation"),
        {"choice": str(hotel.pk), "borough": kirklees.pk, "name": "canal"},
    )
    assert response["Location"] == reverse("dashboard")
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.organisation == hotel
    assert profile.onboarded_at is not None


def test_hotel_worker_names_an_unlisted_workplace(client, learner, kirklees):
    client.post(reverse("people:onboarding"), profile_data(HotelAudienceFactory(), kirklees))
    response = client.post(
        reverse("people:organisation"),
        {"choice": "new", "borough": kirklees.pk, "name": "  The   Moorland Inn "},
    )
    assert response.status_code == 302
    organisation = LearnerProfile.objects.get(user=learner).organisation
    assert organisation.name == "The Moorland Inn"
    assert not organisation.is_confirmed
    assert organisation.kind == Organisation.Kind.PREMISES


def test_forged_workplace_choice_is_refused(client, learner, kirklees):
    elsewhere = OrganisationFactory(name="Elsewhere Hotel")
    client.post(reverse("people:onboarding"), profile_data(HotelAudienceFactory(), kirklees))
    response = client.post(
        reverse("people:organisation"),
        {"choice": str(elsewhere.pk), "borough": kirklees.pk, "name": "canal"},
    )
    assert response.status_code == 400
    assert b"Choose one of the workplaces listed" in response.content
    assert LearnerProfile.objects.get(user=learner).organisation is None


def test_workplace_search_with_bad_input(client, learner, kirklees):
    client.post(reverse("people:onboarding"), profile_data(HotelAudienceFactory(), kirklees))
    response = client.get(reverse("people:organisation"), {"borough": "9999", "q": "x"})
    assert response.status_code == 400
    assert b"Choose a borough from the list" in response.content
    assert b"Enter at least 2 letters" in response.content


def test_a_learner_cannot_remove_someone_elses_licence(client, learner):
    other = LicenceFactory()
    response = client.post(reverse("people:licence_remove", args=[other.pk]))
    assert response.status_code == 403
    assert Licence.objects.filter(pk=other.pk).exists()
    assert client.post(reverse("people:licence_remove", args=[999999])).status_code == 404


def test_a_learner_removes_their_own_licence(client, learner):
    mine = LicenceFactory(holder=learner)
    LearnerProfileFactory(user=learner, audience=DriverAudienceFactory())
    response = client.post(reverse("people:licence_remove", args=[mine.pk]))
    assert response.status_code == 302
    assert not Licence.objects.filter(pk=mine.pk).exists()


def test_profile_pages_need_sign_in(client):
    for name in ("people:onboarding", "people:profile", "people:licences", "dashboard"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_sends_new_learners_to_onboarding(client, learner):
    assert client.get(reverse("dashboard"))["Location"] == reverse("people:onboarding")


def test_staff_must_set_up_two_step_sign_in_first(client, kirklees):
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=kirklees)
    client.force_login(officer)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Pages anyone may read stay open.
    assert client.get("/healthz").status_code == 200

    # The app is set up now, but this session has not used it: a code first, then back.
    secret = second_factor_for(officer)
    response = client.get(reverse("dashboard"))
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fdashboard%2F"
    assert two_step_confirm(client, secret, reverse("dashboard"))["Location"] == "/dashboard/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_staff_cannot_switch_off_their_authenticator(client, kirklees):
    lead = UserFactory()
    role_assign(lead, Role.BOROUGH_LEAD, borough=kirklees)
    TOTP.activate(lead, generate_totp_secret())
    from allauth.mfa.adapter import get_adapter

    authenticator = Authenticator.objects.get(user=lead)
    assert not get_adapter().can_delete_authenticator(authenticator)


def test_a_driver_still_applying_finishes_without_a_number_and_adds_it_later(
    client, learner, kirklees
):
    driver = DriverAudienceFactory()
    client.post(reverse("people:onboarding"), profile_data(driver, kirklees))
    page = client.get(reverse("people:licences")).content.decode()
    assert "I am applying: I will add it later" in page
    response = client.post(reverse("people:licences_done"), {"applying": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    profile = LearnerProfile.objects.get(user=learner)
    assert profile.onboarded_at is not None and profile.licence_applied_for
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Add your licence number when you have it" in dashboard

    client.post(reverse("people:licences"), {"authority": kirklees.pk, "number": "PH10427"})
    profile.refresh_from_db()
    assert not profile.licence_applied_for
    assert "Add your licence number" not in client.get(reverse("dashboard")).content.decode()


def test_onboarding_begun_from_a_lesson_returns_to_it(client, learner, kirklees):
    hotel = HotelAudienceFactory()
    lesson_path = "/courses/hotel/module-1/lesson-1-1/"
    client.get(reverse("people:onboarding") + f"?audience={hotel.slug}&next={lesson_path}")
    client.post(reverse("people:onboarding"), profile_data(hotel, kirklees))
    organisation = OrganisationFactory(borough=kirklees, kind=hotel.organisation_kind)
    response = client.post(
        reverse("people:organisation"),
        {"borough": kirklees.pk, "name": organisation.name, "choice": organisation.pk},
    )
    assert response["Location"] == lesson_path


def test_onboarding_never_returns_to_another_site(client, learner, kirklees):
    driver = DriverAudienceFactory()
    client.get(reverse("people:onboarding") + "?next=https://evil.example/")
    client.post(reverse("people:onboarding"), profile_data(driver, kirklees))
    response = client.post(reverse("people:licences_done"), {"applying": "1"})
    assert response["Location"] == reverse("dashboard")
