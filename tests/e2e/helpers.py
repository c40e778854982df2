"""Steps several browser journeys share."""

from django.conf import settings
from django.test import Client

from courses.models import CoursePage
from courses.services import progress_record
from training_site.people import services
from training_site.people.models import Audience, Borough

from ..people.factories import UserFactory
from ..people.mail import last_code
from ..people.sessions import sign_in_past_two_step
from ..people.totp import fresh_totp_code


def sign_in_with_code(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Email address").fill(email)
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_label("Code").fill(last_code(email))
    page.get_by_role("button", name="Confirm").click()


def sign_in_with_password_and_totp(page, email: str, password: str, secret: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in with password").click()
    code_field = page.get_by_label("Code")
    code_field.wait_for()
    code_field.fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Sign In").click()


def kirklees_driver(*, lessons_done: bool) -> tuple:
    """An onboarded Kirklees driver on the real content, lessons optionally done."""
    kirklees = Borough.objects.get(slug="kirklees")
    user = UserFactory(email="driver@example.org")
    services.profile_save(
        user=user,
        full_name="Łukasz Wiśniewski",
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=kirklees,
    )
    services.licence_add(holder=user, authority=kirklees, number="PH10427")
    services.onboarding_finish(user=user)
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    if lessons_done:
        for lesson in course.lessons:
            progress_record(learner=user, lesson=lesson)
    return user, course


def answer_every_screen(phone, attempt, *, right: bool, axe) -> None:
    for item in attempt.items:
        correct = attempt.answer_key[str(item["number"])]["correct"]
        keys = [o["key"] for o in item["options"] if (o["key"] in correct) == right]
        assert phone.get_by_text(f"Question {item['number']} of {attempt.total}").is_visible()
        if item["number"] == 1:
            axe(phone)
        for key in keys if item["kind"] == "multiple" or right else keys[:1]:
            phone.locator(f"#q{item['number']}{key}").check()
        last = item["number"] == attempt.total
        phone.get_by_role(
            "button", name="Submit my answers" if last else "Save and next question"
        ).click()


def sign_in_by_session(context, base_url: str, user) -> None:
    """Sign a browser context in as `user` without the sign-in pages, as past any second
    step: for journeys about what people see once signed in, not about signing in."""
    client = Client()
    sign_in_past_two_step(client, user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.session.session_key,
                "url": base_url,
            }
        ]
    )
