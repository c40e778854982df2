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

Every entry carries the content generation it was rendered in (content_cache.py), so any
change a page can show (a page published or moved, an image, the site's settings, a
borough's contacts...) drops every stored page at once: pages list each other (the
catalogue its courses, a lesson its neighbours, every page the helplines), and such changes
are rare. Entries also expire after PAGE_CACHE_SECONDS, which bounds what a date on a page
or an outage of Redis can leave stale.
"""

import hashlib
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri

from .content_cache import GENERATION_KEY, current_generation

# Browsers check again every time (a visitor who signs in must not see the signed-out copy
# from their own cache); shared caches (a proxy, a CDN) may keep a page this long. Vary:
# Cookie keeps them from giving it to anyone who carries a cookie.
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage={seconds}"
PROXY_SECONDS = 60
# A page marks itself uncacheable in any of these ways.
UNCACHEABLE = ("private", "no-store", "no-cache")


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
        generation = current_generation(found)
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
