"""The site `manage.py quickstart` serves to people trying it: the development settings, with
the site's own error pages instead of Django's debug pages.

DEBUG stays on because allauth accepts the published demo two-step code (000000) only with
DEBUG on. quickstart sets PUBLIC_BASE_URL to the address it serves, so certificates, emails
and QR codes point at a site that answers.
"""

from .dev import *  # noqa: F403

MIDDLEWARE = [*MIDDLEWARE, "training_site.middleware.SiteErrorPagesMiddleware"]  # noqa: F405
