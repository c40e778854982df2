"""Finding a request's site and page with one query, where Wagtail takes five.

Wagtail looks the site up in the database on every request, loads its root page and then its
specific row, and finds the page at the address with two more queries (the address, then the
page's own row); a test's question screen, a routable sub-path, walks the tree at two queries
a level. Here the site of each host and where every page sits (its address, id and type) come
from the shared content cache (content_cache.py), which any change to a site or a page makes
stale, so only the page itself is read: its own row, fresh, so a page unpublished a moment ago
is never shown whatever the cache holds.

The same query says whether any view restriction (a password, sign-in or groups on the
page or above it) could apply, so that Wagtail's check of them, two more queries on every
page, runs only where one could (ViewRestrictionsFromRouting); restrictions themselves are
never cached.

Routing is otherwise Wagtail's: the page found still routes the rest of the address itself
(live check, routable sub-paths), and Wagtail's view serves it with every hook. A routable
page's own sub-paths win over its children's addresses, as in Wagtail's walk.
"""

from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site

from .content_cache import shared_read
from .prepared import PreparedQuery

PAGES_KEY = "routing:pages"
RESTRICTION_POSSIBLE = "view_restriction_possible"


class ViewRestrictionsFromRouting:
    """For page classes: Wagtail's view-restriction check skips its queries when routing
    read that no restriction can apply. A page loaded any other way asks Wagtail as usual."""

    def get_view_restrictions(self):
        if getattr(self, RESTRICTION_POSSIBLE, True):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()


def restriction_possible() -> Exists:
    """Whether a view restriction sits on the page, an ancestor, or the page an ancestor is
    an alias of: a superset of what Wagtail's `get_view_restrictions` finds."""
    return Exists(
        PageViewRestriction.objects.filter(
            Q(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
            | Q(page__aliases__path=Substr(OuterRef("path"), 1, Length("page__aliases__path")))
        )
    )


def site_for_request(request, *, with_pages: bool = False) -> Site | None:
    """The request's site, as Wagtail's `Site.find_for_request` finds it, from the cache;
    kept on the request where Wagtail looks for it, with its root page (base row) loaded.
    `with_pages` reads the page addresses (page_at's) in the same round trip, kept on the
    request too."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        key = f"routing:site:{hostname}:{request.get_port()}"
        builders = {key: lambda: Site._find_for_request(request)}
        if with_pages:
            builders[PAGES_KEY] = pages_by_address
        found = shared_read(builders)
        request._wagtail_site = found[key]
        request._page_addresses = found.get(PAGES_KEY)
    return request._wagtail_site


def pages_by_address() -> dict[str, tuple[int, int]]:
    """Every page's `url_path`, with its id and content type."""
    return {
        url_path: (page_id, content_type_id)
        for url_path, page_id, content_type_id in Page.objects.values_list(
            "url_path", "id", "content_type_id"
        )
    }


def serves_sub_path(model, remaining: list[str]) -> bool:
    if not remaining or not issubclass(model, RoutablePageMixin):
        return False
    try:
        model.get_resolver().resolve("/" + "".join(f"{part}/" for part in remaining))
    except Resolver404:
        return False
    return True


def page_at(
    root: Page, components: list[str], *, pages: dict | None = None
) -> tuple[Page, list[str]]:
    """The page that routes `components` below `root` (the deepest page on the address, or
    a routable page above it whose own sub-path matches first), read in one query, and the
    components it has still to route. `pages`: the addresses, if already read."""
    if pages is None:
        pages = shared_read({PAGES_KEY: pages_by_address})[PAGES_KEY]
    found = None
    for depth in range(len(components) + 1):
        address = root.url_path + "".join(f"{part}/" for part in components[:depth])
        if address not in pages:
            break
        page_id, content_type_id = pages[address]
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            break
        found = (model, page_id, components[depth:])
        if serves_sub_path(model, components[depth:]):
            break
    if found is None:
        raise Http404
    model, page_id, remaining = found
    page = page_query(model).first(page_id=page_id)
    if page is None:  # deleted since the addresses were read
        raise Http404
    return page, remaining


@cache
def page_query(model) -> PreparedQuery:
    """One page of `model`, with RESTRICTION_POSSIBLE: four tables and a subquery, whose SQL
    took Django longer to build on every request than the database took to run it."""
    return PreparedQuery(
        lambda page_id: (
            model.objects.filter(pk=page_id)
            .annotate(**{RESTRICTION_POSSIBLE: restriction_possible()})
            .order_by()
        )  # one row: no sort by path
    )


def route_for_request(request, path: str):
    """What Wagtail's `Page.route_for_request` answers (the page, and the args and kwargs of
    a routable page's view), or None for no page here."""
    site = site_for_request(request, with_pages=True)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        page, remaining = page_at(
            site.root_page, components, pages=getattr(request, "_page_addresses", None)
        )
        return page.route(request, remaining)
    except Http404:
        return None
