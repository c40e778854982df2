"""The HTTP benchmark's settings: production's, plus a floor page and verify limits that a
benchmark cannot reach. Only `run.py --http` uses them; the real site never has either."""

from training_site.settings.production import *  # noqa: F403

# The floor view sits in front of the site's own URLs (see http_urls.py).
ROOT_URLCONF = "tests.benchmarks.http_urls"

# wrk sends every request from 127.0.0.1, so the per-address limits on opening
# /verify/<code>/ (120 in 10 minutes) would answer 429 within a second. The same counting
# code (one INCR a request, certificates/views.py) still runs on every request, over the
# same 10-minute window; only the count is out of reach.
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "verify_code": "1000000000/10m/ip",
    "verify_code_signed_in": "1000000000/10m/user",
}

# Django's manifest storage, which production's WhiteNoise storage extends only by writing
# compressed copies of every file for WhiteNoise to serve. Pages look up the same manifest
# either way and no measured page is a static file, so each run skips the ~30 s it takes
# to compress Wagtail's admin assets.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
