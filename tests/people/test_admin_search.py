"""Searching any listing in the Wagtail admin answers, whatever is typed, as an editor and as
a superuser, on SQLite and PostgreSQL. Every snippet search used to fail on SQLite ("no such
column: name"), and a quote or a NUL in a query could end the full-text query early.

The listings come from Wagtail's viewset registry, so a viewset added later is covered."""

import re

import pytest
from django.urls import get_resolver, reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.search.backends import get_search_backend
from wagtail.search.index import class_is_indexed

from courses.models import Question
from training_site.people.models import Borough, Organisation, Partnership, RoleAssignment
from training_site.reports.models import ReportAccess

from .factories import OrganisationFactory, UserFactory, account, role_assign
from .sessions import sign_in_past_two_step

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '"Kirklees',
    'Kirk"lees',
    "*",
    "Kirk*",
    "-",
    "-Kirklees",
    "^",
    "^Kirklees",
    "\x00",
    "Kirk\x00lees",
    "'",
    "\\",
    "%",
    "%s",
    "(",
    ")",
    "{name}: x",
    "name:Kirklees",
    "NOT",
    "Kirklees OR",
    "AND NOT",
    "NEAR(a b)",
    "a & b | !c",
    "<->",
    "²",
    "\u202e",
    "x" * 500,
]


def admin_listings():
    """(viewset, URL) of every listing that takes a search in the admin."""
    get_resolver().url_patterns  # noqa: B018 - Wagtail registers its viewsets as URLs load
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ModelViewSet):
            yield pytest.param(viewset, viewset.menu_url, id=viewset.url_namespace)
        elif isinstance(viewset, ChooserViewSet):
            url = reverse(viewset.get_url_name("choose_results"))
            yield pytest.param(viewset, url, id=viewset.url_namespace)


LISTINGS = list(admin_listings())


def test_every_listing_of_ours_is_covered():
    covered = {getattr(param.values[0], "model", None) for param in LISTINGS}
    ours = {Partnership, Borough, Organisation, RoleAssignment, Question, ReportAccess}
    assert ours <= covered


@pytest.fixture
def rows(site_content):
    """At least one row in each of our listings (site content has places and questions)."""
    kirklees = Borough.objects.get(slug="kirklees")
    OrganisationFactory(name="Kirklees Grand Hotel", borough=kirklees)
    role_assign(
        UserFactory(email="kirklees.officer@example.org"), "licensing_officer", borough=kirklees
    )
    ReportAccess.objects.create(
        user_label="kirklees.lead@example.org", kind="list", what="Kirklees"
    )


def opens(viewset, user) -> bool:
    policy = getattr(viewset, "permission_policy", None)
    if user.is_superuser or not isinstance(policy, BasePermissionPolicy):
        return True
    return policy.user_has_any_permission(user, ["add", "change", "delete", "view"])


@pytest.mark.parametrize("kind", ["editor", "admin"])
@pytest.mark.parametrize(("viewset", "url"), LISTINGS)
def test_no_query_breaks_a_listing(client, rows, kind, viewset, url):
    user = account(kind)
    sign_in_past_two_step(client, user)
    expected = 200 if opens(viewset, user) else None
    for query in ["Kirklees", *HOSTILE]:
        response = client.get(url, {"q": query})
        if expected:
            assert response.status_code == expected, (query, response.status_code)
        else:
            assert response.status_code in (302, 403), (query, response.status_code)


def searchable_listings():
    for param in LISTINGS:
        viewset = param.values[0]
        if isinstance(viewset, ModelViewSet) and viewset.model.__module__.startswith(
            ("training_site.", "courses.", "certificates.")
        ):
            yield param


@pytest.mark.parametrize("kind", ["editor", "admin"])
@pytest.mark.parametrize(("viewset", "url"), list(searchable_listings()))
def test_a_search_finds_what_the_listing_shows(client, rows, kind, viewset, url):
    """Search each of our listings for a word of its first row; the row is among the
    results."""
    user = account(kind)
    if not opens(viewset, user):
        pytest.skip("this listing is not open to this account (see test_admin_scope.py)")
    sign_in_past_two_step(client, user)
    listing = client.get(url)
    assert listing.status_code == 200
    view = listing.context["view"]
    if not view.is_searchable:
        pytest.skip("this listing has no search box")
    first = listing.context["object_list"][0]
    words = search_words(first, view.search_fields or searched_fields(viewset.model))
    # The index matches every word; a database search, the text as typed: search one word.
    query = " ".join(words[:5]) if class_is_indexed(viewset.model) else max(words, key=len)
    found = client.get(url, {"q": query})
    assert found.status_code == 200
    assert first in list(found.context["object_list"]), query


def searched_fields(model) -> list[str]:
    return [field.field_name for field in model.get_autocomplete_search_fields()]


def search_words(instance, fields) -> list[str]:
    """The words of the first of `fields` that has some, on `instance`."""
    for name in fields:
        value = instance
        for part in name.split("__"):
            value = getattr(value, part)
        words = re.findall(r"[^\W_]{3,}", str(value))
        if words:
            return words
    raise AssertionError(f"nothing to search for in {instance!r}")


def test_the_backend_answers_hostile_queries_directly(rows):
    """Other callers of the search backend (the course search) get the same safety."""
    backend = get_search_backend()
    boroughs = Borough.objects.all()
    kirklees = Borough.objects.get(slug="kirklees")
    for search in (backend.search, backend.autocomplete):
        for query in HOSTILE:
            list(search(query, boroughs))
            list(search(query, boroughs, fields=["name"]))
        assert kirklees in list(search("Kirklees", boroughs, fields=["name"]))
        assert kirklees in list(search('"Kirklees"', boroughs, fields=["name", "ons_code"]))
    assert kirklees in list(backend.autocomplete("Kirk", boroughs, fields=["name"]))
    assert kirklees in list(backend.autocomplete(kirklees.ons_code, boroughs))
