"""Reads for course pages, tests and the learner's dashboard. They return plain data.

Course navigation (lessons done, next lesson, test passed) comes from `navigation`; pages
hand in the pages they list, so nothing here reaches up to the page classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from certificates.links import verify_url
from certificates.selectors import (
    certificate_for_completion,
    current_certificate,
    current_certificates,
)
from training_site.people.models import Audience

from .access import can_see_teacher_notes, can_take_course, learner_profile, why_not_take_course
from .allowance import Refusal, allowance_for
from .cards.links import cards_page_url
from .models.progress import Attempt, AttemptAnswer, Enrolment, LessonCompletion
from .models.questions import Question
from .navigation import CourseProgress
from .stage import RENEWAL_STAGES, Stage, stage_of

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models.pages import CoursePage, LessonPage
    from .outline import CourseOutline

ALL_AUDIENCES = "all"


def lesson_context(*, lesson: LessonPage, outline: CourseOutline, user) -> dict:
    course = outline.course
    progress = CourseProgress(learner=user, outline=outline)
    position = progress.position(lesson)
    may_record = can_take_course(user, course)
    profile = learner_profile(user)
    next_lesson = progress.lesson_after(lesson)
    # Its address as the outline keeps it: asking the page would read the site's paths.
    address = lesson.url if position is None else progress.lessons[position].url
    return {
        "course": course,
        "lesson_url": address,
        "position": None if position is None else position + 1,
        "lesson_count": progress.lesson_count,
        "previous_lesson": progress.lesson_before(lesson),
        "next_lesson": next_lesson,
        # After the last lesson, the way on is the test.
        "test_page": outline.quiz if next_lesson is None and position is not None else None,
        "can_record_progress": may_record,
        "why_not_record": "" if may_record else why_not_take_course(user, course),
        "join_url": "" if profile else join_url(audience=course.audience, back_to=address),
        "is_done": may_record and progress.is_done(lesson),
        "done_count": progress.done_count if may_record else 0,
        "show_teacher_notes": can_see_teacher_notes(user, course),
        "learner_borough": profile.home_borough if profile else None,
        "learner_works_nights": bool(profile and profile.audience.works_nights),
        # The course's last lesson offers its printable card, for the learner's own borough.
        "card_url": (
            card_url_for(learner=user, course=course)
            if next_lesson is None and position is not None and not course.for_pupils
            else ""
        ),
    }


def join_url(*, audience, back_to: str) -> str:
    """Sign up (or finish the profile) for this audience, then come back to `back_to`."""
    onboarding = (
        reverse("people:onboarding") + "?" + urlencode({"audience": audience.slug, "next": back_to})
    )
    return reverse("account_signup") + "?" + urlencode({"next": onboarding})


def course_outline(*, course: CoursePage, outline: CourseOutline, user) -> dict:
    """Modules and lessons with the learner's ticks, and where to carry on."""
    may_take = can_take_course(user, course)
    progress = CourseProgress(learner=user, outline=outline)
    done = progress.done_ids if may_take else frozenset()
    enrolment = Enrolment.objects.filter(learner=user, course=course).first() if may_take else None
    certificate = current_certificate(learner=user, course_page_id=course.pk) if may_take else None
    quiz = outline.quiz
    return {
        "modules": [
            {
                "module": module,
                "lessons": [
                    {"lesson": lesson, "done": lesson.pk in done} for lesson in module.lessons
                ],
            }
            for module in outline.modules
        ],
        "lesson_count": progress.lesson_count,
        "done_count": len(done),
        "can_take": may_take,
        "why_not_take": "" if may_take else why_not_take_course(user, course),
        "enrolment": enrolment,
        "resume_lesson": progress.first_not_done if may_take else None,
        "first_lesson": progress.lessons[0] if progress.lessons else None,
        "show_teacher_notes": can_see_teacher_notes(user, course),
        "quiz": quiz,
        "test_passed": may_take and quiz is not None and progress.test_passed,
        "stage": stage_of(
            progress=progress,
            enrolment=enrolment,
            certificate=certificate,
            today=timezone.localdate(),
        )
        if may_take
        else None,
        "certificate": certificate,
    }


def required_boroughs_for(user) -> set[int]:
    """Councils whose requirements matter to this learner: who licenses them, where they work."""
    profile = learner_profile(user)
    if profile is None:
        return set()
    boroughs = {profile.home_borough_id}
    boroughs.update(user.licences.values_list("authority_id", flat=True))
    return boroughs


def catalogue_for(*, user, courses: QuerySet[CoursePage], audience_slug: str) -> dict:
    """The catalogue of the live `courses`: a learner sees their own role's courses unless
    they ask for all."""
    profile = learner_profile(user)
    own_audience_id = profile.audience_id if profile else None
    # The learner's own role leads, in the filter and in "Everyone".
    audiences = sorted(
        Audience.objects.filter(is_active=True, courses__live=True).distinct(),
        key=lambda audience: audience.pk != own_audience_id,
    )
    chosen = next((a for a in audiences if a.slug == audience_slug), None)
    if chosen is None and audience_slug != ALL_AUDIENCES and profile is not None:
        chosen = next((a for a in audiences if a.pk == profile.audience_id), None)
    courses = courses.select_related("audience").prefetch_related("required_by").order_by("path")
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
    entries.sort(key=lambda entry: entry["page"].audience_id != own_audience_id)
    return {
        "courses": entries,
        "audiences": audiences,
        "chosen_audience": chosen,
        "profile": profile,
        "all_audiences": ALL_AUDIENCES,
    }


