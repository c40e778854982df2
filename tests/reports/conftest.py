"""A small world whose figures are worked out by hand in the tests.

Partnership West: boroughs A and B. Partnership South: borough C.
- d1: lives in A, licensed by A; taxi course done, passed first time, certificate valid.
- d2: lives in A, licensed by B; taxi course in progress.
- d3: lives in B, licensed by B; passed at the second attempt; certificate expiring in 30 days.
- d4: lives in C, licensed by C; certificate expired.
- d5: lives in A, licensed by A; never started.
- h1: hotel worker at Canal Hotel (in A), lives in C; hotel course passed first time, valid.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certificates.services import CertifiedCourse, certificate_issue
from courses.models import Attempt, CoursePage, Enrolment
from training_site.people.models import Audience, Borough, Organisation, Partnership, User
from training_site.people.roles import Role

from ..courses.factories import course_build, quiz_build
from ..people.factories import (
    BoroughFactory,
    LearnerProfileFactory,
    LicenceFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    role_assign,
)
from ..people.sessions import sign_in_past_two_step
from ..snapshots import snapshot_fixture


@dataclass
class World:
    west: Partnership
    south: Partnership
    a: Borough
    b: Borough
    c: Borough
    hotel: Organisation
    other_hotel: Organisation
    taxi: CoursePage
    hotel_course: CoursePage
    learners: dict[str, User]

    def staff(self, role: Role, **place) -> User:
        user = UserFactory()
        role_assign(user, role, **place)
        return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        sign_in_past_two_step(client, user)
    return client


def attempt(learner, course, quiz, number: int, passed: bool) -> None:
    now = timezone.now()
    Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        course=course,
        number=number,
        expires_at=now + timedelta(hours=1),
        submitted_at=now,
        items=[],
        answer_key={},
        pass_mark=70,
        correct_count=8 if passed else 3,
        score_percent=80 if passed else 30,
        passed=passed,
    )


def certify(learner, course, *, days_ago: int, ref: str = "first") -> None:
    certificate_issue(
        learner=learner,
        course=CertifiedCourse(
            page_id=course.pk, title=course.title, version="1", validity_months=36
        ),
        completion_ref=f"world:{learner.pk}:{course.pk}:{ref}",
        completed_at=timezone.now() - timedelta(days=days_ago),
    )


def world_build() -> dict:
    """The small world, built once per session (tests/snapshots.py); its primary keys."""
    west = PartnershipFactory(name="West", slug="west")
    south = PartnershipFactory(name="South", slug="south")
    a = BoroughFactory(name="Aldwick", partnership=west)
    b = BoroughFactory(name="Brayton", partnership=west)
    c = BoroughFactory(name="Cresswell", partnership=south)
    drivers = Audience.objects.create(
        name="Taxi driver", slug="drivers", membership=Audience.Membership.LICENCE
    )
    hotel_staff = Audience.objects.create(
        name="Hotel staff", slug="hotel", membership=Audience.Membership.ORGANISATION
    )
    hotel = OrganisationFactory(name="Canal Hotel", borough=a)
    other_hotel = OrganisationFactory(name="Harbour Hotel", borough=c)
    taxi = course_build(audience=drivers, slug="taxi", title="Taxi course", modules=1)
    hotel_course = course_build(audience=hotel_staff, slug="hotel", title="Hotel course", modules=1)
    taxi_quiz, hotel_quiz = quiz_build(course=taxi), quiz_build(course=hotel_course)

    def driver(name, home, authority):
        profile = LearnerProfileFactory(
            full_name=name, audience=drivers, home_borough=home, onboarded=True
        )
        LicenceFactory(
            holder=profile.user, authority=authority, number="LIC" + name.upper().replace(" ", "")
        )
        return profile.user

    d1, d2 = driver("Dee One", a, a), driver("Dee Two", a, b)
    d3, d4 = driver("Dee Three", b, b), driver("Dee Four", c, c)
    d5 = driver("Dee Five", a, a)
    h1 = LearnerProfileFactory(
        full_name="Aitch One",
        audience=hotel_staff,
        home_borough=c,
        organisation=hotel,
        onboarded=True,
    ).user
    done = timezone.now() - timedelta(days=10)
    for learner in (d1, d3, d4):
        Enrolment.objects.create(learner=learner, course=taxi, completed_at=done)
    Enrolment.objects.create(learner=d2, course=taxi)
    Enrolment.objects.create(learner=h1, course=hotel_course, completed_at=done)
    attempt(d1, taxi, taxi_quiz, 1, True)
    attempt(d3, taxi, taxi_quiz, 1, False)
    attempt(d3, taxi, taxi_quiz, 2, True)
    attempt(d4, taxi, taxi_quiz, 1, True)
    attempt(h1, hotel_course, hotel_quiz, 1, True)
    certify(d1, taxi, days_ago=10)
    certify(d3, taxi, days_ago=3 * 365 - 30)
    certify(d4, taxi, days_ago=1200)
    certify(h1, hotel_course, days_ago=10)
    places = {"west": west, "south": south, "a": a, "b": b, "c": c}
    places |= {"hotel": hotel, "other_hotel": other_hotel}
    places |= {"taxi": taxi, "hotel_course": hotel_course}
    learners = {"d1": d1, "d2": d2, "d3": d3, "d4": d4, "d5": d5, "h1": h1}
    return {
        **{name: row.pk for name, row in places.items()},
        "learners": {name: user.pk for name, user in learners.items()},
    }


world_snapshot = snapshot_fixture("world_snapshot", world_build)


@pytest.fixture
def world(world_snapshot) -> World:
    """The small world, fetched afresh for each test from its database snapshot."""
    return World(
        west=Partnership.objects.get(pk=world_snapshot["west"]),
        south=Partnership.objects.get(pk=world_snapshot["south"]),
        a=Borough.objects.get(pk=world_snapshot["a"]),
        b=Borough.objects.get(pk=world_snapshot["b"]),
        c=Borough.objects.get(pk=world_snapshot["c"]),
        hotel=Organisation.objects.get(pk=world_snapshot["hotel"]),
        other_hotel=Organisation.objects.get(pk=world_snapshot["other_hotel"]),
        taxi=CoursePage.objects.get(pk=world_snapshot["taxi"]),
        hotel_course=CoursePage.objects.get(pk=world_snapshot["hotel_course"]),
        learners={name: User.objects.get(pk=pk) for name, pk in world_snapshot["learners"].items()},
    )
