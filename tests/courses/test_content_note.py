"""Each adult course opens with a note that the topic may be upsetting and where to get
support, shown on the course page before the learner starts and on the first lesson."""

import re

import pytest

from courses.models import CoursePage

from ..people.factories import DriverAudienceFactory, LearnerProfileFactory
from .factories import course_build

pytestmark = pytest.mark.django_db
ADULT_COURSES = ["taxi-and-private-hire", "hotel-and-bnb", "teachers-and-school-staff"]
NOTE = re.compile(
    r'<div class="panel content-note" role="note" aria-labelledby="content-note-heading">\s*'
    r'<h2 id="content-note-heading">Before you start: looking after yourself</h2>(.*?)</div>',
    re.DOTALL,
)
WHO_TO_TALK_TO = {
    "taxi-and-private-hire": "your operator",
    "hotel-and-bnb": "your manager",
    "teachers-and-school-staff": "designated safeguarding lead",
}


def note_in(html: str) -> str:
    found = NOTE.findall(html)
    assert len(found) == 1, "expected one content note"
    return found[0]


@pytest.mark.parametrize("slug", ADULT_COURSES)
def test_each_adult_course_opens_with_a_note_on_support(client, site_content, slug):
    course = CoursePage.objects.get(slug=slug)
    html = client.get(course.url).content.decode()

    note = note_in(html)
    assert "may be upsetting" in note
    assert WHO_TO_TALK_TO[slug] in note
    assert '<a href="tel:08088005000">0808 800 5000</a>' in note  # NSPCC, tap to call
    assert '<a href="tel:116123">116 123</a>' in note  # Samaritans
    # Before the way into the course, so it is read before starting.
    assert html.index("content-note-heading") < html.index("Read the first lesson")


def test_a_learner_sees_the_note_before_the_start_button(client, site_content):
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    learner = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert html.index("content-note-heading") < html.index("Start the course")


def test_the_first_lesson_shows_the_note_and_later_lessons_do_not(client, site_content):
    """A newcomer from the home page goes straight to the first lesson, so it is there too."""
    course = CoursePage.objects.get(slug="hotel-and-bnb")
    first, second = course.lessons[:2]
    assert "manager" in note_in(client.get(first.url).content.decode())
    assert "content-note" not in client.get(second.url).content.decode()


def test_pupil_lessons_have_no_content_note(client, site_content):
    course = CoursePage.objects.get(slug="pupil-lessons")
    assert course.content_note == ""
    assert "content-note" not in client.get(course.url).content.decode()


def test_an_editors_note_is_shown_and_an_empty_one_leaves_no_trace(client):
    course = course_build(audience=DriverAudienceFactory(), slug="noted")
    assert "content-note" not in client.get(course.url).content.decode()
    assert "content-note" not in client.get(course.lessons[0].url).content.decode()

    course.content_note = "<p>Talk to <b>your operator</b> or call 0808 800 5000.</p>"
    course.save_revision().publish()
    html = client.get(course.url).content.decode()
    note = note_in(html)
    assert "<b>your operator</b>" in note
    assert 'href="tel:08088005000"' in note
    assert "content-note" in client.get(course.lessons[0].url).content.decode()
