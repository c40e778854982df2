"""Site-wide views that are not Wagtail pages."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from training_site.people.landing import landing_for

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@requires_csrf_token
def permission_denied(request, exception):
    """The site's 403 page: what was refused, and the way to where this person belongs."""
    landing = landing_for(request.user) if request.user.is_authenticated else None
    return render(
        request, "403.html", {"exception": str(exception), "landing": landing}, status=403
    )
