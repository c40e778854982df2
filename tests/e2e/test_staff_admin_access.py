"""Every staff role and a driver sign in on a phone and open /admin/. Editors, reviewers,
leads (who read question statistics there) and admins reach the Wagtail dashboard; the
others get the site's 403 page with the way to where they belong, at once, with no loop.
Nobody but a learner ever passes through learner onboarding."""

import pytest

from ..people.factories import account
from ..people.sessions import second_factor_for
from .conftest import PHONE
from .helpers import sign_in_with_code, sign_in_with_password_and_totp

pytestmark = pytest.mark.django_db(transaction=True)
ONBOARDING = "/profile/start/"
# Where each lands after signing in, and what /admin/ gives them: the Wagtail dashboard, or
# the 403 page's link to where they belong.
JOURNEYS = {
    "editor": ("/admin/", None),
    "reviewer": ("/admin/", None),
    "admin": ("/staff/", None),
    "borough lead": ("/staff/", None),
    "partnership lead": ("/staff/", None),
    "officer": ("/staff/", ("Go to the staff area", "/staff/")),
    "manager": ("/staff/", ("Go to the staff area", "/staff/")),
    "driver": ("/dashboard/", ("Go to your training", "/dashboard/")),
}


@pytest.mark.parametrize(("kind", "journey"), JOURNEYS.items())
def test_each_role_signs_in_and_opens_the_admin(browser, live_server, axe, kind, journey):
    landing, way_back = journey
    user = account(kind)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    visited = []
    page.on("request", lambda request: visited.append(request.url))

    if kind == "driver":
        sign_in_with_code(page, user.email)
    else:
        sign_in_with_password_and_totp(
            page, user.email, "correct-horse-battery", second_factor_for(user)
        )
    page.wait_for_url(f"{live_server.url}{landing}")

    response = page.goto("/admin/")
    assert response.request.redirected_from is None
    assert page.url == f"{live_server.url}/admin/"
    if way_back is None:
        assert response.status == 200
        assert page.title().startswith("Dashboard")
    else:
        assert response.status == 403
        assert page.get_by_role("heading", name="You cannot see this page").is_visible()
        axe(page)
        label, url = way_back
        page.get_by_role("link", name=label).click()
        page.wait_for_url(f"{live_server.url}{url}")
    assert not [address for address in visited if ONBOARDING in address]
    context.close()
