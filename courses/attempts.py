"""Writes for tests: starting, saving and submitting attempts.

Every function is keyword-only and safe when requests race: an attempt is started under
a lock on the learner's enrolment and submitted under a lock on the attempt, so a double
tap, a second tab or a replayed POST finds the work already done.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.utils import timezone

from training_site.people.models import User

from .allowance import Refusal, allowance_for, open_attempt
from .models.progress import Attempt, AttemptAnswer, Enrolment
from .models.questions import Question
from .scoring import KeyedQuestion, answers_validate, score
from .services import enrolment_start, pass_complete

if TYPE_CHECKING:
    from .models.pages import CoursePage, QuizPage

OPTION_KEYS = string.ascii_lowercase
_shuffler = random.SystemRandom()
Item = TypeVar("Item")


class QuizUnavailable(Exception):
    """The learner may not start or submit now; `message` says why in plain words and
    `kind` says which rule applied."""

    def __init__(self, message: str, *, kind: Refusal, until: datetime | None = None):
        self.message = message
        self.kind = kind
        self.until = until
        super().__init__(message)


def stratified_draw(
    *,
    items: Iterable[Item],
    stratum_of: Callable[[Item], Hashable],
    count: int,
    rng: random.Random,
) -> list[Item]:
    """`count` items drawn at random so that every stratum is covered where the pool allows.

    Each stratum gets one item before any gets a second, and so on, so shares differ by at
    most one except where a stratum runs out; when there are more strata than places, a
    random subset of them gets one each. Items are chosen at random within each stratum and
    come back in random order."""
    strata: dict[Hashable, list[Item]] = {}
    for item in items:
        strata.setdefault(stratum_of(item), []).append(item)
    shares = stratum_shares(sizes=[len(pool) for pool in strata.values()], count=count, rng=rng)
    drawn = [
        item
        for pool, share in zip(strata.values(), shares, strict=True)
        for item in rng.sample(pool, share)
    ]
    rng.shuffle(drawn)
    return drawn


def stratum_shares(*, sizes: Sequence[int], count: int, rng: random.Random) -> list[int]:
    """How many items to take from strata of these sizes: a round at a time, one from each
    stratum with items left, the last, partial round going to strata chosen at random."""
    shares = [0] * len(sizes)
    left = min(count, sum(sizes))
    while left > 0:
        open_strata = [index for index, size in enumerate(sizes) if shares[index] < size]
        for index in rng.sample(open_strata, min(left, len(open_strata))):
            shares[index] += 1
            left -= 1
    return shares


def questions_draw(*, course: CoursePage, count: int) -> list[Question]:
    """A draw from the course's live pool that tests every lesson where the pool allows,
    random within each lesson, from a secure random source. Questions whose lesson was
    deleted count as a lesson of their own."""
    pool = list(Question.objects.filter(course=course, live=True).prefetch_related("options"))
    if not pool:
        raise QuizUnavailable(
            "This test has no questions yet. Please try again later.", kind=Refusal.EMPTY
        )
    return stratified_draw(
        items=pool, stratum_of=lambda question: question.lesson_id, count=count, rng=_shuffler
    )


def attempt_content(questions: list[Question]) -> tuple[list[dict], dict]:
    """What the learner sees (items) and the server's key, with options shuffled and given
    per-attempt letters so the page holds no database ids and no hint of the answer."""
    items, key = [], {}
    for number, question in enumerate(questions, start=1):
        options = list(question.options.all())
        _shuffler.shuffle(options)
        lettered = list(zip(OPTION_KEYS, options, strict=False))
        items.append(
            {
                "number": number,
                "question_id": question.pk,
                "revision_id": question.live_revision_id,
                "lesson_id": question.lesson_id,
                "kind": question.kind,
                "scenario": question.scenario,
                "prompt": question.prompt,
                "options": [{"key": letter, "text": option.text} for letter, option in lettered],
            }
        )
        key[str(number)] = {
            "correct": [letter for letter, option in lettered if option.is_correct],
            "option_ids": {letter: option.pk for letter, option in lettered},
            "feedback": {letter: option.feedback for letter, option in lettered},
        }
    return items, key


def attempt_start(*, learner: User, quiz: QuizPage, course: CoursePage) -> Attempt:
    """Start an attempt, or return the one already open (another tab, a double tap)."""
    enrolment_start(learner=learner, course=course)
    with transaction.atomic():
        # One learner's starts queue here, so two tabs cannot both pass the limit check.
        Enrolment.objects.select_for_update().get(learner=learner, course=course)
        now = timezone.now()
        existing = open_attempt(learner=learner, quiz=quiz, now=now)
        if existing is not None:
            return existing
        allowance = allowance_for(learner=learner, quiz=quiz, course=course, now=now)
        if not allowance.can_start:
            raise QuizUnavailable(allowance.reason, kind=allowance.kind, until=allowance.next_at)
        items, key = attempt_content(
            questions_draw(course=course, count=quiz.questions_per_attempt)
        )
        number = Attempt.objects.filter(learner=learner, quiz=quiz).count() + 1
        return Attempt.objects.create(
            learner=learner,
            quiz=quiz,
            course=course,
            number=number,
            expires_at=now + timedelta(minutes=quiz.time_limit_minutes),
            items=items,
            answer_key=key,
            pass_mark=quiz.effective_pass_mark(course),
        )


def keyed_questions(attempt: Attempt) -> list[KeyedQuestion]:
    return [
        KeyedQuestion(
            number=item["number"],
            kind=item["kind"],
            option_keys=frozenset(option["key"] for option in item["options"]),
            correct_keys=frozenset(attempt.answer_key[str(item["number"])]["correct"]),
        )
        for item in attempt.items
    ]


def attempt_answers_save(*, attempt_id, learner: User, answers: dict[int, list[str]]) -> Attempt:
    """Keep answers as they are given (one screen at a time), so a dropped connection loses
    nothing. Only answers that fit the attempt are kept."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id, learner=learner)
        if attempt.submitted_at is not None:
            return attempt
        if attempt.expires_at <= timezone.now():
            raise QuizUnavailable(expired_message(attempt), kind=Refusal.EXPIRED)
        key = [q for q in keyed_questions(attempt) if q.number in answers]
        cleaned = answers_validate(key, answers)
        attempt.answers = {
            **attempt.answers,
            **{str(number): sorted(chosen) for number, chosen in cleaned.items()},
        }
        attempt.save(update_fields=["answers"])
        return attempt


