from django.utils.functional import SimpleLazyObject

from .models import SiteSettings
from .routing import site_for_request

NO_SETTINGS = {"operator_name": "", "support_email": ""}


def site_settings(request):
    """The footer's settings, read only when a template uses them, and from the cache."""

    def load():
        site = site_for_request(request)
        if site is None:
            return NO_SETTINGS
        return SiteSettings.cached_for_site_id(site.pk)

    return {"site_settings": SimpleLazyObject(load)}
