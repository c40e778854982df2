"""The dashboard's schools section: lessons delivered and pupils reached, within the
viewer's boroughs, small numbers hidden across a partnership; a school's manager sees that
school's deliveries and nobody else's."""

from datetime import date

import pytest
from django.utils import timezone

from courses.classroom.models import LessonDelivery
from training_site.people.models import Organisation
from training_site.people.roles import Role
from training_site.reports.schools import Term

from ..people.factories import OrganisationFactory
from .conftest import client_for

pytestmark = pytest.mark.django_db


def deliver(school, *, title="Healthy relationships", size=28, answered=20, on=None):
    return LessonDelivery.objects.create(
        school=school,
        borough=school.borough,
        lesson_title=title,
        year_group="8",
        class_size=size,
        answered_count=answered,
        delivered_on=on or timezone.localdate(),
    )


@pytest.fixture
def schools(world):
    in_a = OrganisationFactory(name="Aldwick High", kind=Organisation.Kind.SCHOOL, borough=world.a)
    in_b = OrganisationFactory(
        name="Brayton Academy", kind=Organisation.Kind.SCHOOL, borough=world.b
    )
    in_c = OrganisationFactory(
        name="Cresswell School", kind=Organisation.Kind.SCHOOL, borough=world.c
    )
    for _ in range(6):
        deliver(in_a, size=30)
    deliver(in_a, title="Online pressure", size=25)
    deliver(in_b, size=27)
    deliver(in_c, title="Cresswell only lesson", size=31)
    return in_a, in_b, in_c


def schools_section(response) -> str:
    body = response.content.decode()
    return body[body.index("Schools: pupil lessons delivered") : body.index("Certificates now")]


def test_a_borough_lead_sees_their_boroughs_deliveries_exactly(world, schools):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    section = schools_section(client_for(lead).get("/staff/reports/"))
    assert "7 lessons, 205 pupils reached" in section
    assert "Aldwick High" in section and "Online pressure" in section
    assert "Brayton" not in section and "Cresswell" not in section


def test_a_partnership_lead_sees_every_member_borough_with_small_numbers_hidden(world, schools):
    lead = world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west)
    section = schools_section(client_for(lead).get("/staff/reports/"))
    assert "8 lessons, 232 pupils reached" in section
    assert "Brayton Academy" in section and "Cresswell" not in section
    # Brayton's single lesson and the single "Online pressure" lesson are hidden, and so
    # are the figures beside them that the total would give them away from.
    brayton_row = section[section.index("Brayton Academy") :].split("</tr>")[0]
    assert ">1<" not in brayton_row and ">hidden<" in brayton_row
    aldwick_row = section[section.index("Aldwick High") :].split("</tr>")[0]
    assert ">7<" not in aldwick_row and ">hidden<" in aldwick_row
    # Choosing one borough gives exact figures again.
    one = schools_section(client_for(lead).get(f"/staff/reports/?borough={world.b.pk}"))
    assert "1 lesson, 27 pupils reached" in one


def test_deliveries_follow_the_date_filter(world, schools):
    in_a = schools[0]
    deliver(in_a, title="Long ago", on=date(2024, 10, 1))
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.a)
    client = client_for(lead)
    assert "Long ago" in schools_section(client.get("/staff/reports/"))
    recent = client.get(f"/staff/reports/?date_from={timezone.localdate().isoformat()}")
    assert "Long ago" not in schools_section(recent)


def test_a_school_manager_sees_their_schools_deliveries_only(world, schools):
    in_a, in_b, _ = schools
    manager = world.staff(Role.ORGANISATION_MANAGER, organisation=in_a)
    client = client_for(manager)
    page = client.get(f"/staff/organisations/{in_a.pk}/").content.decode()
    assert "Pupil lessons delivered" in page and "Online pressure" in page
    assert client.get(f"/staff/organisations/{in_b.pk}/").status_code == 404
    hotel_manager = world.staff(Role.ORGANISATION_MANAGER, organisation=world.hotel)
    hotel_page = client_for(hotel_manager).get(f"/staff/organisations/{world.hotel.pk}/")
    assert "Pupil lessons delivered" not in hotel_page.content.decode()


@pytest.mark.parametrize(
    "day, term",
    [
        (date(2026, 9, 1), "Autumn 2026"),
        (date(2026, 12, 31), "Autumn 2026"),
        (date(2027, 1, 5), "Spring 2027"),
        (date(2027, 3, 31), "Spring 2027"),
        (date(2027, 4, 1), "Summer 2027"),
        (date(2027, 8, 31), "Summer 2027"),
    ],
)
def test_terms(day, term):
    assert str(Term.of(day)) == term
    assert Term.of(day).previous().previous().previous() == Term.of(day.replace(year=day.year - 1))
