"""The database down: every page is a polite 503 with Retry-After, never an error page, and
the site answers again as soon as the database does, without a restart."""

import psycopg
import pytest
from django.db import OperationalError
from wagtail.models import Site

from tests.people.factories import UserFactory

PAGES = ("/", "/courses/", "/verify/", "/verify/ABCD-EFGH/", "/accounts/login/", "/nowhere/")


def assert_polite_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-cache" in response["Cache-Control"]
    assert "back in a minute" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_every_page_answers_503_while_the_database_is_down(client, database_down):
    for url in PAGES:
        assert_polite_503(client.get(url))
    assert_polite_503(client.post("/verify/", {"code": "ABCD-EFGH"}))


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_visitor_gets_the_503_too_and_the_site_recovers(client, database_down):
    database_down.end()
    client.force_login(UserFactory())
    assert client.get("/accounts/login/", follow=True).status_code == 200
    database_down.start()
    assert_polite_503(client.get("/dashboard/"))
    database_down.end()
    assert client.get("/dashboard/", follow=True).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error", [OperationalError("server closed the connection"), psycopg.OperationalError("gone")]
)
def test_a_database_lost_in_the_middle_of_a_page_answers_503(
    client, site_content, monkeypatch, error
):
    def lost(request):
        raise error

    # The site for the host is the page's first read from the database (home/routing.py).
    monkeypatch.setattr(Site, "_find_for_request", staticmethod(lost))
    assert_polite_503(client.get("/"))
    monkeypatch.undo()
    assert client.get("/").status_code == 200
