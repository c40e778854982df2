from django.urls import path, re_path

from . import scanner_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    # The officer's offline scanner and what it syncs, before any code could match them.
    path("verify/scan/", scanner_views.scan, name="scan"),
    path("verify/scan/sw.js", scanner_views.scan_worker, name="scan_worker"),
    path("verify/scan/manifest.webmanifest", scanner_views.scan_manifest, name="scan_manifest"),
    path("verify/keys.json", scanner_views.keys, name="keys"),
    path("verify/status-list.cose", scanner_views.status_list_view, name="status_list"),
    # Any text is accepted here so that malformed codes get the same page as unknown ones.
    re_path(r"^verify/(?P<code>[^/]{1,80})/$", views.verify_code, name="verify_code"),
    re_path(r"^verify/(?P<code>[^/]{1,80})/revoke/$", views.revoke, name="revoke"),
    re_path(r"^verify/(?P<code>[^/]{1,80})/reinstate/$", views.reinstate, name="reinstate"),
    path("certificates/", views.my_certificates, name="mine"),
    re_path(r"^certificates/(?P<code>[^/]{1,80})/pdf/$", views.pdf, name="pdf"),
    re_path(r"^certificates/(?P<code>[^/]{1,80})/email/$", views.email_copy, name="email"),
]
