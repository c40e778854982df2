"""Where a learner is in a course: lessons done, the next lesson, and whether the test is
passed.

The one read model for course navigation. Pages, services, the quiz and the dashboard ask
it rather than working any of this out again. A course counts only its live lessons, so an
unpublished lesson neither blocks completion nor counts as done. The lessons and the test
come from the course's outline (courses.outline); the learner's progress from the database.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from training_site.home.prepared import PreparedQuery

from .models.progress import Attempt, LessonCompletion

if TYPE_CHECKING:
    from .outline import CourseOutline, LessonEntry


# The lessons a learner has done in a course: asked on every lesson page.
DONE_QUERY = PreparedQuery(
    lambda learner_id, course_id: LessonCompletion.objects.filter(
        learner_id=learner_id, course_id=course_id
    ).values_list("lesson_id")
)


class CourseProgress:
    """One learner's progress through one course. Each fact is read once, when first asked.

    `done_ids` may be handed in when the caller has already read them for many courses at
    once (the dashboard), so nothing is read twice."""

    def __init__(self, *, learner, outline: CourseOutline, done_ids: set[int] | None = None):
        self.learner = learner
        self.outline = outline
        if done_ids is not None:
            self.__dict__["done_ids"] = self._live_only(done_ids)

    @property
    def lessons(self) -> tuple[LessonEntry, ...]:
        return self.outline.lessons

    @cached_property
    def lesson_ids(self) -> list[int]:
        return [lesson.pk for lesson in self.lessons]

    def _live_only(self, ids) -> frozenset[int]:
        return frozenset(ids) & frozenset(self.lesson_ids)

    @cached_property
    def done_ids(self) -> frozenset[int]:
        if not getattr(self.learner, "is_authenticated", False):
            return frozenset()
        rows = DONE_QUERY.rows(learner_id=self.learner.pk, course_id=self.outline.course.pk)
        return self._live_only(lesson_id for (lesson_id,) in rows)

    @property
    def done_count(self) -> int:
        return len(self.done_ids)

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def all_done(self) -> bool:
        return bool(self.lessons) and self.done_count == self.lesson_count

    def is_done(self, lesson) -> bool:
        return lesson.pk in self.done_ids

    @property
    def first_not_done(self) -> LessonEntry | None:
        """The lesson to carry on with; None once every lesson is done."""
        return next((lesson for lesson in self.lessons if lesson.pk not in self.done_ids), None)

    @property
    def next_lesson(self) -> LessonEntry | None:
        """Where "Start" or "Continue" goes: the first lesson not done, or the first lesson
        to look back over once all are done."""
        return self.first_not_done or (self.lessons[0] if self.lessons else None)

    def position(self, lesson) -> int | None:
        """The lesson's place in the course, from 0; None for a lesson not live in it."""
        return self.lesson_ids.index(lesson.pk) if lesson.pk in self.lesson_ids else None

    def lesson_before(self, lesson) -> LessonEntry | None:
        position = self.position(lesson)
        return self.lessons[position - 1] if position else None

    def lesson_after(self, lesson) -> LessonEntry | None:
        position = self.position(lesson)
        if position is None or position + 1 >= len(self.lessons):
            return None
        return self.lessons[position + 1]

    @cached_property
    def test_passed(self) -> bool:
        """Whether the learner has passed the course's live test. A course without one
        counts as passed: there is nothing more to do."""
        quiz = self.outline.quiz
        if quiz is None:
            return True
        if not getattr(self.learner, "is_authenticated", False):
            return False
        return Attempt.objects.filter(learner=self.learner, quiz_id=quiz.pk, passed=True).exists()
