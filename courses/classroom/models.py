"""Class sessions: a teacher presents a pupil lesson while pupils answer anonymously.

Nothing here can identify a pupil. A pupil is a random token that lives in one cookie for
one session; their answers carry that token and nothing else (no time, address, browser
or name). Anonymous questions are plain text and are deleted 30 days after the session.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from training_site.people.models import Borough, Organisation

SESSION_HOURS = 3
CLASS_SIZE_MAX = 60
QUESTION_MAX_LENGTH = 300
QUESTION_KEEP_DAYS = 30


class YearGroup(models.TextChoices):
    YEAR_7 = "7", "Year 7"
    YEAR_8 = "8", "Year 8"
    YEAR_9 = "9", "Year 9"
    YEAR_10 = "10", "Year 10"
    YEAR_11 = "11", "Year 11"
    YEAR_12 = "12", "Year 12"
    YEAR_13 = "13", "Year 13"


class ClassSessionQuerySet(models.QuerySet):
    def open(self, now=None):
        """Sessions pupils can join now: not ended, and not past their three hours."""
        now = now or timezone.now()
        return self.filter(ended_at__isnull=True, closes_at__gt=now)

    def due_to_end(self, now=None):
        now = now or timezone.now()
        return self.filter(ended_at__isnull=True, closes_at__lte=now)


class ClassSession(models.Model):
    """One lesson taught to one class. Open for at most three hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_sessions"
    )
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.PROTECT, related_name="class_sessions"
    )
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)
    class_size = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(CLASS_SIZE_MAX)]
    )
    taught_on = models.DateField(default=timezone.localdate)
    join_code = models.CharField(max_length=6)
    started_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # How many joined: a count, not a list, so there is nothing to tell pupils apart.
    joined_count = models.PositiveIntegerField(default=0)

    objects = ClassSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            # A code on the board names one open session; ended sessions free their code.
            models.UniqueConstraint(
                fields=["join_code"],
                condition=models.Q(ended_at__isnull=True),
                name="class_session_open_code_unique",
            )
        ]
        indexes = [models.Index(fields=["teacher", "started_at"], name="class_session_teacher")]

    def __str__(self):
        return f"{self.lesson_id} for year {self.year_group} on {self.taught_on}"

    def save(self, *args, **kwargs):
        if self.closes_at is None:
            self.closes_at = self.started_at + timedelta(hours=SESSION_HOURS)
        super().save(*args, **kwargs)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.closes_at > now


class PupilAnswer(models.Model):
    """One pupil's latest answer to one quick-check question. The token is random and lives
    only in that pupil's cookie for this session: it says nothing about who they are."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="answers")
    pupil_token = models.CharField(max_length=32)
    question = models.ForeignKey("courses.Question", on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey("courses.QuestionOption", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "pupil_token", "question"], name="pupil_answer_once"
            )
        ]

    def __str__(self):
        return f"Answer to {self.question_id} in {self.session_id}"


class AnonymousQuestion(models.Model):
    """A question a pupil left for the teacher, with no name. Deleted 30 days after the
    session by `manage.py retention --apply`."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=QUESTION_MAX_LENGTH)

    def __str__(self):
        return self.text[:40]


class LessonDelivery(models.Model):
    """A lesson taught: what a school and its borough count. Written once, when the session
    ends, and kept when the session's pupil answers and questions are gone."""

    session = models.OneToOneField(
        ClassSession, on_delete=models.SET_NULL, null=True, related_name="delivery"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliveries")
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="deliveries")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    lesson_title = models.CharField(max_length=255)
    year_group = models.CharField(max_length=2, choices=YearGroup.choices)
    class_size = models.PositiveSmallIntegerField()
    answered_count = models.PositiveSmallIntegerField()
    delivered_on = models.DateField()

    class Meta:
        verbose_name_plural = "lesson deliveries"
        indexes = [models.Index(fields=["borough", "delivered_on"], name="delivery_borough_date")]

    def __str__(self):
        return f"{self.lesson_title} at {self.school_id} on {self.delivered_on}"