def lessons_matching(
    *,
    user,
    query: str,
    limit: int,
    courses: QuerySet[CoursePage],
    lessons: QuerySet[LessonPage],
) -> list[dict]:
    """Live `lessons` matching the words, from the live `courses` for this learner's role
    (or every course, for visitors who have not said who they are)."""
    if not query:
        return []
    profile = learner_profile(user)
    if profile is not None:
        courses = courses.filter(audience_id=profile.audience_id)
    course_by_path = {course.path: course for course in courses.only("id", "title", "path")}
    if not course_by_path:
        return []
    # Every course sits at the same depth, so a lesson's course is a prefix of its path.
    course_path_length = len(next(iter(course_by_path)))
    results = []
    for lesson in lessons.search(query)[: limit * 3]:
        course = course_by_path.get(lesson.path[:course_path_length])
        if course is not None:
            results.append({"page": lesson, "course": course})
        if len(results) == limit:
            break
    return results


def dashboard_for(*, learner) -> dict:
    """The learner's courses by what to do next: renew, carry on, or nothing (completed),
    each with the dates of its current certificate. Certificates granted without an
    enrolment (records brought over from earlier training) count too."""
    enrolments = {
        enrolment.course_id: enrolment
        for enrolment in Enrolment.objects.filter(learner=learner)
        .select_related("course")
        .order_by("-started_at")
    }
    certificates = current_certificates(learner)
    courses = {course_id: enrolment.course for course_id, enrolment in enrolments.items()}
    # specific() gives the course pages without this module naming the page class.
    courses.update(
        (page.pk, page)
        for page in Page.objects.live()
        .filter(pk__in=certificates.keys() - courses.keys())
        .specific()
    )
    done_by_course: dict[int, set[int]] = {}
    for course_id, lesson_id in LessonCompletion.objects.filter(learner=learner).values_list(
        "course_id", "lesson_id"
    ):
        done_by_course.setdefault(course_id, set()).add(lesson_id)
    today = timezone.localdate()
    renew, in_progress, completed = [], [], []
    for course_id, course in courses.items():
        outline = course.outline
        progress = CourseProgress(
            learner=learner, outline=outline, done_ids=done_by_course.get(course_id, set())
        )
        enrolment = enrolments.get(course_id)
        certificate = certificates.get(course_id)
        stage = stage_of(
            progress=progress,
            enrolment=enrolment,
            certificate=certificate,
            today=today,
        )
        entry = {
            "course": course,
            "completed_at": enrolment.completed_at if enrolment else None,
            "certificate": certificate,
            "stage": stage,
            "done": progress.done_count,
            "total": progress.lesson_count,
            "resume": progress.first_not_done,
            "url": outline.course.url,
            "quiz": outline.quiz if stage in RENEWAL_STAGES | {Stage.TEST_DUE} else None,
        }
        if stage in RENEWAL_STAGES:
            renew.append(entry)
        elif stage in {Stage.LEARNING, Stage.TEST_DUE}:
            in_progress.append(entry)
        else:
            completed.append(entry)
    return {"renew": renew, "in_progress": in_progress, "completed": completed}


def answers_visible(*, attempt, quiz, allowance) -> bool:
    """Whether this result may show the right answers, under the test's own rule."""
    shown = quiz.AnswersShown
    if quiz.answers_shown == shown.ALWAYS:
        return True
    if quiz.answers_shown == shown.AFTER_PASS:
        return bool(attempt.passed)
    if quiz.answers_shown == shown.AFTER_LAST:
        return bool(attempt.passed) or allowance.kind in {Refusal.USED_UP, Refusal.PASSED}
    return False


def attempt_result(*, attempt, quiz, course) -> dict:
    """Score, then per question what was chosen and, where allowed, why; otherwise the
    lessons to read again for the questions missed."""
    allowance = allowance_for(learner=attempt.learner, quiz=quiz, course=course)
    visible = answers_visible(attempt=attempt, quiz=quiz, allowance=allowance)
    scored = dict(attempt.scored_answers.values_list("number", "is_correct"))
    lesson_ids = {item["lesson_id"] for item in attempt.items if item["lesson_id"]}
    # Only the title and address are shown, so the plain page will do.
    lessons = {lesson.pk: lesson for lesson in Page.objects.live().filter(pk__in=lesson_ids)}
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
    certificate = certificate_for_completion(attempt.completion_ref) if attempt.passed else None
    return {
        "course": course,
        "attempt": attempt,
        "certificate": certificate,
        "certificate_pending": certificate is None
        and bool(attempt.passed)
        and Attempt.objects.awaiting_certificate().filter(pk=attempt.pk).exists(),
        "verify_link": verify_url(certificate) if certificate else "",
        "card_url": card_url_for(learner=attempt.learner, course=course) if certificate else "",
        "answers_visible": visible,
        "questions": questions,
        "revisit": list(revisit.values()),
        "allowance": allowance,
    }


def card_url_for(*, learner, course) -> str:
    """The course's printable card, for the learner's own borough where they have one."""
    profile = learner_profile(learner)
    return cards_page_url(
        audience_slug=course.audience.slug,
        borough_slug=profile.home_borough.slug if profile else "",
    )


def question_statistics(*, course) -> list[dict]:
    """For each question in a course's pool: how often it was shown and answered right, and
    how often each answer was chosen, to spot questions that mislead or give themselves away."""
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
