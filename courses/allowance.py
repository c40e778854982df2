"""How many attempts at a test a learner has used, and whether (or when) another may start.

Read by the test's pages, by its results and by `attempts` before it starts one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils import timezone

from certificates.selectors import refresher_open
from training_site.people.models import User

from .models.progress import Attempt

if TYPE_CHECKING:
    from .models.pages import CoursePage, QuizPage


class Refusal(StrEnum):
    """Which rule stops a learner starting or submitting an attempt now."""

    PASSED = "passed"
    USED_UP = "used_up"
    COOLDOWN = "cooldown"
    EXPIRED = "expired"
    EMPTY = "empty"


@dataclass(frozen=True)
class AttemptAllowance:
    used: int
    allowed: int
    next_at: datetime | None
    reason: str
    kind: Refusal | None = None
    # For a cooldown: how long until the Start button comes back, so the page can reload.
    wait_seconds: int = 0

    @property
    def can_start(self) -> bool:
        return not self.reason


def minute_rounded_up(moment: datetime) -> datetime:
    """Times are shown to the minute, so a wait ends on the minute it shows: "try again at
    15:52" means from 15:52:00, never 15:51:21 shown as 15:51."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def attempts_in_window(*, learner: User, quiz: QuizPage, now: datetime) -> list[Attempt]:
    attempts = Attempt.objects.filter(learner=learner, quiz=quiz)
    if quiz.attempt_period_days:
        attempts = attempts.filter(started_at__gte=now - timedelta(days=quiz.attempt_period_days))
    return list(attempts.order_by("started_at"))


def allowance_for(
    *, learner: User, quiz: QuizPage, course: CoursePage, now: datetime | None = None
) -> AttemptAllowance:
    """How many attempts are used, and whether (or when) another may start."""
    now = now or timezone.now()
    allowed = quiz.effective_max_attempts(course)
    window = attempts_in_window(learner=learner, quiz=quiz, now=now)
    last_pass = (
        Attempt.objects.filter(learner=learner, quiz=quiz, passed=True)
        .order_by("-submitted_at")
        .first()
    )
    if last_pass is not None:
        if not refresher_open(learner=learner, course_page_id=course.pk):
            return AttemptAllowance(
                len(window), allowed, None, "You have already passed this test.", Refusal.PASSED
            )
        # A refresher: attempts count afresh from the last pass.
        window = [attempt for attempt in window if attempt.started_at > last_pass.submitted_at]
    if len(window) >= allowed:
        used_all = "your one attempt" if allowed == 1 else f"all {allowed} attempts"
        if quiz.attempt_period_days:
            next_at = minute_rounded_up(
                window[0].started_at + timedelta(days=quiz.attempt_period_days)
            )
            reason = (
                f"You have used {used_all}. You can try again from "
                f"{timezone.localtime(next_at):%-d %B %Y at %H:%M}. Read the lessons again first."
            )
        else:
            next_at = None
            reason = (
                f"You have used {used_all}. Contact your council's licensing or "
                "safeguarding team to talk about what to do next."
            )
        return AttemptAllowance(len(window), allowed, next_at, reason, Refusal.USED_UP)
    last_submitted = max((a.submitted_at for a in window if a.submitted_at), default=None)
    if last_submitted and quiz.cooldown_minutes:
        ready_at = minute_rounded_up(last_submitted + timedelta(minutes=quiz.cooldown_minutes))
        if ready_at > now:
            return AttemptAllowance(
                len(window),
                allowed,
                ready_at,
                f"Take a break and look back at the lessons. You can try again at "
                f"{timezone.localtime(ready_at):%H:%M}.",
                Refusal.COOLDOWN,
                wait_seconds=math.ceil((ready_at - now).total_seconds()),
            )
    return AttemptAllowance(len(window), allowed, None, "")


def open_attempt(*, learner: User, quiz: QuizPage, now: datetime) -> Attempt | None:
    return (
        Attempt.objects.filter(
            learner=learner, quiz=quiz, submitted_at__isnull=True, expires_at__gt=now
        )
        .order_by("-started_at")
        .first()
    )
