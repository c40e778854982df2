"""Reads for class sessions: the screens a lesson is presented in, the teacher's notes
beside them, what a pupil sees, and the class's results. Plain data."""

import random
from dataclasses import dataclass, field

from django.db.models import Count

from ..models.questions import Question
from .models import ClassSession, PupilAnswer

# What the class never sees on the board: these go to the teacher's own view.
TEACHER_ONLY_BLOCKS = {"teacher_note"}
# What a pupil keeps on their phone: the lesson's key points and what to do.
PUPIL_BLOCKS = {"key_point", "steps"}


@dataclass
class Screen:
    """One screen of a presented lesson, and the teacher's notes that go with it."""

    number: int
    block: object
    notes: list[str] = field(default_factory=list)


def lesson_screens(lesson) -> list[Screen]:
    """One screen per pupil-facing block, numbered from 1. Teacher notes attach to the
    screen they come before (or the last screen); a scenario's model answer and a
    discussion's guidance attach to their own screen."""
    screens: list[Screen] = []
    waiting: list[str] = []
    for block in lesson.body:
        if block.block_type in TEACHER_ONLY_BLOCKS:
            waiting.append(block.value["text"])
            continue
        screen = Screen(number=len(screens) + 1, block=block, notes=waiting)
        waiting = []
        if block.block_type == "scenario" and block.value.get("reveal"):
            screen.notes.append("Model answer: " + block.value["reveal"])
        if block.block_type == "discussion" and block.value.get("guidance"):
            screen.notes.append(block.value["guidance"])
        screens.append(screen)
    if waiting and screens:
        screens[-1].notes.extend(waiting)
    return screens


def quick_check(lesson) -> list[Question]:
    """The lesson's live quick-check questions, in the order editors wrote them."""
    return list(
        Question.objects.filter(lesson=lesson, live=True).prefetch_related("options").order_by("pk")
    )


def pupil_view(*, session: ClassSession, pupil_token: str) -> dict:
    """What a pupil sees: the key points, and the quick check with their own answers. Each
    pupil gets the options in their own order, the same on every reload."""
    chosen = dict(
        PupilAnswer.objects.filter(session=session, pupil_token=pupil_token).values_list(
            "question_id", "option_id"
        )
    )
    questions = []
    for number, question in enumerate(quick_check(session.lesson), start=1):
        options = list(question.options.all())
        random.Random(f"{pupil_token}:{question.pk}").shuffle(options)  # noqa: S311 (order only)
        questions.append(
            {
                "number": number,
                "question": question,
                "options": options,
                "chosen": chosen.get(question.pk),
            }
        )
    return {
        "session": session,
        "key_points": [b for b in session.lesson.body if b.block_type in PUPIL_BLOCKS],
        "questions": questions,
        "answered": len(chosen),
    }


def session_results(session: ClassSession) -> dict:
    """The class's answers as counts and percentages per option, never one pupil's."""
    tallies = {
        (row["question_id"], row["option_id"]): row["n"]
        for row in PupilAnswer.objects.filter(session=session)
        .values("question_id", "option_id")
        .annotate(n=Count("id"))
    }
    questions = []
    for number, question in enumerate(quick_check(session.lesson), start=1):
        options = list(question.options.all())
        total = sum(tallies.get((question.pk, option.pk), 0) for option in options)
        questions.append(
            {
                "number": number,
                "prompt": question.prompt,
                "answers": total,
                "options": [
                    {
                        "text": option.text,
                        "is_correct": option.is_correct,
                        "count": tallies.get((question.pk, option.pk), 0),
                        "percent": round(100 * tallies.get((question.pk, option.pk), 0) / total)
                        if total
                        else 0,
                    }
                    for option in options
                ],
            }
        )
    return {
        "joined": session.joined_count,
        "answered": PupilAnswer.objects.filter(session=session)
        .values("pupil_token")
        .distinct()
        .count(),
        "questions": questions,
        "anonymous_questions": list(
            session.questions.order_by("pk").values_list("text", flat=True)
        ),
    }
