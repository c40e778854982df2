"""Security headers: Permissions-Policy on every response, static files included, and no
framing (CSP frame-ancestors 'none', as X-Frame-Options: DENY) except Wagtail's previews."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page

from training_site.home.headers import FEATURES, permissions_policy_allow
from training_site.middleware import PermissionsPolicyMiddleware

from ..people.factories import UserFactory
from ..people.sessions import sign_in_past_two_step

pytestmark = pytest.mark.django_db

DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")


def policy(response) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


def directive(response, name: str) -> str:
    for part in response["Content-Security-Policy"].split(";"):
        if part.strip().startswith(name + " "):
            return part.strip()[len(name) + 1 :]
    raise AssertionError(f"no {name} in {response['Content-Security-Policy']}")


@pytest.mark.parametrize("path", ["/verify/", "/courses/", "/accounts/login/", "/no-such-page/"])
def test_every_page_denies_every_browser_feature(client, path):
    response = client.get(path)
    found = policy(response)
    assert set(found) == set(FEATURES)
    assert set(found.values()) == {"()"}
    for feature in DENIED:
        assert found[feature] == "()"


def test_static_files_carry_the_policy_too(client):
    """WhiteNoise answers before the rest of the middleware; the policy still goes out.
    (Tests serve from the app folders, WHITENOISE_AUTOREFRESH, with no collectstatic.)"""
    response = client.get("/static/js/wait.js")
    assert response.status_code == 200
    assert type(response).__module__.startswith("whitenoise")
    assert policy(response)["camera"] == "()"
    assert policy(response)["geolocation"] == "()"


def test_a_view_may_allow_only_the_features_it_needs():
    @permissions_policy_allow("camera")
    def scanner(request):
        return HttpResponse("scan")

    response = PermissionsPolicyMiddleware(scanner)(RequestFactory().get("/verify/scan/"))
    found = policy(response)
    assert found["camera"] == "(self)"
    assert {value for feature, value in found.items() if feature != "camera"} == {"()"}


def test_a_misspelt_feature_is_refused_at_once():
    with pytest.raises(ValueError, match="camra"):
        permissions_policy_allow("camra")


@pytest.mark.parametrize("path", ["/verify/", "/courses/"])
def test_public_pages_may_not_be_framed_by_anyone(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert directive(response, "frame-ancestors") == "'none'"


def test_the_admin_may_not_be_framed_but_its_previews_may_be_by_the_admin_itself(client):
    editor = UserFactory(is_superuser=True, is_staff=True)
    sign_in_past_two_step(client, editor)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert directive(dashboard, "frame-ancestors") == "'none'"

    page = Page.objects.filter(depth__gt=1).first()
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))

    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert directive(preview, "frame-ancestors") == "'self'"
    assert policy(preview)["camera"] == "()"
