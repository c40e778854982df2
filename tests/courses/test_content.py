"""The four demo courses, loaded as quickstart loads them: complete, real and reviewed."""

import re

import pytest
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Workflow

from courses.models import CoursePage, LessonPage, ModulePage
from training_site.people.roles import Role

from ..people.factories import UserFactory, role_assign

pytestmark = pytest.mark.django_db
MIN_WORDS = 300


@pytest.fixture
def content(site_content):
    """The real content, loaded once per session (tests/snapshots.py)."""


def words(value) -> int:
    if isinstance(value, str):
        return len(re.sub(r"<[^>]+>", " ", value).split())
    if isinstance(value, list | tuple):
        return sum(words(item) for item in value)
    if isinstance(value, dict):
        return sum(words(item) for key, item in value.items() if key != "for_young_people")
    return 0


def test_four_courses_with_enough_real_lessons(content):
    courses = {course.slug: course for course in CoursePage.objects.live()}
    assert set(courses) == {
        "taxi-and-private-hire",
        "hotel-and-bnb",
        "teachers-and-school-staff",
        "pupil-lessons",
    }
    taxi = courses["taxi-and-private-hire"]
    assert taxi.get_children().type(ModulePage).count() == 3
    assert (taxi.pass_mark, taxi.max_attempts, taxi.validity_months) == (70, 3, 36)
    assert courses["pupil-lessons"].for_pupils
    assert not courses["pupil-lessons"].issues_certificate
    assert LessonPage.objects.live().count() >= 20


def test_every_lesson_is_long_enough_and_ends_with_who_to_call(content):
    for lesson in LessonPage.objects.live():
        raw = list(lesson.body.raw_data)
        assert words([block["value"] for block in raw]) >= MIN_WORDS, lesson.title
        assert len({block["type"] for block in raw}) >= 4, lesson.title
        assert raw[-1]["type"] == "who_to_call", lesson.title


def test_content_follows_the_voice_rules(content):
    banned = ["child prostitute", "consenting", "putting themselves at risk", "girls being conned"]
    for lesson in LessonPage.objects.live():
        text = str(list(lesson.body.raw_data)).lower()
        for phrase in banned:
            assert phrase not in text, (lesson.title, phrase)


def test_every_lesson_renders_its_real_content(client, content):
    for lesson in LessonPage.objects.live():
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.url
        assert escape(lesson.title) in response.content.decode()


def test_loading_twice_changes_no_course(content):
    before = list(LessonPage.objects.values_list("pk", "latest_revision_id"))
    call_command("load_content", verbosity=0)
    assert list(LessonPage.objects.values_list("pk", "latest_revision_id")) == before


def test_editor_submits_and_a_safeguarding_reviewer_approves(content):
    workflow = Workflow.objects.get(name="Safeguarding review")
    lesson = LessonPage.objects.live().first()
    assert lesson.get_workflow() == workflow

    editor = UserFactory()
    role_assign(editor, Role.EDITOR)
    assert not lesson.permissions_for_user(editor).can_publish()
    assert lesson.permissions_for_user(editor).can_edit()

    reviewer = UserFactory()
    reviewer.groups.add(workflow.workflow_tasks.get().task.specific.groups.get())
    lesson.summary = "A clearer summary."
    revision = lesson.save_revision(user=editor)
    state = workflow.start(lesson, editor)
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(lesson, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    lesson.refresh_from_db()
    assert lesson.live_revision_id == revision.pk
    assert lesson.summary == "A clearer summary."
