"""A driver works through the taxi course on a phone, leaves, and picks up where they left
off. Every page passes axe-core."""

import pytest

from courses.models import CoursePage, LessonCompletion

from .helpers import kirklees_driver, sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def driver():
    user, _ = kirklees_driver(lessons_done=False)
    return user


def test_driver_starts_completes_two_lessons_leaves_and_resumes(browser, live_server, axe, driver):
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    lessons = course.lessons

    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    phone = context.new_page()
    sign_in_with_code(phone, driver.email)
    phone.wait_for_url("**/dashboard/")

    phone.goto("/courses/")
    axe(phone)
    assert phone.get_by_text("Required by Kirklees").is_visible()
    phone.get_by_role("link", name="Taxi and private hire safeguarding").click()
    axe(phone)
    phone.get_by_role("button", name="Start the course").click()

    phone.wait_for_url(f"**{lessons[0].url}")
    axe(phone)
    phone.get_by_text("Show the answer").first.click()  # the reveal works without scripts
    phone.get_by_role("button", name="Mark complete and continue").click()
    phone.wait_for_url(f"**{lessons[1].url}")
    assert phone.get_by_text(f"1 of {len(lessons)} lessons done").is_visible()
    phone.get_by_role("button", name="Mark complete and continue").click()
    phone.wait_for_url(f"**{lessons[2].url}")
    context.close()  # the driver puts the phone away

    assert LessonCompletion.objects.filter(learner=driver).count() == 2

    later = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    phone = later.new_page()
    sign_in_with_code(phone, driver.email)
    phone.wait_for_url("**/dashboard/")
    axe(phone)
    assert phone.get_by_text(f"2 of {len(lessons)} lessons done").is_visible()
    phone.get_by_role("link", name="Taxi and private hire safeguarding").click()
    phone.wait_for_url(f"**{lessons[2].url}")
    assert phone.get_by_role("heading", level=1).inner_text() == lessons[2].title
    assert phone.get_by_text(f"Lesson 3 of {len(lessons)}").is_visible()

    phone.goto(course.url)
    assert phone.get_by_text(f"2 of {len(lessons)} lessons").is_visible()
    phone.get_by_role("button", name=f"Continue: {lessons[2].title}").click()
    phone.wait_for_url(f"**{lessons[2].url}")
    later.close()
