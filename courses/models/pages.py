"""Course pages: a course, its modules, its lessons and its test (the catalogue is in
catalogue.py).

Pages route and display, the way Wagtail's form pages do: reads come from
courses.selectors and courses.navigation, writes go through courses.services and
courses.attempts. Those modules never import the page classes, so the pages sit on top.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from training_site.home.content_cache import shared_read
from training_site.home.routing import ViewRestrictionsFromRouting
from training_site.people.models import Audience, Borough

from ..access import take_course_or_refuse
from ..allowance import AttemptAllowance
from ..blocks import LessonBodyBlock
from ..lesson_body import body_fragments, body_key
from ..navigation import CourseProgress
from ..outline import CourseOutline, outline_build, outline_key
from ..quiz_routes import QuizRoutesMixin
from ..selectors import course_outline, lesson_context
from ..services import enrolment_start, progress_record

INTRO_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]
CONTENT_NOTE_FEATURES = ["bold", "ul", "link"]


def months_in_words(months: int) -> str:
    """ "1 year", "3 years", "1 month", "18 months": whole years as years."""
    years, rest = divmod(months, 12)
    if months and not rest:
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


class CourseContent(ViewRestrictionsFromRouting):
    """Course, module, lesson and test pages: publishing any of them makes a new edition of
    the course they are in.

    Counted where every way of publishing meets: the save that makes a new revision live.
    Wagtail's page editor publishes without calling `Page.publish`, and its
    `after_publish_page` hook misses workflow approval, bulk and scheduled publishing and
    the content loader.

    Each also reads its course's outline (courses.outline) from the cache."""

    # How many levels of the page tree below its course a page of this kind sits.
    levels_below_course = 0

    def save(self, *args, **kwargs):
        going_live = self.goes_live(kwargs.get("update_fields"))
        saved = super().save(*args, **kwargs)
        if going_live:
            # A course's own first publication is its first edition, and so is any page
            # published in it before then.
            CoursePage.objects.ancestor_of(self, inclusive=True).filter(
                first_published_at__lt=self.last_published_at
            ).update(published_edition=F("published_edition") + 1)
        return saved

    def goes_live(self, update_fields) -> bool:
        """Whether this save makes a revision live that was not live before."""
        if self.pk is None or not self.live or self.live_revision_id is None:
            return False
        if update_fields is not None and "live_revision" not in update_fields:
            return False
        return not Page.objects.filter(pk=self.pk, live_revision_id=self.live_revision_id).exists()

    @property
    def outline(self) -> CourseOutline:
        """The course's live modules, lessons and test, as every learner sees them: from the
        cache, once per page object."""
        if "_outline" not in self.__dict__:
            self.shared_with_outline({})
        return self._outline

    def shared_with_outline(self, builders: dict) -> dict:
        """What `builders` build (home.content_cache.shared_read), read in the same
        round trip to the cache as the outline."""
        key = outline_key(self.course_path)
        found = shared_read({key: self.outline_read, **builders})
        self._outline = found.pop(key)
        return found

    @property
    def course_path(self) -> str:
        return self.path[: len(self.path) - self.levels_below_course * self.steplen]

    def outline_read(self) -> CourseOutline:
        """The outline from the database. The course is read afresh, never taken from this
        page: a preview's draft must not become what every learner sees."""
        return CoursePage.objects.get(path=self.course_path).outline_from_pages()


