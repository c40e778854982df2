"""Whose records staff see is for site administrators to change, and every change is logged.

A borough's partnership, an organisation's borough and a staff role with its place decide
what a lead, officer or manager sees. Editors and reviewers edit places' content but cannot
see or post those fields, nor add or delete places; administrators (people.manage_scope,
held by superusers) can, and Wagtail's audit log keeps the old and the new value."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from training_site.people.models import Borough, Organisation, Partnership, RoleAssignment
from training_site.people.roles import Role
from training_site.people.scope import SCOPE_CHANGE, ScopePermissionPolicy

from .factories import OrganisationFactory, UserFactory, account, role_assign
from .sessions import sign_in_past_two_step

pytestmark = pytest.mark.django_db

CONTENT_EDITORS = ["editor", "reviewer"]


def signed_in(client, kind: str):
    user = account(kind)
    sign_in_past_two_step(client, user)
    return user


def scope_log(instance) -> list[dict]:
    entries = ModelLogEntry.objects.filter(
        action=SCOPE_CHANGE,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
    ).order_by("timestamp", "pk")
    return [entry.data["changes"] for entry in entries]


def borough_post(borough: Borough, **changes) -> dict:
    data = {
        "name": borough.name,
        "slug": borough.slug,
        "ons_code": borough.ons_code,
        "partnership": borough.partnership_id or "",
        "social_care_phone": borough.social_care_phone,
        "out_of_hours_phone": borough.out_of_hours_phone,
        "web_page": borough.web_page,
        "licensing_email": borough.licensing_email,
        "licensing_phone": borough.licensing_phone,
    }
    return data | changes


def organisation_post(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "borough": organisation.borough_id,
        "is_confirmed": "on" if organisation.is_confirmed else "",
    }
    return data | changes


@pytest.fixture
def kirklees(site_content) -> Borough:
    return Borough.objects.get(slug="kirklees")


@pytest.fixture
def cheshire(site_content) -> Partnership:
    return Partnership.objects.get(slug="cheshire")


@pytest.mark.parametrize("kind", CONTENT_EDITORS)
def test_editors_edit_a_boroughs_contacts_but_not_its_partnership(client, kirklees, cheshire, kind):
    signed_in(client, kind)
    west_yorkshire = kirklees.partnership
    url = f"/admin/snippets/people/borough/edit/{kirklees.pk}/"
    form = client.get(url).content.decode()
    assert 'name="social_care_phone"' in form
    assert 'name="partnership"' not in form

    response = client.post(
        url, borough_post(kirklees, partnership=cheshire.pk, social_care_phone="01484 000000")
    )
    assert response.status_code == 302
    kirklees.refresh_from_db()
    assert kirklees.social_care_phone == "01484 000000"
    assert kirklees.partnership == west_yorkshire
    assert scope_log(kirklees) == []


@pytest.mark.parametrize("kind", CONTENT_EDITORS)
def test_editors_rename_an_organisation_but_cannot_move_it(client, kirklees, kind):
    signed_in(client, kind)
    hotel = OrganisationFactory(name="The Grand", borough=kirklees)
    elsewhere = Borough.objects.get(slug="calderdale")
    url = f"/admin/snippets/people/organisation/edit/{hotel.pk}/"
    form = client.get(url).content.decode()
    assert 'name="name"' in form
    assert 'name="borough"' not in form

    response = client.post(
        url, organisation_post(hotel, name="The Grand Hotel", borough=elsewhere.pk)
    )
    assert response.status_code == 302
    hotel.refresh_from_db()
    assert (hotel.name, hotel.borough) == ("The Grand Hotel", kirklees)


@pytest.mark.parametrize("kind", CONTENT_EDITORS)
def test_a_clash_with_the_hidden_borough_is_a_form_error_not_a_500(client, kirklees, kind):
    signed_in(client, kind)
    OrganisationFactory(name="The Grand", borough=kirklees)
    other = OrganisationFactory(name="The Royal", borough=kirklees)
    response = client.post(
        f"/admin/snippets/people/organisation/edit/{other.pk}/",
        organisation_post(other, name="the grand"),
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.name == "The Royal"


@pytest.mark.parametrize("kind", CONTENT_EDITORS)
@pytest.mark.parametrize("model", ["partnership", "borough", "organisation"])
def test_editors_cannot_add_or_delete_places(client, kirklees, kind, model):
    signed_in(client, kind)
    place = {
        "partnership": kirklees.partnership,
        "borough": kirklees,
        "organisation": OrganisationFactory(borough=kirklees),
    }[model]
    delete_url = f"/admin/snippets/people/{model}/delete/{place.pk}/"
    for response in (
        client.get(delete_url),
        client.post(delete_url),
        client.get(f"/admin/snippets/people/{model}/add/"),
        client.post(f"/admin/snippets/people/{model}/add/", {"name": "Nowhere"}),
    ):
        assert response.status_code in (302, 403)
        assert response.get("Location", "/admin/") == "/admin/"
    assert type(place).objects.filter(pk=place.pk).exists()
    listing = client.get(f"/admin/snippets/people/{model}/").content.decode()
    assert delete_url not in listing


@pytest.mark.parametrize("kind", CONTENT_EDITORS)
def test_editors_cannot_see_or_change_staff_roles(client, kirklees, kind):
    signed_in(client, kind)
    officer = UserFactory()
    assignment = role_assign(officer, Role.LICENSING_OFFICER, borough=kirklees)
    base = "/admin/snippets/people/roleassignment"
    for response in (
        client.get(f"{base}/"),
        client.get(f"{base}/edit/{assignment.pk}/"),
        client.post(f"{base}/edit/{assignment.pk}/", {"user": officer.pk, "role": "borough_lead"}),
        client.post(f"{base}/delete/{assignment.pk}/"),
        client.post(f"{base}/add/", {"user": officer.pk, "role": "borough_lead"}),
    ):
        assert response.status_code in (302, 403)
    assert list(RoleAssignment.objects.filter(user=officer)) == [assignment]


def test_a_partnership_change_is_logged_with_old_and_new(client, kirklees, cheshire):
    admin = signed_in(client, "admin")
    url = f"/admin/snippets/people/borough/edit/{kirklees.pk}/"
    assert 'name="partnership"' in client.get(url).content.decode()
    west_yorkshire = kirklees.partnership

    response = client.post(url, borough_post(kirklees, partnership=cheshire.pk))
    assert response.status_code == 302
    kirklees.refresh_from_db()
    assert kirklees.partnership == cheshire
    assert scope_log(kirklees) == [
        {
            "partnership": {
                "from": {"value": west_yorkshire.pk, "label": "West Yorkshire"},
                "to": {"value": cheshire.pk, "label": "Cheshire"},
            }
        }
    ]
    entry = ModelLogEntry.objects.get(action=SCOPE_CHANGE)
    assert entry.user == admin
    history = client.get(f"/admin/snippets/people/borough/history/{kirklees.pk}/")
    assert "Changed partnership from West Yorkshire to Cheshire" in history.content.decode()

    # Saving again without a change to the partnership adds nothing.
    client.post(url, borough_post(kirklees, social_care_phone="01484 111111"))
    assert len(scope_log(kirklees)) == 1


def test_moving_creating_and_deleting_an_organisation_is_logged(client, kirklees):
    signed_in(client, "admin")
    calderdale = Borough.objects.get(slug="calderdale")
    response = client.post(
        "/admin/snippets/people/organisation/add/",
        {"name": "The Grand", "kind": Organisation.Kind.PREMISES, "borough": kirklees.pk},
    )
    assert response.status_code == 302
    hotel = Organisation.objects.get(name="The Grand")
    manager = UserFactory()
    role = role_assign(manager, Role.ORGANISATION_MANAGER, organisation=hotel)

    client.post(
        f"/admin/snippets/people/organisation/edit/{hotel.pk}/",
        organisation_post(hotel, borough=calderdale.pk),
    )
    role_log_before_delete = scope_log(role)
    client.post(f"/admin/snippets/people/organisation/delete/{hotel.pk}/")

    assert not Organisation.objects.filter(pk=hotel.pk).exists()
    assert [change["borough"] for change in scope_log(hotel)] == [
        {"from": None, "to": {"value": kirklees.pk, "label": "Kirklees"}},
        {
            "from": {"value": kirklees.pk, "label": "Kirklees"},
            "to": {"value": calderdale.pk, "label": "Calderdale"},
        },
        {"from": {"value": calderdale.pk, "label": "Calderdale"}, "to": None},
    ]
    # The manager's role went with the organisation: that is in the log too.
    assert role_log_before_delete == []
    (removal,) = scope_log(role)
    assert removal["user"] == {"from": {"value": manager.pk, "label": manager.email}, "to": None}
    assert removal["organisation"]["to"] is None


def test_granting_moving_and_removing_a_role_is_logged(client, kirklees):
    signed_in(client, "admin")
    calderdale = Borough.objects.get(slug="calderdale")
    officer = UserFactory()
    base = "/admin/snippets/people/roleassignment"
    client.post(
        f"{base}/add/", {"user": officer.pk, "role": Role.LICENSING_OFFICER, "borough": kirklees.pk}
    )
    assignment = RoleAssignment.objects.get(user=officer)
    client.post(
        f"{base}/edit/{assignment.pk}/",
        {"user": officer.pk, "role": Role.BOROUGH_LEAD, "borough": calderdale.pk},
    )
    client.post(f"{base}/delete/{assignment.pk}/")

    assert not RoleAssignment.objects.filter(user=officer).exists()
    granted, moved, removed = scope_log(assignment)
    assert granted == {
        "user": {"from": None, "to": {"value": officer.pk, "label": officer.email}},
        "role": {"from": None, "to": {"value": "licensing_officer", "label": "Licensing officer"}},
        "borough": {"from": None, "to": {"value": kirklees.pk, "label": "Kirklees"}},
    }
    assert moved == {
        "role": {
            "from": {"value": "licensing_officer", "label": "Licensing officer"},
            "to": {"value": "borough_lead", "label": "Borough safeguarding lead"},
        },
        "borough": {
            "from": {"value": kirklees.pk, "label": "Kirklees"},
            "to": {"value": calderdale.pk, "label": "Calderdale"},
        },
    }
    assert set(removed) == {"user", "role", "borough"}
    assert all(change["to"] is None for change in removed.values())


def test_deleting_roles_in_bulk_is_logged_one_by_one(client, kirklees):
    signed_in(client, "admin")
    officers = [UserFactory(), UserFactory()]
    assignments = [
        role_assign(officer, Role.LICENSING_OFFICER, borough=kirklees) for officer in officers
    ]
    ids = "&".join(f"id={assignment.pk}" for assignment in assignments)
    response = client.post(f"/admin/bulk/people/roleassignment/delete/?{ids}")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user__in=officers).exists()
    for assignment in assignments:
        (removed,) = scope_log(assignment)
        assert removed["borough"]["to"] is None


def test_an_administrator_need_not_be_a_superuser(client, kirklees, cheshire):
    """The permission, not superuser status, is what lets someone change scope."""
    admin = signed_in(client, "editor")
    admin.user_permissions.add(
        Permission.objects.get(content_type__app_label="people", codename="manage_scope")
    )
    response = client.post(
        f"/admin/snippets/people/borough/edit/{kirklees.pk}/",
        borough_post(kirklees, partnership=cheshire.pk),
    )
    assert response.status_code == 302
    kirklees.refresh_from_db()
    assert kirklees.partnership == cheshire
    assert len(scope_log(kirklees)) == 1


def test_who_holds_which_permission(site_content):
    editor, admin = account("editor"), account("admin")
    boroughs = ScopePermissionPolicy(Borough, scope_actions=frozenset({"add", "delete"}))
    assert boroughs.user_has_permission(editor, "change")
    assert not boroughs.user_has_permission(editor, "delete")
    assert boroughs.user_has_permission(admin, "delete")
    assert editor in boroughs.users_with_permission("change")
    assert editor not in boroughs.users_with_any_permission(["add", "delete"])
    assert admin in boroughs.users_with_any_permission(["add", "delete"])


def test_editors_keep_content_permissions_only_after_migrating():
    editors = Group.objects.get(name="Editors")
    held = set(
        editors.permissions.filter(content_type__app_label="people").values_list(
            "codename", flat=True
        )
    )
    for place in ("partnership", "borough", "organisation"):
        assert {f"change_{place}", f"view_{place}"} <= held
        assert not {f"add_{place}", f"delete_{place}"} & held
    assert {"add_audience", "change_audience", "delete_audience"} <= held
    assert "manage_scope" not in held
