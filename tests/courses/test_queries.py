"""Query budgets for the pages learners open most (timings live in tests/benchmarks)."""

import pytest

from courses.attempts import attempt_start
from courses.models import CoursePage
from training_site.people.models import Audience, Borough

from ..people.factories import LearnerProfileFactory, LicenceFactory
from .factories import course_build

pytestmark = pytest.mark.django_db
# Every signed-in request pays three before the page's own work: its session (from the
# database here, from Redis in production), the account, and whether a session without
# two-step sign-in belongs to staff (people/middleware.py, asked afresh on every request
# since roles change mid-session). A Wagtail page adds one for routing: the page itself,
# with whether any view restriction could apply (home/routing.py; the site and where pages
# sit come from the cache).
SIGNED_IN = 3
WAGTAIL_ROUTING = 1
# The rest of a lesson is the learner's profile and lessons done: what every learner sees
# alike (the course's outline, the lesson's body) comes from the cache.
LESSON_PAGE_MAX_QUERIES = SIGNED_IN + WAGTAIL_ROUTING + 2


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
    # The learner's profile, lessons done, enrolment, current certificate (for renewal) and
    # whether the test is passed.
    with django_assert_max_num_queries(SIGNED_IN + WAGTAIL_ROUTING + 5):
        assert client.get(course.url).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/courses/").status_code == 200


def test_the_dashboard_costs_the_same_for_any_number_of_courses(
    client, driver, django_assert_max_num_queries
):
    """Outlines come from the cache, so each course adds no query of its own."""
    course_build(audience=driver.profile.audience, slug="refresher")
    for course in CoursePage.objects.live().filter(audience=driver.profile.audience):
        client.post(course.lessons[0].url)
    assert driver.enrolments.count() == 2
    client.get("/dashboard/")
    # The profile, a licence, enrolments, certificates and lessons done. The site for the
    # footer's settings is in the cache, and the staff-area button needs no query: the staff
    # check found no role.
    with django_assert_max_num_queries(SIGNED_IN + 5):
        assert client.get("/dashboard/").status_code == 200


def test_a_question_screen_stays_small(client, driver, django_assert_max_num_queries):
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    for lesson in course.lessons:
        client.post(lesson.url)
    quiz = course.quiz
    url = quiz.attempt_url(attempt_start(learner=driver, quiz=quiz, course=course))
    client.get(url)
    # A test's sub-page is routed by the test page in the same one query; then the learner's
    # profile and the attempt.
    with django_assert_max_num_queries(SIGNED_IN + WAGTAIL_ROUTING + 2):
        assert client.get(url).status_code == 200
