from django.conf import settings
from django.urls import include, path, re_path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from courses import views as course_views
from training_site.home.views import healthz, serve_page
from training_site.people.admin_access import refuse_signed_in_without_admin_access
from training_site.people.auth_views import confirm_login_code, signup
from training_site.people.converters import RecordIdConverter

# Registered before any app's URLs are read, so every app can use <id:pk>.
register_converter(RecordIdConverter, "id")
# Signed in without admin access: a 403 at /admin/ rather than Wagtail's redirect to the
# sign-in page, which sends a signed-in visitor straight back (people/admin_access.py).
admin_urlpatterns = decorate_urlpatterns(
    wagtailadmin_urls.urlpatterns, refuse_signed_in_without_admin_access
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(admin_urlpatterns)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/code/confirm/", confirm_login_code, name="account_confirm_login_code"),
    path("accounts/signup/", signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", course_views.dashboard, name="dashboard"),
    path("staff/", include("training_site.reports.urls")),
    path("", include("certificates.urls")),
    path("", include("courses.classroom.urls")),
    path("", include("courses.cards.urls")),
    path("", include("training_site.people.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's own URLs, its page view with the site and the page found in one query.
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, serve_page, name="wagtail_serve"),
]

handler403 = "training_site.home.views.permission_denied"
