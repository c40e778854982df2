"""The taxi course covers what the national standards expect: adults as well as children,
trafficking and modern slavery by name, and plain meanings for the words that stop readers."""

import re

import pytest

from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db
TAXI = "taxi-and-private-hire"
GLOSSARY = "words-used-in-this-course"
HREF = re.compile(r'href="(/[^"]*)"')


@pytest.fixture
def taxi(site_content) -> CoursePage:
    return CoursePage.objects.get(slug=TAXI)


def lesson_text(lesson: LessonPage) -> str:
    return str(list(lesson.body.raw_data))


def lessons(course: CoursePage) -> dict[str, LessonPage]:
    return {lesson.slug: lesson for lesson in LessonPage.objects.live().descendant_of(course)}


def test_a_lesson_names_trafficking_modern_slavery_and_the_helpline(taxi):
    text = lesson_text(lessons(taxi)["adults-at-risk-and-trafficking"]).lower()
    topics = ("adult at risk", "trafficking", "modern slavery", "county lines", "domestic abuse")
    for topic in topics:
        assert topic in text, topic
    assert "08000 121 700" in text
    assert "0808 2000 247" in text


def test_the_missing_situations_are_taught(taxi):
    text = " ".join(lesson_text(lesson) for lesson in lessons(taxi).values())
    for situation in (
        "instead of a fare",  # sex offered as the fare
        "sexual health clinic",  # a clinic trip with an adult who is not a parent
        "run away",  # runaways
        "Refusing a fare safely",  # refusing and recording it
        "the council that licensed that driver",  # cross-border reporting
    ):
        assert situation in text, situation


def test_the_whisper_scenario_says_where_the_girl_stays_and_where_to_drive(taxi):
    body = lessons(taxi)["what-to-do"].body.raw_data
    whisper = next(
        block["value"]["reveal"]
        for block in body
        if block["type"] == "scenario" and block["value"]["title"] == "A whisper at the kerb"
    )
    assert "should not make the girl get out" in whisper
    assert "busy, well-lit public place" in whisper
    assert "999" in whisper


def test_every_lesson_links_to_the_glossary_and_every_link_works(client, taxi):
    by_slug = lessons(taxi)
    glossary = by_slug.pop(GLOSSARY)
    for lesson in by_slug.values():
        assert glossary.url in HREF.findall(lesson_text(lesson)), lesson.slug
    texts = [lesson_text(lesson) for lesson in lessons(taxi).values()] + [taxi.intro]
    links = {href for text in texts for href in HREF.findall(text)}
    for href in links:
        assert client.get(href).status_code == 200, href
