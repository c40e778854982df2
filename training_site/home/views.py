"""Site-wide views: the health check, error pages, and Wagtail's page view routed here."""

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from wagtail.views import serve as wagtail_serve

from training_site.people.landing import landing_for

from .health import cache_state, database_up, outbox_backlog
from .routing import route_for_request

logger = logging.getLogger(__name__)


def serve_page(request, path):
    """Wagtail's page view and every hook it runs, with the site and the page found in one
    query (routing.py); Wagtail takes the route from where it keeps its own."""
    request._wagtail_route_for_request = route_for_request(request, path)
    return wagtail_serve(request, path)


@never_cache
@require_GET
def healthz(request):
    """Each dependency's state as JSON, for load balancers and whoever is on call.

    503 only when the database is down: without Redis the site serves from each server's
    own memory, and without SMTP email waits in the outbox, so neither takes it out.
    """
    if not database_up():
        return JsonResponse(
            {"database": "down", "cache": cache_state(), "outbox_backlog": None}, status=503
        )
    try:
        backlog = outbox_backlog()
    except DatabaseError:
        logger.exception("Health check: the outbox could not be counted")
        backlog = None
    return JsonResponse({"database": "up", "cache": cache_state(), "outbox_backlog": backlog})


@requires_csrf_token
def permission_denied(request, exception):
    """The site's 403 page: what was refused, and the way to where this person belongs."""
    landing = landing_for(request.user) if request.user.is_authenticated else None
    return render(
        request, "403.html", {"exception": str(exception), "landing": landing}, status=403
    )
