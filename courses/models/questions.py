"""A course's question pool: questions editors draft and reviewers publish."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin
from wagtail.search import index

from ..forms import QuestionForm


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