class CoursePage(CourseContent, Page):
    """A course for one audience: its modules, pass mark, attempts and certificate rules."""

    audience = models.ForeignKey(
        Audience,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text="Who takes this course. For pupil lessons: the staff who teach them.",
    )
    for_pupils = models.BooleanField(
        "teacher-led pupil lessons",
        default=False,
        help_text="Taught in class to pupils, who have no accounts: no test, no certificate.",
    )
    summary = models.CharField(max_length=300, help_text="One or two sentences for the catalogue.")
    intro = RichTextField(features=INTRO_FEATURES, blank=True)
    content_note = RichTextField(
        features=CONTENT_NOTE_FEATURES,
        blank=True,
        help_text="Shown before the course starts: that the topic may be upsetting, and where "
        "learners can get support.",
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)", default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        "attempts allowed", default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    validity_months = models.PositiveSmallIntegerField(
        "certificate valid for (months)",
        default=36,
        validators=[MaxValueValidator(120)],
        help_text="0 means the certificate does not expire.",
    )
    issues_certificate = models.BooleanField(default=True)
    version_label = models.CharField(
        max_length=20,
        default="1",
        help_text="Your name for this version, such as 2026.1. Certificates print it with the "
        "edition, which goes up by one each time the course or any page in it is published: "
        '"Version 2026.1, edition 3".',
    )
    published_edition = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one each time the live course or any page in it is published.",
    )
    required_by = ParentalManyToManyField(
        Borough,
        blank=True,
        related_name="required_courses",
        help_text="Councils that require this course (for example for a licence).",
    )

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.QuizPage"]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("content_note"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("for_pupils"), FieldPanel("required_by")],
            heading="Who it is for",
        ),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
                FieldRowPanel(
                    [
                        FieldPanel("issues_certificate"),
                        FieldPanel("validity_months"),
                        FieldPanel("version_label"),
                    ]
                ),
            ],
            heading="Test and certificate",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    # A copy is a new course, so its editions start again.
    exclude_fields_in_copy = ["published_edition"]

    class Meta:
        verbose_name = "course"

    def clean(self):
        super().clean()
        if self.for_pupils and self.issues_certificate:
            raise ValidationError(
                {
                    "issues_certificate": "Pupil lessons never give certificates: pupils have no "
                    "accounts."
                }
            )

    @cached_property
    def lessons(self) -> list["LessonPage"]:
        """Live lessons in the order a learner meets them."""
        return list(
            LessonPage.objects.live()
            .descendant_of(self)
            .order_by("path")
            .only("id", "title", "slug", "url_path", "path", "depth", "minutes")
        )

    @property
    def validity_text(self) -> str:
        """How long its certificates last, in words: "1 year", "3 years", "18 months"."""
        return months_in_words(self.validity_months)

    @property
    def version(self) -> str:
        """What certificates keep and print after "Version": "2026.1, edition 3"."""
        return f"{self.version_label}, edition {self.published_edition}"

    def with_content_json(self, content):
        # The edition belongs to the course, not to a revision: publishing or reverting to
        # an older revision must not wind it back.
        course = super().with_content_json(content)
        course.published_edition = self.published_edition
        return course

    @cached_property
    def quiz(self) -> "QuizPage | None":
        return QuizPage.objects.child_of(self).live().first()

    def outline_from_pages(self) -> CourseOutline:
        return outline_build(
            course=self,
            modules=ModulePage.objects.child_of(self).live().order_by("path"),
            lessons=self.lessons,
            quiz=self.quiz,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(course_outline(course=self, outline=self.outline, user=request.user))
        return context

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            return self.start(request)
        return super().serve(request, *args, **kwargs)

    def start(self, request):
        """ "Start" or "Continue": enrol (once) and go to the first lesson not yet done."""
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        take_course_or_refuse(request.user, self)
        enrolment_start(learner=request.user, course=self)
        lesson = CourseProgress(learner=request.user, outline=self.outline).next_lesson
        if lesson is None:
            raise Http404("This course has no lessons yet.")
        return redirect(lesson.url)


class ModulePage(CourseContent, Page):
    """A part of a course (about 20 minutes), holding its lessons."""

    summary = models.CharField(max_length=300, blank=True)

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    content_panels = [*Page.content_panels, FieldPanel("summary")]
    levels_below_course = 1

    class Meta:
        verbose_name = "module"

    def serve(self, request, *args, **kwargs):
        # A module has no page of its own: the course page lists its lessons.
        return redirect(self.get_parent().url + f"#module-{self.pk}")


class LessonPage(CourseContent, Page):
    summary = models.CharField(max_length=300, blank=True)
    minutes = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    body = StreamField(LessonBodyBlock())

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("minutes"),
        FieldPanel("body"),
    ]
    levels_below_course = 2
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "lesson"

    @cached_property
    def course(self) -> CoursePage:
        return (
            CoursePage.objects.ancestor_of(self)
            .select_related("audience")
            .only(
                "id",
                "title",
                "url_path",
                "path",
                "depth",
                "audience",
                "for_pupils",
                "issues_certificate",
                "content_note",
                "audience__name",
                "audience__slug",
                # What a certificate keeps, when finishing the lessons completes the course.
                "version_label",
                "published_edition",
                "validity_months",
            )
            .get()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # First: it reads the outline too, in the same round trip to the cache.
        context["body_fragments"] = self.body_fragments(request)
        context.update(lesson_context(lesson=self, outline=self.outline, user=request.user))
        return context

    def body_fragments(self, request) -> tuple[str | None, ...]:
        """The body's blocks rendered for every learner (courses.lesson_body); a preview's
        draft is rendered afresh and never kept."""
        if getattr(request, "is_preview", False):
            return body_fragments(self.body)
        key = body_key(lesson_id=self.pk, revision_id=self.live_revision_id)
        return self.shared_with_outline({key: lambda: body_fragments(self.body)})[key]

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            return self.mark_complete(request)
        return super().serve(request, *args, **kwargs)

    def mark_complete(self, request):
        """ "Mark complete and continue": record it (once, whatever the taps) and move on."""
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        take_course_or_refuse(request.user, self.course)
        progress_record(learner=request.user, lesson=self)
        progress = CourseProgress(learner=request.user, outline=self.outline)
        following = progress.lesson_after(self)
        if following is not None:
            return redirect(following.url)
        if not progress.all_done:
            missed = progress.first_not_done
            messages.info(request, f"One more lesson to finish first: {missed.title}.")
            return redirect(missed.url)
        quiz = self.outline.quiz
        if quiz is not None and not progress.test_passed:
            messages.success(request, "You have finished every lesson. Now take the test.")
            return redirect(quiz.url)
        messages.success(request, "You have finished every lesson in this course.")
        return redirect(self.outline.course.url)


class QuizPage(CourseContent, QuizRoutesMixin, RoutablePageMixin, Page):
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
    levels_below_course = 1
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
    def course(self) -> CoursePage:
        return CoursePage.objects.parent_of(self).select_related("audience").get()

    def serve_preview(self, request, mode_name):
        """Editors preview the test's start page as a learner who has finished the lessons."""
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
