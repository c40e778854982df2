"""Site-wide response rules."""

from csp.middleware import CSPMiddleware
from django.forms import BaseForm

STATUS_BAD_REQUEST = 400


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
