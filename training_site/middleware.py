"""Site-wide response rules."""

from csp.middleware import CSPMiddleware
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.forms import BaseForm
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, get_resolver, get_urlconf, resolve
from django.utils.log import log_response

STATUS_BAD_REQUEST = 400
STATUS_NOT_FOUND = 404
STATUS_SERVER_ERROR = 500


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
    """

    def process_response(self, request, response):
        if request.path.startswith("/admin/"):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        return super().process_response(request, response)


class SiteErrorPagesMiddleware:
    """The site's own 400, 404 and 500 pages while DEBUG is on, for the quick start.

    The quick start is shown to council staff trying the site, not to developers, yet keeps
    DEBUG on: allauth accepts the demo two-step code only then. So the exceptions that
    DEBUG turns into Django's debug pages are answered here as DEBUG off would answer them,
    with the URLconf's error handlers; the rest (403, unreadable uploads) Django already
    answers that way. Listed last, so it sees a view's exception first; an address that
    matches no URL never reaches a view, so it is looked up here first.
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
        if isinstance(exception, PermissionDenied | MultiPartParserError):
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
