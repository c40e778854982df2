from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .models import SiteSettings


def site_settings(request):
    """The footer's settings, read only when a template uses them, and from the cache."""

    def load():
        site = Site.find_for_request(request)
        if site is None:
            return {"operator_name": "", "support_email": ""}
        return SiteSettings.cached_for_site(site)

    return {"site_settings": SimpleLazyObject(load)}
