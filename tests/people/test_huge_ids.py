"""Ids no table could hold, typed into a form or a URL, are refused plainly: never an
overflow in the database and a 500."""

import pytest

from training_site.people.forms import record_id

from .factories import LearnerProfileFactory, UserFactory

HUGE = "99999999999999999999999"


def test_record_id_accepts_only_ids_a_table_could_hold():
    assert record_id("42") == 42
    assert record_id(" 7 ") == 7
    assert record_id(str(2**63 - 1)) == 2**63 - 1
    for bad in (str(2**63), HUGE, "-1", "1.5", "", "١٢"):
        assert record_id(bad) is None


@pytest.mark.django_db
def test_onboarding_with_a_huge_borough_or_role_id_gets_the_form_back(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profile/start/",
        {"full_name": "Zoë Ó Briain", "audience": HUGE, "home_borough": HUGE},
    )
    assert response.status_code == 400
    assert "Choose a role from the list." in response.content.decode()


@pytest.mark.django_db
def test_a_huge_licence_id_in_a_url_is_not_found(client):
    profile = LearnerProfileFactory(onboarded=True)
    client.force_login(profile.user)
    assert client.post(f"/profile/licences/{HUGE}/remove/").status_code == 404
