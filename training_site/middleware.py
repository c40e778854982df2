"""Site-wide response rules."""

import psycopg
from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.db import InterfaceError, OperationalError, connection
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.urls import Resolver404, get_resolver, get_urlconf, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

from training_site.home.headers import ALLOWED_ATTRIBUTE, permissions_policy

STATUS_BAD_REQUEST = 400
STATUS_NOT_FOUND = 404
STATUS_SERVER_ERROR = 500
STATUS_UNAVAILABLE = 503

# What a database that cannot be reached raises: Django's wrapped errors, and psycopg's own
# where they escape the wrapping (its connection pool).
DATABASE_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
RETRY_AFTER_SECONDS = 60


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, every page answers 503 with Retry-After and the
    site's "we'll be back in a minute" page, not an error page.

    Listed before the middleware that reads the database (sessions, sign-in, the two-step
    check), it connects first, so they never meet a database that is down; a view that
    loses it mid-request is answered in process_exception. /healthz answers for itself, in
    JSON. Each request connects afresh if the last connection failed (and Django's health
    check drops a dead persistent one), so the site recovers without a restart.
    """

    exempt_paths = ("/healthz",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in self.exempt_paths:
            try:
                connection.close_if_health_check_failed()
                connection.ensure_connection()
            except DATABASE_UNAVAILABLE:
                return database_unavailable_response()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable_response()
        return None


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request, so no context processor (site settings, the signed-in
    # user) can reach for the database.
    response = HttpResponse(render_to_string("503.html"), status=STATUS_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class FormErrorStatusMiddleware:
    """A page that shows a submitted form with errors answers 400, not 200.

    The form comes back with everything the person typed and a message by each problem;
    the status tells clients, caches and monitoring that the submission was refused. It
    covers our own views and allauth's alike. The Wagtail admin keeps its own behaviour.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if (
            request.method == "POST"
            and response.status_code == 200
            and not request.path.startswith("/admin/")
            and any(form_has_errors(value) for value in (response.context_data or {}).values())
        ):
            response.status_code = STATUS_BAD_REQUEST
        return response


def form_has_errors(value) -> bool:
    return isinstance(value, BaseForm) and value.is_bound and bool(value.errors)


class SiteCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere; the Wagtail admin also runs its own inline scripts.

    Wagtail's panels and date widgets use inline <script> tags, so /admin/ (staff only,
    behind two-step sign-in) allows them. Public pages never do.

    No page may be framed (frame-ancestors 'none', as X-Frame-Options: DENY), except the
    ones that say X-Frame-Options: SAMEORIGIN themselves: Wagtail's previews, which the
    editor shows in a frame beside the form. Listed after XFrameOptionsMiddleware, this
    sees only what the view set, never the site-wide DENY.
    """

    def process_response(self, request, response):
        if request.path.startswith("/admin/"):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            response._csp_replace = {"frame-ancestors": [SELF]}
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response, static files included (so listed before
    WhiteNoise): no browser feature unless the view allowed it (home/headers.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.default = permissions_policy()

    def __call__(self, request):
        response = self.get_response(request)
        allowed = getattr(response, ALLOWED_ATTRIBUTE, None)
        response.headers.setdefault(
            "Permissions-Policy", permissions_policy(allowed) if allowed else self.default
        )
        return response


class SiteErrorPagesMiddleware:
    """The site's own 400, 404 and 500 pages while DEBUG is on, for the quick start.

    The quick start is shown to council staff trying the site, not to developers, yet keeps
    DEBUG on: allauth accepts the demo two-step code only then. So the exceptions that
    DEBUG turns into Django's debug pages are answered here as DEBUG off would answer them,
    with the URLconf's error handlers; the rest (403, unreadable uploads) Django already
    answers that way, and DatabaseUnavailableMiddleware answers a database that is down.
    Listed last, so it sees a view's exception first; an address that matches no URL never
    reaches a view, so it is looked up here first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info)
        except Resolver404 as exception:
            return self.process_exception(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        resolver = get_resolver(get_urlconf())
        if isinstance(exception, Http404):
            return get_exception_response(request, resolver, STATUS_NOT_FOUND, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return get_exception_response(request, resolver, STATUS_BAD_REQUEST, exception)
        if isinstance(exception, (PermissionDenied, MultiPartParserError, *DATABASE_UNAVAILABLE)):
            return None
        response = resolver.resolve_error_handler(STATUS_SERVER_ERROR)(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response
