"""Public pages for visitors, served from the shared cache.

Anyone can read the catalogue, courses, lessons, home and help pages without signing in, and
most visitors do: a driver opening a lesson from a leaflet, a school looking at the course.
Those pages are the same for every visitor, so the first visit renders and stores the page,
and the rest are answered from the cache before the session, authentication and page
routing ever run.

What is stored, and for whom (`request_may_use` and `response_may_be_stored`):
- only GETs with no query string, from visitors carrying no cookie but the CSRF one: a
  session (signed in, or a pupil in a class) or a messages cookie always gets a fresh page;
- only Wagtail pages (marked by the `before_serve_page` hook in wagtail_hooks.py), answered
  200 with HTML, setting no cookie and carrying no CSRF token, and not marked private or
  uncacheable by the page itself.

Every entry carries the generation it was rendered in. Publishing, unpublishing, moving or
deleting any page, and saving the site's settings, a borough (its contacts), an audience or
a partnership starts a new generation, so every stored page is dropped at once: pages list
each other (the catalogue its courses, a lesson its neighbours, every page the helplines),
and such changes are rare. Entries also expire after PAGE_CACHE_SECONDS, which bounds what
a date on a page or an outage of Redis (each app server then keeps its own generation, see
cache.py) can leave stale.
"""

import hashlib
import secrets
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "page-cache:generation"
# Browsers check again every time (a visitor who signs in must not see the signed-out copy
# from their own cache); shared caches (a proxy, a CDN) may keep a page this long. Vary:
# Cookie keeps them from giving it to anyone who carries a cookie.
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage={seconds}"
PROXY_SECONDS = 60
# A page marks itself uncacheable in any of these ways.
UNCACHEABLE = ("private", "no-store", "no-cache")


def page_cache_clear() -> None:
    """Start a new generation: every stored page is stale from now on."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def page_cache_mark_public(request) -> None:
    """Called as a Wagtail page is served: its response may be stored for visitors."""
    request.page_cache_public = True


def request_may_use(request) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


def response_may_be_stored(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(request, "page_cache_public", False)
        and response.status_code == HTTPStatus.OK
        and not response.streaming
        and not response.cookies
        # Django records here that a CSRF token was made or used for the page (and clears
        # the value, not the key, once it has set the cookie).
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and response.get("Content-Type", "").startswith("text/html")
        and not any(word in cache_control for word in UNCACHEABLE)
    )


def entry_key(request) -> str:
    """One entry per address and encoding: a gzipped copy for browsers that take gzip."""
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    url = iri_to_uri(request.build_absolute_uri())
    # Hashed: an address can be longer than a cache key may be.
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page-cache:{'gzip' if gzip else 'plain'}:{digest}"


class PageCacheMiddleware:
    """Sits near the top of the stack, below the headers every response gets (security,
    permissions policy) and above the compression, so a stored page is already compressed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not request_may_use(request):
            return self.get_response(request)
        key = entry_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = secrets.token_hex(8)
            # Another process may start the generation first: use whichever won.
            if not cache.add(GENERATION_KEY, generation, timeout=None):
                generation = cache.get(GENERATION_KEY, generation)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return self.stored_response(entry)
        response = self.get_response(request)
        if response_may_be_stored(request, response):
            self.mark_public(response)
            headers = list(response.items())
            cache.set(key, (generation, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response

    def mark_public(self, response) -> None:
        response["Cache-Control"] = PUBLIC_CACHE_CONTROL.format(seconds=PROXY_SECONDS)
        patch_vary_headers(response, ("Cookie",))

    def stored_response(self, entry) -> HttpResponse:
        _, headers, content = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


def page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        page_cache_clear()


def listed_content_changed(sender, **kwargs) -> None:
    page_cache_clear()


# What public pages show besides pages themselves: the footer's settings, each borough's
# contacts, audiences and partnerships (catalogue filters, helplines), and the sites.
LISTED_MODELS = (
    "home.SiteSettings",
    "people.Borough",
    "people.Audience",
    "people.Partnership",
    "wagtailcore.Site",
)


PAGE_SIGNALS = {
    "published": page_published,
    "unpublished": page_unpublished,
    "moved": post_page_move,
    # Saving a draft too, and pages written directly (load_content): never miss a change.
    "saved": post_save,
    "deleted": post_delete,
}
MODEL_SIGNALS = {"saved": post_save, "deleted": post_delete}


def page_cache_connect() -> None:
    """Called once, as the home app's models load: every change that can alter a public
    page starts a new generation."""
    for name, signal in PAGE_SIGNALS.items():
        signal.connect(page_changed, dispatch_uid=f"page-cache-page-{name}")
    for model in LISTED_MODELS:
        for name, signal in MODEL_SIGNALS.items():
            signal.connect(
                listed_content_changed, sender=model, dispatch_uid=f"page-cache-{model}-{name}"
            )
