from django.urls import path, re_path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    # Any text is accepted here so that malformed codes get the same page as unknown ones.
    re_path(r"^verify/(?P<code>[^/]{1,80})/$", views.verify_code, name="verify_code"),
    re_path(r"^verify/(?P<code>[^/]{1,80})/revoke/$", views.revoke, name="revoke"),
    re_path(r"^verify/(?P<code>[^/]{1,80})/reinstate/$", views.reinstate, name="reinstate"),
    path("certificates/", views.my_certificates, name="mine"),
    re_path(r"^certificates/(?P<code>[^/]{1,80})/pdf/$", views.pdf, name="pdf"),
    re_path(r"^certificates/(?P<code>[^/]{1,80})/email/$", views.email_copy, name="email"),
]
