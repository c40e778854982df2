"""The home page, the "Get help now" page, plain information pages and site settings."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from training_site.people.inputs import slug
from training_site.people.models import Audience, Borough

from .blocks import KeyPointBlock
from .content_cache import content_cache_connect
from .helplines import CEOP_URL, borough_helplines, helplines_for
from .routing import ViewRestrictionsFromRouting, page_at

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class PathwayBlock(blocks.StructBlock):
    """One "I am..." route on the home page: a page, or a site path such as /verify/."""

    title = blocks.CharBlock(max_length=80, help_text='For example "I drive a taxi".')
    description = blocks.CharBlock(max_length=160, required=False)
    page = blocks.PageChooserBlock(required=False)
    path = blocks.RegexBlock(
        regex=r"^/[A-Za-z0-9/_?=&.-]*$",
        required=False,
        help_text="A path on this site, such as /verify/, when the route is not a page.",
        error_messages={"invalid": "Enter a path on this site that starts with /."},
    )

    class Meta:
        icon = "arrow-right"
        template = "blocks/pathway.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("path")):
            raise blocks.StructBlockValidationError(
                block_errors={"path": ValidationError("Choose a page or enter a path, not both.")}
            )
        return value


class HomePage(ViewRestrictionsFromRouting, Page):
    heading = models.CharField(max_length=120)
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    pathways = StreamField([("pathway", PathwayBlock())], blank=True)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("heading"),
        FieldPanel("intro"),
        FieldPanel("pathways"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        """Find the page at an address with one query, not two a level (routing.py): lessons
        sit four levels down. Wagtail's page view routes this way already; this is for any
        other caller of Wagtail's routing."""
        if path_components:
            page, remaining = page_at(self, path_components)
            if page.pk != self.pk:
                return page.route(request, remaining)
        return super().route(request, path_components)


class StandardPage(ViewRestrictionsFromRouting, Page):
    """Plain information: about the service, privacy and how long records are kept."""

    summary = models.CharField(max_length=200, blank=True)
    body = StreamField(
        [
            ("rich_text", blocks.RichTextBlock(features=RICH_TEXT_FEATURES)),
            ("key_point", KeyPointBlock()),
        ]
    )

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]


class HelpPage(ViewRestrictionsFromRouting, Page):
    """Get help now: national numbers, then the contacts for the visitor's own borough."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    body = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    # Every page links to /help/, so the page keeps that address.
    FIXED_SLUG = "help"
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    def clean(self):
        super().clean()
        self.slug = self.FIXED_SLUG

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(help_contacts(request))
        context["boroughs"] = Borough.objects.only("name", "slug")
        return context


def help_contacts(request) -> dict:
    """The borough whose contacts to show: the learner's own, or the one a visitor chose;
    out of hours first for a learner whose role works at night."""
    borough = None
    chosen = slug(request.GET.get("borough"), max_length=120)
    if chosen:
        borough = Borough.objects.filter(slug=chosen).first()
    user = request.user
    if borough is None and user.is_authenticated:
        borough = Borough.objects.filter(learners__user=user).first()
    works_nights = (
        user.is_authenticated
        and Audience.objects.filter(learners__user=user, works_nights=True).exists()
    )
    return {
        "borough": borough,
        "local_lines": borough_helplines(borough, works_nights=works_nights) if borough else (),
        "helplines": helplines_for(young_people=False),
        "ceop_url": CEOP_URL,
    }


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    support_email = models.EmailField(
        blank=True, help_text="Shown in the footer for questions about the service."
    )
    operator_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="Who runs this service, shown in the footer (for example a partnership).",
    )

    panels = [FieldPanel("operator_name"), FieldPanel("support_email")]

    class Meta:
        verbose_name = "site settings"

    # Every page's footer shows these, so they are cached rather than read on each request.
    CACHE_SECONDS = 300

    @staticmethod
    def cache_key(site_id: int) -> str:
        return f"home:site-settings:{site_id}"

    @classmethod
    def cached_for_site_id(cls, site_id: int) -> dict:
        key = cls.cache_key(site_id)
        values = cache.get(key)
        if values is None:
            found = (
                cls.objects.filter(site_id=site_id).values("operator_name", "support_email").first()
            )
            values = found or {"operator_name": "", "support_email": ""}
            cache.set(key, values, cls.CACHE_SECONDS)
        return values

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.cache_key(self.site_id))


# Here rather than in an AppConfig.ready(), which could only import it inside a function:
# every process that can change a page (the site, load_content, the shell) loads this module.
content_cache_connect()
