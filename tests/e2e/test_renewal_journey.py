"""Demo learners near or past expiry are told so, with the date, on the dashboard and the
course page, and one tap on Renew starts the refresher test. Every page passes axe-core."""

import pytest

from certificates.models import Certificate
from courses.models import Attempt, QuizPage
from training_site.people.models import User

from .helpers import sign_in_by_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("email", "says"),
    [("renewal@example.org", "expires on"), ("teacher@example.org", "expired on")],
)
def test_demo_learner_is_told_and_taken_to_renew(
    browser, live_server, axe, demo_snapshot, email, says
):
    QuizPage.objects.update(cooldown_minutes=0)
    learner = User.objects.get(email=email)
    certificate = Certificate.objects.get(learner=learner, superseded_by__isnull=True)
    when = f"{says} {certificate.valid_until:%-d %B %Y}"
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    sign_in_by_session(context, live_server.url, learner)
    phone = context.new_page()

    phone.goto("/dashboard/")
    assert phone.get_by_role("heading", name="Renew your training").is_visible()
    assert when in phone.locator(".card--renew").inner_text()
    axe(phone)

    phone.get_by_role("link", name=certificate.course_title).click()
    assert when in phone.locator(".progress-panel").inner_text()
    assert "Course completed" not in phone.locator(".progress-panel").inner_text()
    assert phone.get_by_role("button", name="Renew: take the test").is_visible()
    axe(phone)

    phone.go_back()
    phone.get_by_role("button", name="Renew: take the test").click()
    attempt = Attempt.objects.get(learner=learner, submitted_at__isnull=True)
    phone.wait_for_url(f"**/attempt/{attempt.pk}/")
    assert phone.get_by_text(f"Question 1 of {attempt.total}").is_visible()
    context.close()
