"""Boroughs, partnerships, audiences and staff roles are data editors manage in Wagtail."""

import pytest
from django.contrib.auth.models import Group

from training_site.people.models import Audience, Borough, RoleAssignment
from training_site.people.roles import Role

from .factories import BoroughFactory, UserFactory, role_assign
from .sessions import sign_in_past_two_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory()
    role_assign(user, Role.EDITOR)
    sign_in_past_two_step(client, user)
    return user


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    sign_in_past_two_step(client, user)
    return user


def test_editor_updates_a_boroughs_local_contacts(client, editor):
    borough = BoroughFactory(name="Calderdale", ons_code="E08000033", slug="calderdale")
    url = f"/admin/snippets/people/borough/edit/{borough.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Calderdale",
            "slug": "calderdale",
            "ons_code": "E08000033",
            "partnership": borough.partnership_id,
            "social_care_phone": "01422 000000",
            "out_of_hours_phone": "",
            "web_page": "https://www.calderdale.gov.uk/",
            "licensing_email": "licensing@calderdale.example",
            "licensing_phone": "",
        },
    )
    assert response.status_code == 302
    borough.refresh_from_db()
    assert borough.social_care_phone == "01422 000000"


def test_a_bad_ons_code_is_refused(client, superuser):
    # Adding a place is for site administrators (tests/people/test_admin_scope.py).
    response = client.post(
        "/admin/snippets/people/borough/add/",
        {"name": "Nowhere", "slug": "nowhere", "ons_code": "X123"},
    )
    assert response.status_code == 200
    assert b"An ONS code is a letter and eight digits" in response.content
    assert not Borough.objects.filter(slug="nowhere").exists()


def test_editor_adds_an_audience_without_code(client, editor):
    response = client.post(
        "/admin/snippets/people/audience/add/",
        {
            "name": "Care home staff",
            "slug": "care-home-staff",
            "description": "You work in a care home.",
            "membership": "organisation",
            "organisation_kind": "care_home",
            "sort_order": 40,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Audience.objects.get(slug="care-home-staff").membership == "organisation"


def test_learners_cannot_open_the_admin(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 403


def test_editors_cannot_grant_roles(client, editor):
    assert client.get("/admin/snippets/people/roleassignment/").status_code in (302, 403)


def test_granting_and_revoking_a_role_in_the_admin_keeps_groups_in_step(client, superuser):
    officer = UserFactory()
    borough = BoroughFactory()
    response = client.post(
        "/admin/snippets/people/roleassignment/add/",
        {"user": officer.pk, "role": Role.LICENSING_OFFICER, "borough": borough.pk},
    )
    assert response.status_code == 302
    assert officer.groups.filter(name="Licensing officers").exists()

    assignment = RoleAssignment.objects.get(user=officer)
    response = client.post(f"/admin/snippets/people/roleassignment/delete/{assignment.pk}/")
    assert response.status_code == 302
    assert not officer.groups.filter(name="Licensing officers").exists()


def test_a_role_without_its_place_is_refused(client, superuser):
    officer = UserFactory()
    response = client.post(
        "/admin/snippets/people/roleassignment/add/",
        {"user": officer.pk, "role": Role.PARTNERSHIP_LEAD, "borough": BoroughFactory().pk},
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.exists()


def test_role_groups_exist_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.group_name for role in Role} <= names
