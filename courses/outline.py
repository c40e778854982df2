"""A course's outline: its live modules, lessons and test, as plain data every learner shares.

Built from the pages the page classes hand in (nothing here names them) and kept in the
cache between publishes (training_site/home/content_cache.py). Navigation
(courses.navigation) reads it and adds the learner's own progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from training_site.people.models import Audience

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .models.pages import CoursePage, LessonPage, ModulePage, QuizPage

# Part of every key: a change to these classes gets new keys, never an old pickle.
FORMAT = "v1"


def outline_key(course_path: str) -> str:
    return f"courses:outline:{FORMAT}:{course_path}"


@dataclass(frozen=True)
class LessonEntry:
    pk: int
    title: str
    url: str
    minutes: int


@dataclass(frozen=True)
class ModuleEntry:
    pk: int
    title: str
    summary: str
    lessons: tuple[LessonEntry, ...]


@dataclass(frozen=True)
class QuizEntry:
    pk: int
    title: str
    url: str
    start_url: str


@dataclass(frozen=True)
class CourseEntry:
    """What lesson and test pages show of their course, and who may take it."""

    pk: int
    title: str
    url: str
    for_pupils: bool
    audience_id: int
    content_note: str

    @cached_property
    def audience(self) -> Audience:
        """Read only when asked (a refusal's wording, a sign-up link): audiences are edited
        in people, which tells courses nothing, so the cache never keeps them."""
        return Audience.objects.get(pk=self.audience_id)


@dataclass(frozen=True)
class CourseOutline:
    course: CourseEntry
    # Live modules in order, each with its live lessons.
    modules: tuple[ModuleEntry, ...]
    # Every live lesson in the order a learner meets them, including any in a module
    # that is not live: they count towards finishing the course all the same.
    lessons: tuple[LessonEntry, ...]
    quiz: QuizEntry | None


def outline_build(
    *,
    course: CoursePage,
    modules: Iterable[ModulePage],
    lessons: Iterable[LessonPage],
    quiz: QuizPage | None,
) -> CourseOutline:
    """The outline of `course` from its live `modules` and `lessons` (in path order) and
    its live `quiz`."""
    entries, by_module = [], {}
    for lesson in lessons:
        entry = LessonEntry(
            pk=lesson.pk, title=lesson.title, url=lesson.url, minutes=lesson.minutes
        )
        entries.append(entry)
        by_module.setdefault(lesson.path[: -lesson.steplen], []).append(entry)
    return CourseOutline(
        course=CourseEntry(
            pk=course.pk,
            title=course.title,
            url=course.url,
            for_pupils=course.for_pupils,
            audience_id=course.audience_id,
            content_note=course.content_note,
        ),
        modules=tuple(
            ModuleEntry(
                pk=module.pk,
                title=module.title,
                summary=module.summary,
                lessons=tuple(by_module.get(module.path, ())),
            )
            for module in modules
        ),
        lessons=tuple(entries),
        quiz=None
        if quiz is None
        else QuizEntry(
            pk=quiz.pk,
            title=quiz.title,
            url=quiz.url,
            start_url=quiz.url + quiz.reverse_subpage("test_start"),
        ),
    )
