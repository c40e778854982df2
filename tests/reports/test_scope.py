"""Who may open what: every staff view, export and look-up, for every role and place.

Borough leads see their own boroughs; partnership leads the member boroughs; officers the
licensing tools (any licence by number, their own authority's lists); organisation
managers their own staff; learners and the public none of it.
"""

import pytest

from training_site.people.roles import Role
from training_site.reports.models import ReportAccess

from .conftest import client_for

VIEWS = {
    "home": "/staff/",
    "dashboard": "/staff/reports/",
    "dashboard_a": "/staff/reports/?borough={a}",
    "dashboard_c": "/staff/reports/?borough={c}",
    "organisation_filter_c": "/staff/reports/?organisation={other_hotel}",
    "list_a": "/staff/reports/list/?figure=enrolled&borough={a}",
    "list_b": "/staff/reports/list/?figure=enrolled&borough={b}",
    "list_c": "/staff/reports/list/?figure=enrolled&borough={c}",
    "export_a": "/staff/reports/list/export.csv?figure=enrolled&borough={a}",
    "export_c": "/staff/reports/list/export.csv?figure=expired&borough={c}",
    "lookup": "/staff/licences/",
    "expiring_a": "/staff/licences/expiring/?authority={a}",
    "expiring_c": "/staff/licences/expiring/?authority={c}",
    "expiring_csv_c": "/staff/licences/expiring/?authority={c}&format=csv",
    "organisation": "/staff/organisations/{hotel}/",
    "organisation_other": "/staff/organisations/{other_hotel}/",
    "organisation_csv": "/staff/organisations/{hotel}/?format=csv",
}

REFUSED = dict.fromkeys(VIEWS, 403)

# Leads of a borough and of its partnership open the same views and are refused C with a
# 400 (it is not among their choices); only the partnership lead also reaches B.
LEAD = {
    **REFUSED,
    "home": 200,
    "dashboard": 200,
    "dashboard_a": 200,
    "dashboard_c": 400,
    "organisation_filter_c": 400,
    "list_a": 200,
    "list_b": 400,
    "list_c": 400,
    "export_a": 200,
    "export_c": 400,
}

# Expected status per role; 302 sends the public to sign in.
EXPECTED = {
    "borough_lead_a": LEAD,
    "partnership_lead_west": {**LEAD, "list_b": 200},
    # Officers look up any licence, but list only their own authority's drivers.
    "officer_a": {
        **REFUSED,
        "home": 200,
        "lookup": 200,
        "expiring_a": 200,
        "expiring_c": 400,
        "expiring_csv_c": 400,
    },
    # Another organisation is simply not found.
    "manager_hotel": {
        **REFUSED,
        "home": 200,
        "organisation": 200,
        "organisation_other": 404,
        "organisation_csv": 200,
    },
    "learner": REFUSED,
    "public": dict.fromkeys(VIEWS, 302),
}


def account_for(world, name):
    if name == "borough_lead_a":
        return world.staff(Role.BOROUGH_LEAD, borough=world.a)
    if name == "partnership_lead_west":
        return world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west)
    if name == "officer_a":
        return world.staff(Role.LICENSING_OFFICER, borough=world.a)
    if name == "manager_hotel":
        return world.staff(Role.ORGANISATION_MANAGER, organisation=world.hotel)
    if name == "learner":
        return world.learners["d1"]
    return None


def url_of(world, view):
    return VIEWS[view].format(
        a=world.a.pk,
        b=world.b.pk,
        c=world.c.pk,
        hotel=world.hotel.pk,
        other_hotel=world.other_hotel.pk,
    )


@pytest.mark.parametrize("role", EXPECTED)
def test_scope_matrix(world, role):
    client = client_for(account_for(world, role))
    answers = {view: client.get(url_of(world, view)).status_code for view in VIEWS}
    assert answers == EXPECTED[role]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_borough_lead_lists_and_exports_hold_only_their_own_people(world):
    client = client_for(world.staff(Role.BOROUGH_LEAD, borough=world.a))
    for url in (
        "/staff/reports/list/?figure=enrolled",
        "/staff/reports/list/export.csv?figure=enrolled",
    ):
        text = body(client.get(url))
        assert "Dee One" in text and "Dee Two" in text
        assert "Dee Three" not in text and "Dee Four" not in text


def test_partnership_lead_never_sees_another_partnership(world):
    client = client_for(world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west))
    text = body(client.get(f"/staff/reports/list/export.csv?figure=enrolled&borough={world.b.pk}"))
    assert "Dee Three" in text and "Dee Four" not in text


def test_officer_lists_only_their_authority_but_looks_up_any_licence(world):
    officer = world.staff(Role.LICENSING_OFFICER, borough=world.a)
    client = client_for(officer)
    found = client.post("/staff/licences/", {"authority": world.c.pk, "number": "licdee-four"})
    assert "Dee Four" in found.content.decode()
    expiring = body(client.get(f"/staff/licences/expiring/?authority={world.a.pk}&days=365"))
    assert "Dee Three" not in expiring  # licensed by B


def test_manager_sees_their_staff_only(world):
    client = client_for(world.staff(Role.ORGANISATION_MANAGER, organisation=world.hotel))
    text = client.get(f"/staff/organisations/{world.hotel.pk}/").content.decode()
    assert "Aitch One" in text and "Dee One" not in text


def test_every_list_look_up_and_export_is_logged(world):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    officer = world.staff(Role.LICENSING_OFFICER, borough=world.a)
    body(client_for(lead).get("/staff/reports/list/export.csv?figure=valid"))
    client_for(lead).get("/staff/reports/list/?figure=valid")
    client_for(officer).post("/staff/licences/", {"authority": world.a.pk, "number": "LICDEEONE"})
    client_for(officer).post(
        "/staff/licences/batch/", {"authority": world.a.pk, "numbers": "LICDEEONE"}
    )
    client_for(officer).get(f"/staff/licences/expiring/?authority={world.a.pk}")
    logged = list(ReportAccess.objects.order_by("at", "pk").values_list("user", "kind", "what"))
    assert logged == [
        (lead.pk, "export", "valid"),
        (lead.pk, "list", "valid"),
        (officer.pk, "licence_lookup", f"licence {world.a.ons_code}"),
        (officer.pk, "batch_check", f"batch check {world.a.ons_code}"),
        (officer.pk, "expiring", "expiring"),
    ]
