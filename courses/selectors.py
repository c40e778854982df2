"""Reads for course pages and the learner's dashboard. They return plain data."""

from django.db.models import Count

from certificates.selectors import certificates_of
from training_site.people.models import Audience

from .access import can_see_teacher_notes, can_take_course, learner_profile, why_not_take_course
from .models import (
    Attempt,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizPage,
)

ALL_AUDIENCES = "all"


def done_lesson_ids(*, learner, course: CoursePage) -> set[int]:
    if not getattr(learner, "is_authenticated", False):
        return set()
    return set(
        LessonCompletion.objects.filter(learner=learner, course=course).values_list(
            "lesson_id", flat=True
        )
    )


def next_lesson_for(*, learner, course: CoursePage) -> LessonPage | None:
    """Where to resume: the first lesson not yet done (the first lesson once all are done)."""
    lessons = course.lessons
    done = done_lesson_ids(learner=learner, course=course)
    for lesson in lessons:
        if lesson.pk not in done:
            return lesson
    return lessons[0] if lessons else None


def lesson_after(*, lesson: LessonPage) -> LessonPage | None:
    lessons = lesson.course.lessons
    ids = [item.pk for item in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else len(ids)
    return lessons[position + 1] if position + 1 < len(lessons) else None


def lesson_context(*, lesson: LessonPage, user) -> dict:
    course = lesson.course
    lessons = course.lessons
    ids = [item.pk for item in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else None
    may_record = can_take_course(user, course)
    done = done_lesson_ids(learner=user, course=course) if may_record else set()
    profile = learner_profile(user)
    return {
        "course": course,
        "position": None if position is None else position + 1,
        "lesson_count": len(lessons),
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": (
            lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
        ),
        "can_record_progress": may_record,
        "why_not_record": "" if may_record else why_not_take_course(user, course),
        "is_done": lesson.pk in done,
        "done_count": len(done & set(ids)),
        "show_teacher_notes": can_see_teacher_notes(user, course),
        "learner_borough": profile.home_borough if profile else None,
    }


def course_outline(*, course: CoursePage, user) -> dict:
    """Modules and lessons with the learner's ticks, and where to carry on."""
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    lessons = course.lessons
    may_take = can_take_course(user, course)
    done = done_lesson_ids(learner=user, course=course) if may_take else set()
    by_module = {module.path: [] for module in modules}
    for lesson in lessons:
        by_module.setdefault(lesson.path[: -lesson.steplen], []).append(
            {"page": lesson, "done": lesson.pk in done}
        )
    enrolment = Enrolment.objects.filter(learner=user, course=course).first() if may_take else None
    resume = next((lesson for lesson in lessons if lesson.pk not in done), None)
    quiz = QuizPage.objects.child_of(course).live().first()
    return {
        "modules": [
            {"page": module, "lessons": by_module.get(module.path, [])} for module in modules
        ],
        "lesson_count": len(lessons),
        "done_count": len(done),
        "can_take": may_take,
        "why_not_take": "" if may_take else why_not_take_course(user, course),
        "enrolment": enrolment,
        "resume_lesson": resume,
        "first_lesson": lessons[0] if lessons else None,
        "show_teacher_notes": can_see_teacher_notes(user, course),
        "quiz": quiz,
        "test_passed": may_take
        and quiz is not None
        and Attempt.objects.filter(learner=user, quiz=quiz, passed=True).exists(),
    }


def required_boroughs_for(user) -> set[int]:
    """Councils whose requirements matter to this learner: who licenses them, where they work."""
    profile = learner_profile(user)
    if profile is None:
        return set()
    boroughs = {profile.home_borough_id}
    boroughs.update(user.licences.values_list("authority_id", flat=True))
    return boroughs


def catalogue_for(*, user, index: CourseIndexPage, audience_slug: str) -> dict:
    """The catalogue: a learner sees their own role's courses unless they ask for all."""
    profile = learner_profile(user)
    audiences = list(Audience.objects.filter(is_active=True, courses__live=True).distinct())
    chosen = next((a for a in audiences if a.slug == audience_slug), None)
    if chosen is None and audience_slug != ALL_AUDIENCES and profile is not None:
        chosen = next((a for a in audiences if a.pk == profile.audience_id), None)
    courses = (
        CoursePage.objects.live()
        .child_of(index)
        .select_related("audience")
        .prefetch_related("required_by")
        .order_by("path")
    )
    if chosen is not None:
        courses = courses.filter(audience=chosen)
    mine = required_boroughs_for(user)
    progress = {}
    if profile is not None:
        progress = {
            row["course_id"]: row
            for row in Enrolment.objects.filter(learner=user).values("course_id", "completed_at")
        }
    entries = []
    for course in courses:
        required_here = [b.name for b in course.required_by.all() if b.pk in mine]
        entries.append(
            {
                "page": course,
                "required_here": required_here,
                "enrolled": course.pk in progress,
                "completed": bool(progress.get(course.pk, {}).get("completed_at")),
            }
        )
    return {
        "courses": entries,
        "audiences": audiences,
        "chosen_audience": chosen,
        "profile": profile,
        "all_audiences": ALL_AUDIENCES,
    }


def lessons_matching(*, user, query: str, limit: int) -> list[dict]:
    """Published lessons matching the words, from the courses for this learner's role (or
    every course, for visitors who have not said who they are)."""
    if not query:
        return []
    profile = learner_profile(user)
    courses = CoursePage.objects.live()
    if profile is not None:
        courses = courses.filter(audience_id=profile.audience_id)
    course_by_path = {course.path: course for course in courses.only("id", "title", "path")}
    if not course_by_path:
        return []
    # Every course sits at the same depth, so a lesson's course is a prefix of its path.
    course_path_length = len(next(iter(course_by_path)))
    results = []
    for lesson in LessonPage.objects.live().search(query)[: limit * 3]:
        course = course_by_path.get(lesson.path[:course_path_length])
        if course is not None:
            results.append({"page": lesson, "course": course})
        if len(results) == limit:
            break
    return results


def dashboard_for(*, learner) -> dict:
    """The learner's courses in progress and completed, with how far they have got."""
    enrolments = list(
        Enrolment.objects.filter(learner=learner).select_related("course").order_by("-started_at")
    )
    done_by_course = dict(
        LessonCompletion.objects.filter(learner=learner)
        .values("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    in_progress, completed = [], []
    for enrolment in enrolments:
        course = enrolment.course
        entry = {
            "course": course,
            "enrolment": enrolment,
            "done": done_by_course.get(course.pk, 0),
            "total": len(course.lessons),
            "resume": next_lesson_for(learner=learner, course=course),
        }
        (completed if enrolment.completed_at else in_progress).append(entry)
    return {
        "in_progress": in_progress,
        "completed": completed,
        "certificates": certificates_of(learner),
    }


def answers_visible(*, attempt, quiz, allowance) -> bool:
    """Whether this result may show the right answers, under the test's own rule."""
    shown = quiz.AnswersShown
    if quiz.answers_shown == shown.ALWAYS:
        return True
    if quiz.answers_shown == shown.AFTER_PASS:
        return bool(attempt.passed)
    if quiz.answers_shown == shown.AFTER_LAST:
        return bool(attempt.passed) or allowance.kind in {"used_up", "passed"}
    return False


def attempt_result(*, attempt, quiz, course) -> dict:
    """Score, then per question what was chosen and, where allowed, why; otherwise the
    lessons to read again for the questions missed."""
    from .attempts import allowance_for

    allowance = allowance_for(learner=attempt.learner, quiz=quiz, course=course)
    visible = answers_visible(attempt=attempt, quiz=quiz, allowance=allowance)
    scored = dict(attempt.scored_answers.values_list("number", "is_correct"))
    lesson_ids = {item["lesson_id"] for item in attempt.items if item["lesson_id"]}
    lessons = {lesson.pk: lesson for lesson in LessonPage.objects.live().filter(pk__in=lesson_ids)}
    questions, revisit = [], {}
    for item in attempt.items:
        number = item["number"]
        key = attempt.answer_key[str(number)]
        chosen = set(attempt.answers.get(str(number), []))
        correct = scored.get(number, False)
        if not correct and item["lesson_id"] in lessons:
            revisit[item["lesson_id"]] = lessons[item["lesson_id"]]
        questions.append(
            {
                "number": number,
                "scenario": item["scenario"],
                "prompt": item["prompt"],
                "correct": correct,
                "options": [
                    {
                        "text": option["text"],
                        "chosen": option["key"] in chosen,
                        "is_right": option["key"] in key["correct"],
                        "feedback": key["feedback"][option["key"]],
                    }
                    for option in item["options"]
                ],
            }
        )
    return {
        "course": course,
        "attempt": attempt,
        "answers_visible": visible,
        "questions": questions,
        "revisit": list(revisit.values()),
        "allowance": allowance,
    }


def question_statistics(*, course) -> list[dict]:
    """For each question in a course's pool: how often it was shown and answered right, and
    how often each answer was chosen, to spot questions that mislead or give themselves away."""
    from .models import AttemptAnswer, Question

    questions = list(
        Question.objects.filter(course=course).select_related("lesson").prefetch_related("options")
    )
    shown: dict[int, int] = {}
    right: dict[int, int] = {}
    chosen: dict[int, int] = {}
    for question_id, is_correct, option_ids in AttemptAnswer.objects.filter(
        question__course=course
    ).values_list("question_id", "is_correct", "chosen_option_ids"):
        shown[question_id] = shown.get(question_id, 0) + 1
        right[question_id] = right.get(question_id, 0) + int(is_correct)
        for option_id in option_ids:
            chosen[option_id] = chosen.get(option_id, 0) + 1
    rows = []
    for question in questions:
        times = shown.get(question.pk, 0)
        rows.append(
            {
                "question": question,
                "shown": times,
                "right": right.get(question.pk, 0),
                "right_percent": round(100 * right.get(question.pk, 0) / times) if times else None,
                "options": [
                    {
                        "option": option,
                        "chosen": chosen.get(option.pk, 0),
                        "chosen_percent": round(100 * chosen.get(option.pk, 0) / times)
                        if times
                        else None,
                    }
                    for option in question.options.all()
                ],
            }
        )
    rows.sort(key=lambda row: (row["right_percent"] is None, row["right_percent"] or 0))
    return rows
