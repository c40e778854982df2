"""Create the home page, the help page and information pages from fixtures/pages.yaml.

Idempotent: a page that already exists (matched by slug) is left as editors have it.
"""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HelpPage, HomePage, StandardPage


def pathway_value(row: dict, home: HomePage) -> dict:
    page = None
    if row.get("page"):
        page = home.get_children().filter(slug=row["page"]).first()
    return {
        "title": row["title"],
        "description": row.get("description", ""),
        "page": page,
        "path": row.get("path", ""),
    }


@transaction.atomic
def site_pages_load(*, data: dict) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        home = home_page_create(data["home"])
    for row in data.get("pages", []):
        if not home.get_children().filter(slug=row["slug"]).exists():
            home.add_child(
                instance=StandardPage(
                    title=row["title"],
                    slug=row["slug"],
                    summary=row.get("summary", ""),
                    body=row["body"],
                )
            )
    if not HelpPage.objects.exists():
        help_data = data["help"]
        home.add_child(
            instance=HelpPage(
                title=help_data["title"],
                slug=HelpPage.FIXED_SLUG,
                intro=help_data["intro"],
                body=help_data.get("body", ""),
            )
        )
    if not home.pathways:
        home.pathways = [("pathway", pathway_value(row, home)) for row in data["home"]["pathways"]]
        home.save_revision().publish()
    return home


def home_page_create(data: dict) -> HomePage:
    """Replace Wagtail's welcome page with our home page and point the default site at it."""
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title=data["title"], slug="home-page", heading=data["heading"], intro=data["intro"]
        )
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Spot the Signs"
        site.save()
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    return home