def expired_message(attempt: Attempt) -> str:
    return (
        f"This attempt ended at {timezone.localtime(attempt.expires_at):%H:%M}, so it can no "
        "longer be submitted. It counts as one of your attempts."
    )


def attempt_submit(
    *, attempt_id, learner: User, answers: dict[int, list[str]] | None = None
) -> Attempt:
    """Score an attempt exactly once. A replay returns the scored attempt unchanged.

    The score is committed before a pass is handed on to course completion, so a failure
    there (logged by pass_complete) loses nothing; a replay hands the pass on again while
    its certificate is still owed."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id, learner=learner)
        if attempt.submitted_at is None:
            attempt_score(attempt=attempt, answers=answers or {})
    if attempt.passed:
        pass_complete(attempt=attempt)
    return attempt


def attempt_score(*, attempt: Attempt, answers: dict[int, list[str]]) -> None:
    """Score and save a locked, unsubmitted attempt with its answer rows."""
    if attempt.expires_at <= timezone.now():
        raise QuizUnavailable(expired_message(attempt), kind=Refusal.EXPIRED)
    given = {int(number): chosen for number, chosen in attempt.answers.items()}
    given.update(answers)
    result = score(keyed_questions(attempt), given, pass_mark=attempt.pass_mark)
    attempt.answers = {str(n): sorted(chosen) for n, chosen in given.items()}
    attempt.submitted_at = timezone.now()
    attempt.correct_count = result.correct
    attempt.score_percent = result.percent
    attempt.passed = result.passed
    attempt.save(
        update_fields=["answers", "submitted_at", "correct_count", "score_percent", "passed"]
    )
    # A question deleted since the attempt began keeps its answer row, unlinked.
    still_there = set(
        Question.objects.filter(pk__in=[item["question_id"] for item in attempt.items]).values_list(
            "pk", flat=True
        )
    )
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(
            attempt=attempt,
            number=item["number"],
            question_id=item["question_id"] if item["question_id"] in still_there else None,
            question_revision_id=item["revision_id"],
            chosen_option_ids=[
                attempt.answer_key[str(item["number"])]["option_ids"][letter]
                for letter in sorted(given[item["number"]])
            ],
            is_correct=result.results[item["number"]],
        )
        for item in attempt.items
    )
