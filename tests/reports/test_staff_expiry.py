"""A manager's staff list flags certificates from 90 days before they expire and once they
have, and sorts by expiry on the server; the manager still sees their own staff only."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment
from training_site.people.models import Audience
from training_site.people.roles import Role
from training_site.reports.selectors import ORGANISATION_COLUMNS, organisation_staff

from ..people.factories import LearnerProfileFactory
from .conftest import certify, client_for


@pytest.fixture
def staff(world):
    """Beside Aitch One (valid for years): Eve, whose certificate ends in 23 days; Ed,
    whose certificate ended 30 days ago; Nat, who has not started. Olga works at the other
    hotel and her certificate ends in 5 days."""
    today = timezone.localdate()
    hotel_staff = Audience.objects.get(slug="hotel")

    def member(name, organisation, valid_until=None):
        user = LearnerProfileFactory(
            full_name=name,
            audience=hotel_staff,
            home_borough=organisation.borough,
            organisation=organisation,
            onboarded=True,
        ).user
        if valid_until:
            Enrolment.objects.create(
                learner=user, course=world.hotel_course, completed_at=timezone.now()
            )
            certify(user, world.hotel_course, days_ago=0)
            Certificate.objects.filter(learner=user).update(valid_until=valid_until)

    member("Eve Expiring", world.hotel, today + timedelta(days=23))
    member("Ed Expired", world.hotel, today - timedelta(days=30))
    member("Nat Notstarted", world.hotel)
    member("Olga Otherhotel", world.other_hotel, today + timedelta(days=5))
    return today


def manager_of(world, organisation):
    return client_for(world.staff(Role.ORGANISATION_MANAGER, organisation=organisation))


def names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=html.index)


def test_rows_carry_each_certificate_status_and_the_days_left(world, staff):
    rows = organisation_staff(organisation_id=world.hotel.pk, today=staff)
    found = {row.full_name: (row.certificate, row.days_left, row.expiring) for row in rows}
    assert found["Eve Expiring"] == ("valid", 23, True)
    assert found["Ed Expired"] == ("expired", None, False)
    assert found["Nat Notstarted"] == ("", None, False)
    status, days_left, expiring = found["Aitch One"]
    assert status == "valid" and days_left > 900 and not expiring
    assert [row.full_name for row in rows] == sorted(found)


def test_sorting_by_expiry_puts_expired_then_soonest_first_and_none_last(world, staff):
    rows = organisation_staff(organisation_id=world.hotel.pk, today=staff, order="expiry")
    assert [row.full_name for row in rows] == [
        "Ed Expired",
        "Eve Expiring",
        "Aitch One",
        "Nat Notstarted",
    ]


def test_manager_sees_expiring_and_expired_flags_by_name(world, staff):
    response = manager_of(world, world.hotel).get(f"/staff/organisations/{world.hotel.pk}/")
    html = response.content.decode()
    assert "Expires in 23 days" in html
    ended = staff - timedelta(days=30)
    assert f"Expired {ended.day} {ended:%b %Y}" in html
    assert '<th scope="col" aria-sort="ascending">Name</th>' in html
    assert 'href="?sort=expiry"' in html
    everyone = ["Aitch One", "Ed Expired", "Eve Expiring", "Nat Notstarted"]
    assert names_in_order(html, everyone) == everyone


def test_manager_sorts_by_expiry_without_javascript(world, staff):
    client = manager_of(world, world.hotel)
    html = client.get(f"/staff/organisations/{world.hotel.pk}/?sort=expiry").content.decode()
    assert '<th scope="col" aria-sort="ascending">Certificate</th>' in html
    assert '<th scope="col" aria-sort="ascending">Name</th>' not in html
    by_expiry = ["Ed Expired", "Eve Expiring", "Aitch One", "Nat Notstarted"]
    assert names_in_order(html, by_expiry) == by_expiry
    # A sort the page never offers is the usual order, not an error.
    odd = client.get(f"/staff/organisations/{world.hotel.pk}/?sort=salary")
    assert odd.status_code == 200
    assert '<th scope="col" aria-sort="ascending">Name</th>' in odd.content.decode()


def test_manager_still_sees_only_their_own_organisation(world, staff):
    client = manager_of(world, world.hotel)
    html = client.get(f"/staff/organisations/{world.hotel.pk}/?sort=expiry").content.decode()
    assert "Olga Otherhotel" not in html and "Dee One" not in html
    assert client.get(f"/staff/organisations/{world.other_hotel.pk}/").status_code == 404
    exported = b"".join(
        client.get(f"/staff/organisations/{world.hotel.pk}/?format=csv&sort=expiry")
    ).decode("utf-8-sig")
    assert "Olga Otherhotel" not in exported


def test_the_csv_gives_status_and_date_in_expiry_order(world, staff):
    response = manager_of(world, world.hotel).get(
        f"/staff/organisations/{world.hotel.pk}/?format=csv&sort=expiry"
    )
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert tuple(rows[0]) == ORGANISATION_COLUMNS
    assert [(row[0], row[6], row[7]) for row in rows[1:3]] == [
        ("Ed Expired", "Expired", (staff - timedelta(days=30)).isoformat()),
        ("Eve Expiring", "Valid", (staff + timedelta(days=23)).isoformat()),
    ]
    assert rows[-1][0] == "Nat Notstarted" and rows[-1][6:] == ["", ""]
