"""What every learner sees alike is kept in the cache between publishes
(training_site/home/content_cache.py): each kind of change editors make shows on the very
next signed-in request, a preview's draft never becomes what learners see, and the learner's
own part of a lesson is never shared."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses.blocks import PER_LEARNER_BLOCKS, LessonBodyBlock
from courses.models import LessonPage, ModulePage
from training_site.home.content_cache import GENERATION_KEY, content_changed
from training_site.people.models import Borough

from ..people.factories import DriverAudienceFactory, LearnerProfileFactory
from .factories import course_build, publish

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://www.youtube.com/watch?v=cached"


@pytest.fixture
def course():
    return course_build(audience=DriverAudienceFactory(), slug="taxi")


@pytest.fixture
def driver(client, course):
    profile = LearnerProfileFactory(audience=course.audience, onboarded=True)
    client.force_login(profile.user)
    return profile.user


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_lesson_body_shows_on_the_next_request(client, driver, course):
    lesson = LessonPage.objects.get(pk=course.lessons[1].pk)
    assert "Grooming builds trust" in page_text(client, lesson.url)
    lesson.body = [{"type": "rich_text", "value": "<p>Drivers notice first.</p>"}]
    publish(lesson)
    html = page_text(client, lesson.url)
    assert "Drivers notice first." in html
    assert "Grooming builds trust" not in html


def test_a_renamed_lesson_shows_in_the_outline_and_its_neighbours(client, driver, course):
    first, second = course.lessons[:2]
    assert "Lesson 1.2" in page_text(client, course.url)
    assert "Lesson 1.2" in page_text(client, first.url)
    lesson = LessonPage.objects.get(pk=second.pk)
    lesson.title = "Spotting a pattern"
    publish(lesson)
    for html in (page_text(client, course.url), page_text(client, first.url)):
        assert "Spotting a pattern" in html
        assert "Lesson 1.2" not in html


def test_a_new_lesson_and_an_unpublished_one_count_at_once(client, driver, course):
    first = course.lessons[0]
    assert "Lesson 1 of 4" in page_text(client, first.url)
    module = ModulePage.objects.child_of(course).order_by("path").last()
    publish(module.add_child(instance=LessonPage(title="Lesson 2.3", slug="lesson-2-3", body=[])))
    assert "Lesson 1 of 5" in page_text(client, first.url)
    assert "Lesson 2.3" in page_text(client, course.url)
    LessonPage.objects.get(slug="lesson-2-3").unpublish()
    assert "Lesson 1 of 4" in page_text(client, first.url)
    assert "Lesson 2.3" not in page_text(client, course.url)


def test_a_renamed_course_shows_on_its_lessons(client, driver, course):
    lesson = course.lessons[0]
    assert "Course taxi" in page_text(client, lesson.url)
    course.title = "Safeguarding for drivers"
    publish(course)
    html = page_text(client, lesson.url)
    assert "Safeguarding for drivers" in html
    assert "Course taxi" not in html


def test_the_dashboard_follows_the_outline(client, driver, course):
    client.post(course.lessons[0].url)
    assert "1 of 4 lessons done" in page_text(client, "/dashboard/")
    module = ModulePage.objects.child_of(course).order_by("path").first()
    publish(module.add_child(instance=LessonPage(title="Lesson 1.3", slug="lesson-1-3", body=[])))
    assert "1 of 5 lessons done" in page_text(client, "/dashboard/")


def test_a_learners_borough_and_role_show_as_changed_on_the_next_request(client, driver, course):
    """The learner's audience and borough come from the cache (courses.access): a council's
    new number, and a role now marked as night work, show at once."""
    borough = driver.profile.home_borough
    checked = {"source": "https://www.kirklees.gov.uk/", "checked": datetime.date(2026, 12, 1)}
    for field, number in (
        ("social_care_phone", "01484 111111"),
        ("out_of_hours_phone", "01484 222222"),
    ):
        setattr(borough, field, number)
        setattr(borough, f"{field}_source", checked["source"])
        setattr(borough, f"{field}_checked", checked["checked"])
    borough.save()
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    lesson.body = [{"type": "who_to_call", "value": {"heading": "Who to call"}}]
    publish(lesson)
    html = page_text(client, lesson.url)
    assert html.index("01484 111111") < html.index("01484 222222")

    borough.social_care_phone = "01484 333333"
    borough.save()
    html = page_text(client, lesson.url)
    assert "01484 333333" in html
    assert "01484 111111" not in html

    driver.profile.audience.works_nights = True
    driver.profile.audience.save()
    html = page_text(client, lesson.url)
    assert html.index("01484 222222") < html.index("01484 333333")


def test_a_previewed_draft_is_never_what_learners_see(client, driver, course):
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    course.title = "Draft course title"
    course.save_revision()
    lesson.body = [{"type": "rich_text", "value": "<p>Draft words.</p>"}]
    lesson.save_revision()
    # Previews render the drafts, and would fill the cache from them if they could.
    for draft in (course, lesson):
        draft.get_latest_revision_as_object().make_preview_request()
    html = page_text(client, lesson.url)
    assert "Draft words." not in html
    assert "Draft course title" not in html
    assert "Grooming builds trust" in html


def test_what_was_built_before_a_change_commits_is_stale_after_it(
    django_capture_on_commit_callbacks,
):
    """A request may rebuild between a change and its commit, from the rows as they were:
    the generation moves on again at the commit, so what it stored is never used."""
    cache.set(GENERATION_KEY, "before")
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
        during = cache.get(GENERATION_KEY)
        assert during != "before"
    assert cache.get(GENERATION_KEY) not in {"before", during}


def sample_values() -> dict:
    image = Image.objects.create(title="Taxi rank", file=get_test_image_file())
    Embed.objects.create(
        url=VIDEO_URL,
        max_width=640,
        hash=get_embed_hash(VIDEO_URL, 640),
        type="video",
        html="<iframe title='video'></iframe>",
    )
    return {
        "rich_text": "<p>Notice who is with the child.</p>",
        "signs": {"heading": "Signs", "intro": "Watch for", "items": ["Cash"]},
        "scenario": {"title": "Late", "situation": "1am", "question": "Now?", "reveal": "999"},
        "steps": {"heading": "What to do", "steps": ["Note it"]},
        "key_point": {"text": "Tell someone."},
        "image": {"image": image.pk, "alt_text": "A taxi rank", "caption": ""},
        "video": {"video": VIDEO_URL, "transcript": "Words."},
        "who_to_call": {"heading": "Who to call", "for_young_people": False},
        "ground_rules": {"items": ["No names"]},
        "discussion": {"prompt": "Is this fair?", "guidance": "Steer gently."},
        "teacher_note": {"text": "Check with the DSL."},
    }


def test_only_the_blocks_kept_per_learner_read_the_learners_context():
    """Every other block is rendered once and shown to everyone, so it must not change with
    who is reading. A new block type needs a sample here."""
    blocks = LessonBodyBlock().child_blocks
    samples = sample_values()
    assert set(samples) == set(blocks)
    borough = Borough(
        name="Kirklees",
        slug="kirklees",
        social_care_phone="01484 000000",
        social_care_phone_source="https://www.kirklees.gov.uk/",
        social_care_phone_checked=datetime.date(2026, 12, 1),
    )
    reader = {
        "request": RequestFactory().get("/"),
        "learner_borough": borough,
        "learner_works_nights": True,
        "show_teacher_notes": True,
    }
    changes = {
        name
        for name, block in blocks.items()
        if block.render(block.to_python(samples[name]), context={})
        != block.render(block.to_python(samples[name]), context=reader)
    }
    assert changes == PER_LEARNER_BLOCKS
