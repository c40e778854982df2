from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .models import SiteSettings

# Which site a host and port belong to changes only when an administrator edits the sites;
# a minute's delay then is the price of not asking the database on every page.
SITE_FOR_HOST_SECONDS = 60
NO_SETTINGS = {"operator_name": "", "support_email": ""}


def site_id_for(request) -> int | None:
    """The request's site, from the cache: Wagtail's own look-up builds an annotated query
    for every page that is not a Wagtail page (verification, the dashboard)."""
    if hasattr(request, "_wagtail_site"):  # a Wagtail page found it already
        site = request._wagtail_site
        return site.pk if site else None
    key = f"home:site-for-host:{request.get_host()}:{request.get_port()}"
    site_id = cache.get(key)
    if site_id is None:
        site = Site.find_for_request(request)
        site_id = site.pk if site else 0
        cache.set(key, site_id, SITE_FOR_HOST_SECONDS)
    return site_id or None


def site_settings(request):
    """The footer's settings, read only when a template uses them, and from the cache."""

    def load():
        site_id = site_id_for(request)
        if site_id is None:
            return NO_SETTINGS
        return SiteSettings.cached_for_site_id(site_id)

    return {"site_settings": SimpleLazyObject(load)}
