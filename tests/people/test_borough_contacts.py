"""Borough contacts come from the council's own website with the page and the date checked;
a borough without both numbers is "contacts not confirmed", and production says so."""

import datetime
import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.db import connection

from certificates.keys import key_generate_pem
from certificates.services import issuer_name_for
from training_site.fixtures import fixture_read
from training_site.people.checks import boroughs_have_confirmed_contacts
from training_site.people.loading import places_load
from training_site.people.models import Audience, Borough
from training_site.people.roles import Role

from .factories import BoroughFactory, UserFactory, role_assign
from .sessions import sign_in_past_two_step

ROOT = Path(__file__).resolve().parents[2]
PLACES = fixture_read("places.yaml")
BOROUGH_ROWS = PLACES["boroughs"]
CHECKED = datetime.date(2026, 12, 1)
backfill = importlib.import_module("training_site.people.migrations.0007_borough_contacts").backfill


def council_domain(row: dict) -> str:
    """The council's own domain, from its website: bradford.gov.uk for www.bradford.gov.uk."""
    return urlsplit(row["website"]).hostname.removeprefix("www.")


def sourced(**values) -> dict:
    """Every contact set, each with a page and the date it was checked there."""
    found = {}
    for name in Borough.SOURCED_CONTACTS:
        found[name] = values.get(name, "01000 000000" if name.endswith("phone") else "")
        found[f"{name}_source"] = "https://www.example.gov.uk/children"
        found[f"{name}_checked"] = CHECKED
    return found


@pytest.mark.parametrize("row", BOROUGH_ROWS, ids=[row["slug"] for row in BOROUGH_ROWS])
def test_every_contact_in_the_fixtures_comes_from_the_councils_own_site_with_a_date(row):
    assert row["website"] and row["website_source"] and row["website_checked"], row["slug"]
    for name in Borough.SOURCED_CONTACTS:
        if not row.get(name):
            continue
        source = row.get(f"{name}_source", "")
        checked = row.get(f"{name}_checked")
        assert isinstance(checked, datetime.date), (row["slug"], name)
        assert checked <= datetime.date.today(), (row["slug"], name)
        if name != "website":
            host = urlsplit(source).hostname or ""
            assert host == council_domain(row) or host.endswith("." + council_domain(row)), (
                row["slug"],
                name,
                source,
            )


@pytest.mark.django_db
def test_every_borough_is_confirmed_or_marked_unconfirmed_and_none_has_a_guessed_number():
    places_load(data=PLACES)
    boroughs = {borough.slug: borough for borough in Borough.objects.all()}
    assert set(boroughs) == {row["slug"] for row in BOROUGH_ROWS}
    for row in BOROUGH_ROWS:
        borough = boroughs[row["slug"]]
        has_both = bool(row.get("social_care_phone") and row.get("out_of_hours_phone"))
        assert borough.contacts_confirmed == has_both, row["slug"]
        if not borough.contacts_confirmed:
            # An unconfirmed borough carries no numbers at all: never one without its page.
            assert not (borough.social_care_phone or borough.out_of_hours_phone), row["slug"]
    confirmed = {slug for slug, borough in boroughs.items() if borough.contacts_confirmed}
    assert confirmed == {
        "bradford",
        "calderdale",
        "cheshire-east",
        "cheshire-west-and-chester",
        "warrington",
    }
    assert boroughs["calderdale"].out_of_hours_phone == "01422 288000"
    assert boroughs["kirklees"].website == "https://www.kirklees.gov.uk/"


@pytest.mark.django_db
def test_night_roles_come_from_the_fixtures():
    places_load(data=PLACES)
    nights = dict(Audience.objects.values_list("slug", "works_nights"))
    assert nights == {"taxi-private-hire": True, "hotel-bnb": True, "school-staff": False}


@pytest.mark.parametrize("missing", ["", "_source", "_checked"])
def test_a_number_without_its_page_or_date_is_not_confirmed(missing):
    values = sourced()
    values[f"out_of_hours_phone{missing}"] = None if missing == "_checked" else ""
    assert Borough(name="Testshire", **sourced()).contacts_confirmed
    assert not Borough(name="Testshire", **values).contacts_confirmed


@pytest.mark.django_db
def test_a_check_dated_in_the_future_is_refused():
    borough = BoroughFactory(**sourced())
    borough.full_clean()
    borough.social_care_phone_checked = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        borough.full_clean()
    assert "social_care_phone_checked" in caught.value.message_dict


@pytest.mark.django_db
def test_the_check_warns_for_an_unconfirmed_borough_and_not_a_confirmed_one(settings):
    settings.PEOPLE_WARN_UNCONFIRMED_CONTACTS = True
    unconfirmed = BoroughFactory(name="Kirklees")
    BoroughFactory(name="Calderdale", **sourced())
    warnings = boroughs_have_confirmed_contacts(None, databases=["default"])
    assert [(warning.id, warning.obj) for warning in warnings] == [("people.W001", unconfirmed)]
    assert "not confirmed" in warnings[0].msg
    # Registered as a database check, so Django runs it with the database checks.
    assert [w.obj for w in run_checks(databases=["default"]) if w.id == "people.W001"] == [
        unconfirmed
    ]


