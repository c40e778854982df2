"""A course's edition: one more each time the live course or any page in it is published,
however it is published."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import WorkflowState

from courses.loading import review_workflow_setup
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage

from ..people.factories import DriverAudienceFactory, UserFactory
from .factories import course_build, course_index, publish, quiz_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = course_build(audience=DriverAudienceFactory(), slug="taxi", version_label="2026.1")
    quiz_build(course=course)
    return CoursePage.objects.get(pk=course.pk)


def edition(course) -> int:
    return CoursePage.objects.get(pk=course.pk).published_edition


def first_lesson(course) -> LessonPage:
    return LessonPage.objects.get(pk=course.lessons[0].pk)


def test_publishing_an_edited_lesson_moves_the_edition_by_exactly_one(course):
    before = edition(course)
    lesson = first_lesson(course)
    lesson.summary = "Now with a summary."
    publish(lesson)
    assert edition(course) == before + 1
    assert CoursePage.objects.get(pk=course.pk).version == f"2026.1, edition {before + 1}"


def test_a_draft_changes_nothing(course):
    before = edition(course)
    lesson = first_lesson(course)
    lesson.summary = "Draft only."
    lesson.save_revision()
    assert edition(course) == before


def test_the_course_its_modules_and_its_test_each_count_once(course):
    before = edition(course)
    publish(CoursePage.objects.get(pk=course.pk))
    publish(ModulePage.objects.child_of(course).first())
    publish(QuizPage.objects.child_of(course).get())
    assert edition(course) == before + 3


def test_other_courses_keep_their_edition(course):
    other = course_build(audience=course.audience, slug="other")
    before = edition(other)
    publish(first_lesson(course))
    assert edition(other) == before


def test_publishing_from_the_page_editor_counts(course):
    """The editor publishes with the action itself, not through Page.publish."""
    before = edition(course)
    revision = first_lesson(course).save_revision()
    PublishPageRevisionAction(revision).execute(skip_permission_checks=True)
    assert edition(course) == before + 1


def test_a_reviewer_approving_in_the_workflow_counts(course):
    review_workflow_setup(index=CourseIndexPage.objects.get())
    editor, reviewer = UserFactory(), UserFactory(is_superuser=True)
    lesson = first_lesson(course)
    lesson.summary = "Reviewed."
    lesson.save_revision(user=editor)
    state = lesson.get_workflow().start(lesson, editor)
    before = edition(course)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED
    assert edition(course) == before + 1


def test_scheduled_publishing_counts_when_the_page_goes_live_not_before(course):
    before = edition(course)
    lesson = first_lesson(course)
    lesson.go_live_at = timezone.now() + timedelta(days=1)
    revision = lesson.save_revision()
    revision.publish()
    assert edition(course) == before
    # The day comes: the scheduled time is now in the past.
    revision.refresh_from_db()
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    assert edition(course) == before + 1


def test_republishing_the_live_revision_is_no_new_edition(course):
    before = edition(course)
    lesson = first_lesson(course)
    lesson.live_revision.publish()
    assert edition(course) == before


def test_publishing_an_old_revision_of_the_course_does_not_wind_the_edition_back(course):
    old_revision = CoursePage.objects.get(pk=course.pk).live_revision
    publish(CoursePage.objects.get(pk=course.pk))
    publish(first_lesson(course))
    before = edition(course)
    old_revision.publish()
    assert edition(course) == before + 1


def test_a_new_course_is_its_first_edition_however_many_pages_it_is_published_with():
    course = course_index().add_child(
        instance=CoursePage(
            title="New",
            slug="new",
            audience=DriverAudienceFactory(),
            summary="A course.",
            estimated_minutes=20,
            live=False,
        )
    )
    module = publish(course.add_child(instance=ModulePage(title="Module", slug="module")))
    publish(module.add_child(instance=LessonPage(title="Lesson", slug="lesson", body=[])))
    publish(CoursePage.objects.get(pk=course.pk))
    assert edition(course) == 1


def test_a_copy_of_a_course_starts_again(course):
    publish(first_lesson(course))
    copy = CoursePage.objects.get(pk=course.pk).copy(
        update_attrs={"slug": "taxi-copy", "title": "Copy"}, keep_live=False
    )
    assert copy.published_edition == 1


def test_the_loaded_courses_are_each_their_first_edition(site_content):
    assert set(CoursePage.objects.values_list("published_edition", flat=True)) == {1}
    taxi = CoursePage.objects.get(slug="taxi-and-private-hire")
    assert taxi.version == "2026.1, edition 1"


def test_the_course_page_names_the_version(client, course):
    html = client.get(course.url).content.decode()
    assert f"Version 2026.1, edition {edition(course)}</p>" in html
