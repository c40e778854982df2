"""Query budgets for the pages learners open most (timings live in tests/benchmarks)."""

import pytest

from courses.models import CoursePage
from training_site.people.models import Audience, Borough

from ..people.factories import LearnerProfileFactory, LicenceFactory

pytestmark = pytest.mark.django_db
# Every budget here includes one query asking whether a session without two-step sign-in
# belongs to staff, asked afresh on every request (people/middleware.py).
LESSON_PAGE_MAX_QUERIES = 13


@pytest.fixture
def driver(client, site_content):
    kirklees = Borough.objects.get(slug="kirklees")
    profile = LearnerProfileFactory(
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=kirklees,
        onboarded=True,
    )
    LicenceFactory(holder=profile.user, authority=kirklees)
    client.force_login(profile.user)
    return profile.user


def test_lesson_page_for_a_signed_in_learner(client, driver, django_assert_max_num_queries):
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    lessons = course.lessons
    client.post(lessons[0].url)
    client.get(lessons[1].url)  # warm Wagtail's per-process caches, as a running site has
    with django_assert_max_num_queries(LESSON_PAGE_MAX_QUERIES):
        response = client.get(lessons[1].url)
    assert response.status_code == 200
    assert b"Mark complete and continue" in response.content


def test_course_page_and_catalogue_stay_small(client, driver, django_assert_max_num_queries):
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    client.get(course.url)
    # One more than the catalogue: the learner's current certificate, for renewal.
    with django_assert_max_num_queries(17):
        assert client.get(course.url).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/courses/").status_code == 200