@pytest.mark.django_db
def test_the_check_is_silent_without_a_database_outside_production_and_before_migrate(
    settings, monkeypatch
):
    BoroughFactory(name="Kirklees")
    settings.PEOPLE_WARN_UNCONFIRMED_CONTACTS = False
    assert boroughs_have_confirmed_contacts(None, databases=["default"]) == []
    settings.PEOPLE_WARN_UNCONFIRMED_CONTACTS = True
    # `check --deploy` without --database (CI's command) runs no database check.
    assert boroughs_have_confirmed_contacts(None, databases=None) == []
    assert not [w for w in run_checks(include_deployment_checks=True) if w.id == "people.W001"]
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])
    assert boroughs_have_confirmed_contacts(None, databases=["default"]) == []


def test_production_turns_the_check_on_and_passes_on_an_empty_database(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="training_site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="training.example.gov.uk",
        PUBLIC_BASE_URL="https://training.example.gov.uk",
        CERTIFICATE_SIGNING_KEY=key_generate_pem(),
        RATE_LIMITS_PER_PROCESS="true",
        SQLITE_PATH=str(tmp_path / "empty.sqlite3"),
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    probe = "import django; from django.conf import settings; django.setup(); "
    probe += "print(settings.PEOPLE_WARN_UNCONFIRMED_CONTACTS)"
    assert run("-c", probe).stdout.strip() == "True"
    for database in ([], ["--database", "default"]):
        result = run("manage.py", "check", "--deploy", *database, "--fail-level", "WARNING")
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_migration_marks_night_roles_and_moves_a_home_page_link_to_the_website():
    taxi = Audience.objects.create(name="Drivers", slug="drivers", membership="licence")
    hotel = Audience.objects.create(
        name="Hotels", slug="hotels", membership="organisation", organisation_kind="premises"
    )
    school = Audience.objects.create(
        name="Schools", slug="schools", membership="organisation", organisation_kind="school"
    )
    home_only = BoroughFactory(web_page="https://www.kirklees.gov.uk/")
    report = "https://www.example.gov.uk/report-a-concern"
    with_report_page = BoroughFactory(web_page=report)
    backfill(apps, None)
    for audience, expected in ((taxi, True), (hotel, True), (school, False)):
        audience.refresh_from_db()
        assert audience.works_nights is expected, audience.slug
    home_only.refresh_from_db()
    with_report_page.refresh_from_db()
    assert (home_only.web_page, home_only.website) == ("", "https://www.kirklees.gov.uk/")
    assert (with_report_page.web_page, with_report_page.website) == (report, "")


@pytest.mark.django_db
def test_editors_see_and_keep_each_numbers_page_and_date(client):
    editor = UserFactory()
    role_assign(editor, Role.EDITOR)
    sign_in_past_two_step(client, editor)
    confirmed = BoroughFactory(name="Calderdale", **sourced())
    BoroughFactory(name="Kirklees")
    listing = client.get("/admin/snippets/people/borough/").content.decode()
    assert "Contacts confirmed" in listing
    url = f"/admin/snippets/people/borough/edit/{confirmed.pk}/"
    form = client.get(url).content.decode()
    for name in Borough.SOURCED_CONTACTS:
        assert f'name="{name}_source"' in form
        assert f'name="{name}_checked"' in form
    assert "Never guess a number" in form
    response = client.post(
        url,
        {
            "name": confirmed.name,
            "slug": confirmed.slug,
            "ons_code": confirmed.ons_code,
            "social_care_phone": "01422 393336",
            "social_care_phone_source": "https://safeguarding.calderdale.gov.uk/report-concerns",
            "social_care_phone_checked": "2026-11-30",
            "out_of_hours_phone": "01422 288000",
            "out_of_hours_phone_source": "",
            "out_of_hours_phone_checked": "",
        },
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.social_care_phone_checked == datetime.date(2026, 11, 30)
    assert not confirmed.contacts_confirmed


@pytest.mark.django_db
def test_councils_are_named_as_they_name_themselves():
    places_load(data=PLACES)
    leeds = Borough.objects.get(slug="leeds")
    assert leeds.council == "Leeds City Council"
    assert Borough.objects.get(slug="kirklees").council == "Kirklees Council"
    assert issuer_name_for(leeds) == "Leeds City Council, West Yorkshire safeguarding partnership"


@pytest.mark.django_db
def test_the_migration_names_an_existing_leeds_borough_leeds_city_council():
    leeds = BoroughFactory(name="Leeds", ons_code="E08000035", council_name="")
    name_leeds = importlib.import_module(
        "training_site.people.migrations.0008_council_name"
    ).name_leeds_city_council
    name_leeds(apps, connection.schema_editor())
    leeds.refresh_from_db()
    assert leeds.council == "Leeds City Council"
