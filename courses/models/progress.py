"""What a learner has done: enrolments and lesson completions."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
