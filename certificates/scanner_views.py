"""The officer's offline scanner (/verify/scan/) and what it syncs: the published keys and
the signed status list (certificates.signing, certificates.status_list).

The scanner is a template and static files (static/js/scan.js). Its service worker is served
from under /verify/scan/, not /static/, so that it may control the scanner's pages, and it
names the hashed static files it keeps, so a new release replaces them.
"""

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from training_site.home.headers import permissions_policy_allow

from .keys import jwk
from .signing import issuer, published_keys
from .status_list import status_list

SCANNER_STATIC = (
    "js/scan.js",
    "vendor/jsqr/jsQR.js",
    "css/site.css",
    "img/logo.svg",
    "img/favicon.svg",
    "img/scan-192.png",
    "img/scan-512.png",
)
# Phones fetch these whenever they are online; a minute in a proxy is harmless.
SYNC_MAX_AGE = 60


def scanner_urls() -> dict[str, str]:
    return {
        "scan_url": reverse("certificates:scan"),
        "keys_url": reverse("certificates:keys"),
        "status_url": reverse("certificates:status_list"),
        "sw_url": reverse("certificates:scan_worker"),
        "manifest_url": reverse("certificates:scan_manifest"),
    }


def scanner_version() -> str:
    """Names the worker's cache: changes whenever a file it keeps changes, so phones fetch
    the new ones (also where static names carry no hash, in development)."""
    digest = hashlib.sha256()
    for path in SCANNER_STATIC:
        digest.update(Path(finders.find(path)).read_bytes())
    return digest.hexdigest()[:12]


@require_GET
@permissions_policy_allow("camera")
def scan(request):
    """The scanner. It never shows anything from the server about a certificate: every
    verdict is worked out on the phone."""
    return TemplateResponse(request, "certificates/scan.html", scanner_urls())


@require_GET
def scan_worker(request):
    urls = scanner_urls()
    precache = [urls["scan_url"], urls["manifest_url"], *(static(path) for path in SCANNER_STATIC)]
    script = render_to_string(
        "certificates/scan_sw.js",
        {"precache_json": json.dumps(precache), "version": scanner_version(), **urls},
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Browsers check a worker for updates on every visit anyway; never keep a stale one.
    patch_cache_control(response, no_cache=True)
    return response


@require_GET
def scan_manifest(request):
    """What a phone needs to install the scanner as an app."""
    manifest = {
        "name": "Spot the Signs certificate scanner",
        "short_name": "Certificate scan",
        "description": "Check Spot the Signs certificates, even with no signal.",
        "start_url": reverse("certificates:scan"),
        "scope": reverse("certificates:scan"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f6c",
        "icons": [
            {"src": static("img/scan-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/scan-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_GET
def keys(request):
    """Every public key whose signatures are genuine (JWKS), with the site they sign for."""
    response = JsonResponse(
        {
            "issuer": issuer(),
            "keys": [jwk(kid, public_key) for kid, public_key in published_keys().items()],
        }
    )
    patch_cache_control(response, public=True, max_age=SYNC_MAX_AGE)
    return response


@require_GET
def status_list_view(request):
    response = HttpResponse(status_list(), content_type="application/cose")
    patch_cache_control(response, public=True, max_age=SYNC_MAX_AGE)
    return response
