"""Writes for class sessions. Keyword-only, each in a transaction, safe when requests race:
a pupil's answer is one upsert, ending a session records its delivery exactly once."""

import re
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from training_site.people.models import Organisation, User

from ..models.pages import LessonPage
from ..models.questions import Question, QuestionOption
from .codes import join_code_generate
from .models import (
    QUESTION_KEEP_DAYS,
    QUESTION_MAX_LENGTH,
    AnonymousQuestion,
    ClassSession,
    LessonDelivery,
    PupilAnswer,
)

CODE_ATTEMPTS = 10
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ClassroomRefusal(Exception):
    """A pupil's or teacher's request that cannot be done, with the reason in plain words."""

    def __init__(self, message: str, *, status: int = 400):
        self.message = message
        self.status = status
        super().__init__(message)


def class_session_start(
    *,
    teacher: User,
    school: Organisation,
    lesson: LessonPage,
    year_group: str,
    class_size: int,
    taught_on,
) -> ClassSession:
    """Open a session with a fresh join code no open session is using."""
    class_sessions_end_due()
    for _ in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return ClassSession.objects.create(
                    teacher=teacher,
                    school=school,
                    lesson=lesson,
                    year_group=year_group,
                    class_size=class_size,
                    taught_on=taught_on,
                    join_code=join_code_generate(),
                )
        except IntegrityError:
            continue  # the code is on another open session's board: draw again
    raise ClassroomRefusal("Could not find a free join code. Please try again.", status=503)


@transaction.atomic
def class_session_end(*, session: ClassSession, now: datetime | None = None) -> LessonDelivery:
    """End a session (the teacher's button, or its three hours running out) and record the
    lesson as delivered. Ending it again returns the same delivery."""
    now = now or timezone.now()
    session = ClassSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        return LessonDelivery.objects.get(session=session)
    session.ended_at = min(now, session.closes_at)
    session.save(update_fields=["ended_at"])
    lesson = session.lesson
    return LessonDelivery.objects.create(
        session=session,
        teacher=session.teacher,
        school=session.school,
        borough_id=session.school.borough_id,
        lesson=lesson,
        lesson_title=lesson.title,
        year_group=session.year_group,
        class_size=session.class_size,
        answered_count=session.answers.values("pupil_token").distinct().count(),
        delivered_on=session.taught_on,
    )


def class_sessions_end_due(*, now: datetime | None = None) -> int:
    """End every session past its three hours, so its code is free and it is counted."""
    due = list(ClassSession.objects.due_to_end(now).select_related("school", "lesson"))
    for session in due:
        class_session_end(session=session, now=now)
    return len(due)


def pupil_join(*, session: ClassSession) -> None:
    """Count a pupil in, once per new token. Nothing about the pupil is kept."""
    ClassSession.objects.filter(pk=session.pk).update(joined_count=F("joined_count") + 1)


def quick_check_option(*, session: ClassSession, question_id: int, option_id: int):
    """The question and option a pupil chose, if both belong to this session's lesson's
    live quick check; otherwise a refusal (a forged or stale form)."""
    question = Question.objects.filter(
        pk=question_id, lesson_id=session.lesson_id, live=True
    ).first()
    if question is None:
        raise ClassroomRefusal("That question is not part of this lesson.")
    option = QuestionOption.objects.filter(pk=option_id, question=question).first()
    if option is None:
        raise ClassroomRefusal("Choose one of the answers shown.")
    return question, option


def pupil_answer_record(
    *, session: ClassSession, pupil_token: str, question_id: int, option_id: int
) -> None:
    """Keep a pupil's latest answer to a question: one row per pupil and question, however
    many times they tap or change their mind (an upsert, so racing taps cannot add rows)."""
    if not session.is_open():
        raise ClassroomRefusal("This class session has ended.", status=410)
    question, option = quick_check_option(
        session=session, question_id=question_id, option_id=option_id
    )
    PupilAnswer.objects.bulk_create(
        [PupilAnswer(session=session, pupil_token=pupil_token, question=question, option=option)],
        update_conflicts=True,
        unique_fields=["session", "pupil_token", "question"],
        update_fields=["option"],
    )


def anonymous_question_clean(text: str) -> str:
    """Plain text on one line or a few: control characters and surplus spaces go. Markup is
    kept as typed and escaped wherever it is shown."""
    text = CONTROL_CHARACTERS.sub("", text or "")
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line).strip()


def anonymous_question_add(*, session: ClassSession, text: str) -> AnonymousQuestion:
    if not session.is_open():
        raise ClassroomRefusal("This class session has ended.", status=410)
    cleaned = anonymous_question_clean(text)
    if not cleaned:
        raise ClassroomRefusal("Write your question first.")
    if len(cleaned) > QUESTION_MAX_LENGTH:
        raise ClassroomRefusal(
            f"Questions can be up to {QUESTION_MAX_LENGTH} characters. Yours has "
            f"{len(cleaned)}: please make it shorter."
        )
    return AnonymousQuestion.objects.create(session=session, text=cleaned)


def classroom_records_purge(*, now: datetime | None = None, apply: bool) -> dict[str, int]:
    """Delete pupils' answers and anonymous questions 30 days after their session ended.
    The lesson delivery (counts only) stays. A dry run counts what would go."""
    now = now or timezone.now()
    if apply:
        # A dry run writes nothing, so it leaves overdue sessions open (and uncounted).
        class_sessions_end_due(now=now)
    cutoff = now - timedelta(days=QUESTION_KEEP_DAYS)
    questions = AnonymousQuestion.objects.filter(session__ended_at__lte=cutoff)
    answers = PupilAnswer.objects.filter(session__ended_at__lte=cutoff)
    counts = {"anonymous questions": questions.count(), "pupil answers": answers.count()}
    if apply:
        with transaction.atomic():
            questions.delete()
            answers.delete()
    return counts
