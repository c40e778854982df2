"""The HTTP benchmark's URLs: the site's own, behind a floor page."""

from django.http import HttpResponse
from django.urls import include, path

import training_site.urls


def floor(request):
    """The cheapest page the site's stack can serve: every middleware, no template, no
    query of its own. Pages are measured as multiples of it."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include(training_site.urls)),
]

handler403 = training_site.urls.handler403
