"""Ids no table could hold, typed into a form or a URL, are refused plainly: never an
overflow in the database and a 500."""

import pytest

from training_site.people.inputs import positive_int

from .factories import LearnerProfileFactory, UserFactory

HUGE = "99999999999999999999999"


def test_positive_int_accepts_only_ids_a_table_could_hold():
    assert positive_int("42") == 42
    assert positive_int(" 7 ") == 7
    assert positive_int(str(2**63 - 1)) == 2**63 - 1
    for bad in (str(2**63), HUGE, "-1", "0", "1.5", "", None, "١٢", "²", "1²", "\x00", "7\x00"):
        assert positive_int(bad) is None
    assert positive_int("12", maximum=10) is None


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
