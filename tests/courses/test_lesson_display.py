"""What a lesson and the catalogue show: no empty box under pupil lessons, helpline numbers
that can be called, and role names as they are written."""

import pytest

from courses.models import LessonPage

from ..people.factories import (
    DriverAudienceFactory,
    HotelAudienceFactory,
    LearnerProfileFactory,
)
from .factories import course_build, publish

pytestmark = pytest.mark.django_db

STEPS_WITH_NUMBERS = {
    "type": "steps",
    "value": {
        "heading": "What to do",
        "steps": ["If a child is in danger right now, call 999.", "Childline is 0800 1111."],
    },
}


def test_pupil_lessons_have_no_empty_panel_for_anyone(client):
    staff = HotelAudienceFactory(slug="school-staff", name="Teacher or school staff")
    course = course_build(audience=staff, slug="pupils", for_pupils=True, issues_certificate=False)
    lesson = course.lessons[0]
    assert "lesson-finish" not in client.get(lesson.url).content.decode()
    client.force_login(LearnerProfileFactory(audience=staff, onboarded=True).user)
    assert "lesson-finish" not in client.get(lesson.url).content.decode()


def test_staff_lessons_keep_their_progress_panel(client):
    course = course_build(audience=DriverAudienceFactory(), slug="taxi")
    assert "lesson-finish" in client.get(course.lessons[0].url).content.decode()


def test_helpline_numbers_in_plain_text_blocks_can_be_called(client):
    course = course_build(audience=DriverAudienceFactory(), slug="taxi")
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    lesson.body = [STEPS_WITH_NUMBERS]
    publish(lesson)
    html = client.get(lesson.url).content.decode()
    assert 'call <a href="tel:999">999</a>.</li>' in html
    assert 'Childline is <a href="tel:08001111">0800 1111</a>.</li>' in html


def test_every_helpline_number_in_the_lessons_can_be_called(client, site_content):
    for lesson in LessonPage.objects.live().specific():
        html = client.get(lesson.url).content.decode()
        body = html.split('<div class="lesson-body">', 1)[1].split('<nav class="pager"', 1)[0]
        for number, tel in (("0800 1111", "08001111"), ("0800 555 111", "0800555111")):
            assert body.count(number) == body.count(f'href="tel:{tel}">{number}</a>'), (
                lesson.title,
                number,
            )


def test_role_names_keep_their_capitals(client):
    hotel = HotelAudienceFactory(name="Hotel or B&B staff")
    course = course_build(audience=hotel, slug="hotel")
    client.force_login(LearnerProfileFactory(audience=hotel, onboarded=True).user)
    catalogue = client.get("/courses/", {"audience": hotel.slug}).content.decode()
    assert "Showing the courses for your role: Hotel or B&amp;B staff." in catalogue

    client.force_login(LearnerProfileFactory(audience=DriverAudienceFactory(), onboarded=True).user)
    lesson = client.get(course.lessons[0].url).content.decode()
    assert "This course is for one role: Hotel or B&amp;B staff." in lesson
