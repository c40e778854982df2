"""Tests: a quiz page per course, question pools editors control, and learners' attempts."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from ..forms import QuestionForm
from ..quiz_routes import QuizRoutesMixin
from .pages import INTRO_FEATURES


class QuizPage(QuizRoutesMixin, RoutablePageMixin, Page):
    """A course's test. Its routes (start, answer, submit, results) are in courses.quiz_routes."""

    class Layout(models.TextChoices):
        ONE_PER_SCREEN = "one", "One question per screen"
        ALL_ON_ONE_PAGE = "all", "All questions on one page"

    class AnswersShown(models.TextChoices):
        ALWAYS = "always", "After every attempt"
        AFTER_PASS = "after_pass", "Once the learner has passed"
        AFTER_LAST = "after_last", "Once the learner has passed or has no attempts left"
        NEVER = "never", "Never: learners are told which lessons to revisit"

    intro = RichTextField(features=INTRO_FEATURES, blank=True)
    questions_per_attempt = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Leave blank to use the course's pass mark.",
    )
    max_attempts = models.PositiveSmallIntegerField(
        "attempts allowed",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Leave blank to use the course's attempts.",
    )
    attempt_period_days = models.PositiveSmallIntegerField(
        "attempts renew after (days)",
        default=30,
        validators=[MaxValueValidator(3650)],
        help_text="Attempts are counted over this many days. 0 means they never renew.",
    )
    cooldown_minutes = models.PositiveSmallIntegerField(
        "wait between attempts (minutes)", default=15, validators=[MaxValueValidator(10080)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        "time to finish an attempt (minutes)",
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    layout = models.CharField(max_length=3, choices=Layout.choices, default=Layout.ONE_PER_SCREEN)
    answers_shown = models.CharField(
        "show correct answers",
        max_length=12,
        choices=AnswersShown.choices,
        default=AnswersShown.AFTER_PASS,
    )

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("questions_per_attempt"), FieldPanel("pass_mark")]),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("attempt_period_days")]),
                FieldRowPanel([FieldPanel("cooldown_minutes"), FieldPanel("time_limit_minutes")]),
                FieldPanel("layout"),
                FieldPanel("answers_shown"),
            ],
            heading="How the test works",
        ),
    ]

    class Meta:
        verbose_name = "test"

    @property
    def course(self):
        from .pages import CoursePage

        return CoursePage.objects.parent_of(self).select_related("audience").get()

    def serve_preview(self, request, mode_name):
        """Editors preview the test's start page as a learner who has finished the lessons."""
        from ..attempts import AttemptAllowance

        course = self.course
        allowed = self.effective_max_attempts(course)
        return self.render(
            request,
            context_overrides={
                "course": course,
                "pass_mark": self.effective_pass_mark(course),
                "allowance": AttemptAllowance(used=0, allowed=allowed, next_at=None, reason=""),
                "lessons_done": True,
                "past_attempts": [],
            },
        )

    def effective_pass_mark(self, course) -> int:
        return self.pass_mark or course.pass_mark

    def effective_max_attempts(self, course) -> int:
        return self.max_attempts or course.max_attempts


class Question(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """One question in a course's pool. Editors draft; publishing makes it live for attempts
    started afterwards. Attempts keep the revision they showed."""

    class Kind(models.TextChoices):
        SINGLE = "single", "One answer"
        MULTIPLE = "multiple", "Several answers"
        TRUE_FALSE = "true_false", "True or false"
        SCENARIO = "scenario", "Scenario (a situation, then one answer)"

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="questions"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="questions",
        help_text="The lesson this question tests: learners who miss it are sent back there.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCENARIO)
    scenario = models.TextField(blank=True, max_length=1500)
    prompt = models.TextField(max_length=500)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")

    base_form_class = QuestionForm
    panels = [
        FieldPanel("course"),
        FieldPanel("lesson"),
        FieldPanel("kind"),
        FieldPanel("scenario"),
        FieldPanel("prompt"),
        InlinePanel("options", label="Answers", min_num=2, max_num=6),
    ]
    search_fields = [
        index.SearchField("prompt"),
        index.SearchField("scenario"),
        index.AutocompleteField("prompt"),
        index.FilterField("course"),
    ]

    class Meta:
        ordering = ["course", "lesson", "pk"]
        permissions = [("view_question_statistics", "Can see how questions are answered")]

    def __str__(self):
        return self.prompt[:80]

    @property
    def revisions(self):
        return self._revisions


class QuestionOption(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField("correct", default=False)
    feedback = models.TextField(
        max_length=600, help_text="Why this answer is right or wrong. Learners see it after."
    )

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """One go at a test: what was shown, in what order, what was chosen, and the score.

    `items` is what the learner saw; `answer_key` is the server's alone and is never sent
    to the browser before the attempt is scored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
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


class AttemptAnswer(models.Model):
    """A scored answer, one row per question, for question statistics."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="scored_answers")
    number = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, related_name="answers"
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
