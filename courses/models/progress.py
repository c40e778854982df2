"""What a learner has done: enrolments, lesson completions and test attempts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from certificates.models import Certificate


class Enrolment(models.Model):
    """A learner taking a course; completed once every lesson is done and the test passed."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    # A default rather than auto_now_add, so imported or synthetic history keeps its dates.
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="enrolment_once_per_course")
        ]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrolment_course_done")]

    def __str__(self):
        return f"{self.learner} on {self.course_id}"


class LessonCompletion(models.Model):
    """One learner finished one lesson. Recorded once, however many times they press the button."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="completions"
    )
    # Kept with the row so a course's progress is one indexed lookup, not a tree walk.
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="lesson_completed_once")
        ]
        indexes = [
            models.Index(fields=["learner", "course"], name="completion_learner_course"),
            models.Index(fields=["course", "completed_at"], name="completion_course_time"),
        ]

    def __str__(self):
        return f"{self.learner} finished {self.lesson_id}"


class AttemptQuerySet(models.QuerySet):
    def awaiting_certificate(self) -> "AttemptQuerySet":
        """Passes on courses that issue certificates whose certificate was never issued
        (issuing failed), to be handed on again. A pass is covered by any certificate of
        the same course issued to the learner since the attempt began: its own, or one
        for a later completion (a refresher), which an older pass must not supersede.
        Since it began rather than ended, as history loaded in bulk dates a certificate
        inside its attempt."""
        covered = Certificate.objects.filter(
            learner=OuterRef("learner"),
            course_page=OuterRef("course"),
            issued_at__gte=OuterRef("started_at"),
        )
        return self.filter(passed=True, course__issues_certificate=True).exclude(Exists(covered))


class Attempt(models.Model):
    """One go at a test: what was shown, in what order, what was chosen, and the score.

    `items` is what the learner saw; `answer_key` is the server's alone and is never sent
    to the browser before the attempt is scored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey("courses.QuizPage", on_delete=models.CASCADE, related_name="attempts")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    items = models.JSONField()
    answer_key = models.JSONField()
    answers = models.JSONField(default=dict)
    pass_mark = models.PositiveSmallIntegerField()
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz", "number"], name="attempt_number_once"
            )
        ]
        indexes = [
            models.Index(fields=["learner", "quiz", "started_at"], name="attempt_learner_quiz"),
            models.Index(fields=["course", "passed"], name="attempt_course_passed"),
            # "Passed at first attempt" on the dashboards.
            models.Index(
                fields=["learner", "course"],
                condition=models.Q(number=1, passed=True),
                name="attempt_first_passed",
            ),
        ]

    def __str__(self):
        return f"Attempt {self.number} by {self.learner_id}"

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def completion_ref(self) -> str:
        """What a pass hands to certificate issuing: one pass, one certificate."""
        return f"attempt:{self.pk}"


class AttemptAnswer(models.Model):
    """A scored answer, one row per question, for question statistics."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="scored_answers")
    number = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        "courses.Question", on_delete=models.SET_NULL, null=True, related_name="answers"
    )
    question_revision_id = models.PositiveIntegerField(null=True)
    chosen_option_ids = models.JSONField()
    is_correct = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "number"], name="attempt_answer_once")
        ]

    def __str__(self):
        return f"Question {self.number} of attempt {self.attempt_id}"
