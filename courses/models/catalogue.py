"""The catalogue page at /courses/: every live course, and search across their lessons."""

from django.http import Http404
from django.shortcuts import redirect
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from training_site.home.routing import ViewRestrictionsFromRouting
from training_site.people.inputs import search_words

from ..access import learner_profile
from ..selectors import catalogue_for, lessons_matching
from .pages import INTRO_FEATURES, CoursePage, LessonPage

MAX_SEARCH_QUERY = 100
MAX_SEARCH_RESULTS = 30


class CourseIndexPage(ViewRestrictionsFromRouting, RoutablePageMixin, Page):
    """The public catalogue at /courses/, and search across the lessons."""

    FIXED_SLUG = "courses"

    intro = RichTextField(features=INTRO_FEATURES, blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = "course catalogue"

    def clean(self):
        super().clean()
        # /courses/ is an address other services link to.
        self.slug = self.FIXED_SLUG

    @path("")
    def catalogue(self, request):
        return self.render(
            request,
            context_overrides=catalogue_for(
                user=request.user,
                courses=CoursePage.objects.live().child_of(self),
                audience_slug=request.GET.get("audience", ""),
            ),
        )

    @path("for/<slug:audience_slug>/", name="for_audience")
    def for_audience(self, request, audience_slug):
        """Where a role card on the home page leads. A newcomer goes straight into the
        course's first lesson, which anyone may read; a learner goes to the course."""
        course = (
            CoursePage.objects.live()
            .child_of(self)
            .filter(audience__slug=audience_slug, audience__is_active=True, for_pupils=False)
            .order_by("path")
            .first()
        )
        if course is None:
            raise Http404("No course for this role.")
        if learner_profile(request.user) is None and course.lessons:
            return redirect(course.lessons[0].url)
        return redirect(course.url)

    @path("search/")
    def search(self, request):
        query = search_words(request.GET.get("q"), limit=MAX_SEARCH_QUERY)
        results = lessons_matching(
            user=request.user,
            query=query,
            limit=MAX_SEARCH_RESULTS,
            courses=CoursePage.objects.live(),
            lessons=LessonPage.objects.live(),
        )
        return self.render(
            request,
            template="courses/search.html",
            context_overrides={"query": query, "results": results},
        )
