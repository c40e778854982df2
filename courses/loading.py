"""Load the courses in fixtures/content/*.yaml, and set up their review workflow.

Idempotent: a course that already exists (matched by slug) is left as editors have it.
"""

from pathlib import Path

import yaml
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask
from wagtail.models.workflows import GroupApprovalTask

from training_site.home.models import HomePage
from training_site.people.models import Audience, Borough

from .models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    Question,
    QuestionOption,
    QuizPage,
)

REVIEWERS_GROUP = "Safeguarding reviewers"
WORKFLOW_NAME = "Safeguarding review"
COURSE_FIELDS = (
    "summary",
    "intro",
    "estimated_minutes",
    "pass_mark",
    "max_attempts",
    "validity_months",
    "issues_certificate",
    "version_label",
    "for_pupils",
)


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def course_index_get_or_create(*, home: HomePage) -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(
                title="Courses",
                slug=CourseIndexPage.FIXED_SLUG,
                intro="<p>Short courses for the people most likely to notice when a child is "
                "being exploited. Anyone can read the lessons; sign in to save your progress, "
                "take the test and get a certificate.</p>",
            )
        )
        publish(index)
    return index


def lesson_body(blocks: list[dict]) -> list[dict]:
    """YAML blocks are already in StreamField's raw shape: {type, value}."""
    return [{"type": block["type"], "value": block["value"]} for block in blocks]


@transaction.atomic
def course_load(*, data: dict, index: CourseIndexPage) -> CoursePage:
    meta = data["course"]
    existing = CoursePage.objects.child_of(index).filter(slug=meta["slug"]).first()
    if existing is not None:
        return existing
    course = index.add_child(
        instance=CoursePage(
            title=meta["title"],
            slug=meta["slug"],
            audience=Audience.objects.get(slug=meta["audience"]),
            content_note=data.get("content_note", ""),
            **{field: meta[field] for field in COURSE_FIELDS if field in meta},
        )
    )
    required = meta.get("required_by") or []
    boroughs = (
        Borough.objects.all() if required == "all" else Borough.objects.filter(slug__in=required)
    )
    course.required_by.set(boroughs)
    lessons = {}
    for module_data in data["modules"]:
        module = course.add_child(
            instance=ModulePage(
                title=module_data["title"],
                slug=module_data["slug"],
                summary=module_data.get("summary", ""),
            )
        )
        publish(module)
        for lesson_data in module_data["lessons"]:
            lesson = module.add_child(
                instance=LessonPage(
                    title=lesson_data["title"],
                    slug=lesson_data["slug"],
                    summary=lesson_data.get("summary", ""),
                    minutes=lesson_data.get("minutes", 7),
                    body=lesson_body(lesson_data["body"]),
                )
            )
            publish(lesson)
            lessons[lesson_data["slug"]] = lesson
            for question in lesson_data.get("quick_check") or []:
                question_load(data=question, course=course, lesson=lesson)
    if data.get("quiz"):
        quiz_load(data=data["quiz"], meta=meta, course=course, lessons=lessons)
    # Last, so that the pages published before it make up its first edition.
    publish(course)
    return course


def quiz_load(*, data: dict, meta: dict, course: CoursePage, lessons: dict) -> QuizPage:
    quiz = course.add_child(
        instance=QuizPage(
            title=data.get("title", "Test"),
            slug="test",
            questions_per_attempt=meta.get("questions_per_attempt", 10),
            layout=data.get("layout", QuizPage.Layout.ONE_PER_SCREEN),
            answers_shown=data.get("answers_shown", QuizPage.AnswersShown.AFTER_PASS),
        )
    )
    publish(quiz)
    for question in data["questions"]:
        question_load(data=question, course=course, lesson=lessons[question["lesson"]])
    return quiz


def question_load(*, data: dict, course: CoursePage, lesson: LessonPage) -> Question:
    question = Question(
        course=course,
        lesson=lesson,
        kind=data["kind"],
        scenario=data.get("scenario", ""),
        prompt=data["prompt"],
    )
    question.options = [
        QuestionOption(
            text=option["text"], is_correct=bool(option.get("correct")), feedback=option["feedback"]
        )
        for option in data["options"]
    ]
    question.save()
    question.save_revision().publish()
    return question


@transaction.atomic
def review_workflow_setup(*, index: CourseIndexPage) -> Workflow:
    """Editors submit course changes; a safeguarding reviewer approves and publishes."""
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="courses",
            codename__in=[
                "add_question",
                "change_question",
                "publish_question",
                "view_question",
                "view_question_statistics",
            ],
        ),
    )
    for permission_type in ("add", "change", "publish"):
        if not GroupPagePermission.objects.filter(
            group=reviewers, page=index, permission__codename=f"{permission_type}_page"
        ).exists():
            GroupPagePermission.objects.create(
                group=reviewers, page=index, permission_type=permission_type
            )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name="Safeguarding reviewer approves")
        task.groups.set([reviewers])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def courses_load(*, directory: Path) -> list[CoursePage]:
    home = HomePage.objects.get()
    index = course_index_get_or_create(home=home)
    courses = []
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            courses.append(course_load(data=yaml.safe_load(handle), index=index))
    review_workflow_setup(index=index)
    return courses
