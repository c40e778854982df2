"""No page scrolls sideways on a small phone (320 px wide): every kind of page, seen by
every kind of visitor, with the longest names, emails, codes and licence numbers the site
accepts. Every offender is reported at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import CertifiedCourse, certificate_issue
from courses.attempts import attempt_start, attempt_submit
from courses.classroom.services import class_session_start
from courses.models import CoursePage
from courses.services import progress_record
from training_site.home.models import HelpPage
from training_site.people import services
from training_site.people.models import Audience, Borough, Organisation
from training_site.people.roles import Role

from ..people.factories import OrganisationFactory, UserFactory, role_assign
from .helpers import sign_in_by_session

pytestmark = pytest.mark.django_db(transaction=True)

SMALL_PHONE = {"width": 320, "height": 640}
# Letters only, as names must be, with words longer than a small phone's line.
LONG_NAME = "Anna-Katharina Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
LONG_EMAIL = (
    "anna.katharina.wolfeschlegelsteinhausenbergerdorff"
    "@licensing.metropolitan-borough-council.example.org.uk"
)
LONG_ORGANISATION = "Wolfeschlegelsteinhausenbergerdorff Riverside Conference and Spa Hotel"
# The longest licence numbers the form accepts (20 characters), on several authorities.
AUTHORITIES = ("kirklees", "calderdale", "bradford", "wakefield", "leeds")


def long_licence(index: int) -> str:
    return f"PHD{index}".ljust(20, "7")


def driver_with_long_details():
    """A driver with every detail as long as it may be, who has done every lesson."""
    kirklees = Borough.objects.get(slug="kirklees")
    user = UserFactory(email=LONG_EMAIL)
    services.profile_save(
        user=user,
        full_name=LONG_NAME,
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=kirklees,
    )
    for index, slug in enumerate(AUTHORITIES):
        services.licence_add(
            holder=user, authority=Borough.objects.get(slug=slug), number=long_licence(index)
        )
    services.onboarding_finish(user=user)
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    for lesson in course.lessons:
        progress_record(learner=user, lesson=lesson)
    return user, course


def driver_expiring_soon(course):
    """A second long-named Kirklees driver whose certificate ends within 90 days."""
    user = UserFactory(email="expiring." + LONG_EMAIL)
    services.profile_save(
        user=user,
        full_name=LONG_NAME.replace("Anna-Katharina", "Anna-Lena"),  # within the 80 allowed
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=Borough.objects.get(slug="kirklees"),
    )
    services.licence_add(
        holder=user, authority=Borough.objects.get(slug="kirklees"), number=long_licence(9)
    )
    services.onboarding_finish(user=user)
    certificate_issue(
        learner=user,
        course=CertifiedCourse(
            page_id=course.pk, title=course.title, version=course.version, validity_months=36
        ),
        completion_ref="overflow:expiring",
        completed_at=timezone.now() - timedelta(days=3 * 365 - 30),
    )


def long_named_worker(organisation, audience_slug: str, email_prefix: str):
    user = UserFactory(email=f"{email_prefix}.{LONG_EMAIL}")
    services.profile_save(
        user=user,
        full_name=LONG_NAME,
        audience=Audience.objects.get(slug=audience_slug),
        home_borough=organisation.borough,
    )
    services.organisation_join(user=user, organisation=organisation)
    services.onboarding_finish(user=user)
    return user


def staff(role: Role, **place):
    user = UserFactory()
    role_assign(user, role, **place)
    return user


class Overflow:
    """Visits pages in one browser context and notes each one wider than the screen."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.base_url = live_server.url
        self.offenders: list[str] = []

    def context(self, user=None):
        context = self.browser.new_context(
            viewport=SMALL_PHONE, base_url=self.base_url, locale="en-GB"
        )
        if user is not None:
            sign_in_by_session(context, self.base_url, user)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return context, page

    def check(self, page, label: str = "") -> None:
        # After a form is sent, the new page is measured once its stylesheet has loaded.
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("window.innerWidth"):
            self.offenders.append(f"{label or page.url}: {width} px wide")

    def visit(self, page, *paths: str) -> None:
        for path in paths:
            page.goto(path)
            self.check(page, path)


def test_no_page_is_wider_than_a_small_phone(browser, live_server):
    overflow = Overflow(browser, live_server)
    learner, course = driver_with_long_details()
    driver_expiring_soon(course)
    kirklees = Borough.objects.get(slug="kirklees")
    hotel = OrganisationFactory(name=LONG_ORGANISATION, borough=Borough.objects.get(slug="leeds"))
    long_named_worker(hotel, "hotel-bnb", "hotel")
    school = OrganisationFactory(
        name=LONG_ORGANISATION.replace("Hotel", "Academy"),
        kind=Organisation.Kind.SCHOOL,
        borough=Borough.objects.get(slug="calderdale"),
    )
    teacher = long_named_worker(school, "school-staff", "teacher")
    pupil_lesson = CoursePage.objects.get(slug="pupil-lessons").lessons[0]
    session = class_session_start(
        teacher=teacher,
        school=school,
        lesson=pupil_lesson,
        year_group="8",
        class_size=27,
        taught_on=timezone.localdate(),
    )

    # The learner: their own pages, the course, a lesson and each screen of the test.
    context, page = overflow.context(learner)
    quiz = course.quiz
    overflow.visit(page, "/", "/courses/", course.url, course.lessons[0].url, quiz.url)
    attempt = attempt_start(learner=learner, quiz=quiz, course=course)
    overflow.visit(page, quiz.attempt_url(attempt, 1))
    right = {
        item["number"]: attempt.answer_key[str(item["number"])]["correct"] for item in attempt.items
    }
    attempt_submit(attempt_id=attempt.pk, learner=learner, answers=right)
    overflow.visit(
        page,
        quiz.result_url(attempt),
        "/dashboard/",
        "/certificates/",
        "/profile/",
        "/profile/start/",
        "/profile/licences/",
    )
    context.close()
    code = Certificate.objects.get(learner=learner).code

    # Anyone: the public pages, checking a certificate, signing in, and a pupil's lesson.
    context, page = overflow.context()
    overflow.visit(
        page,
        "/",
        "/courses/",
        course.url,
        "/verify/",
        f"/verify/{code}/",
        "/verify/NOTAREALCODE00000/",
        "/accounts/login/",
        "/accounts/signup/",
        "/pupils/",
        HelpPage.objects.get().url,
        "/privacy/",
        "/no-such-page/",
        "/join/",
    )
    page.get_by_label("Class code").fill(session.join_code)
    page.get_by_role("button", name="Join").click()
    page.wait_for_url("**/join/lesson/")
    overflow.check(page, "pupil lesson")
    context.close()

    # A teacher: their workplace, found by name, and the classroom pages.
    context, page = overflow.context(teacher)
    overflow.visit(page, "/profile/workplace/")
    page.get_by_label("Name of your workplace").fill(LONG_ORGANISATION.split()[0])
    page.get_by_role("button", name="Find my workplace").click()
    page.get_by_role("heading", name="Choose your workplace").wait_for()
    overflow.check(page, "workplaces found")
    overflow.visit(
        page,
        "/classroom/",
        f"/classroom/start/{pupil_lesson.pk}/",
        f"/classroom/{session.pk}/",
        f"/classroom/{session.pk}/results/",
        f"/classroom/{session.pk}/present/1/",
    )
    context.close()

    # A licensing officer: look-up, batch check, expiring list and a certificate.
    context, page = overflow.context(staff(Role.LICENSING_OFFICER, borough=kirklees))
    overflow.visit(page, "/staff/", "/staff/licences/")
    page.get_by_label("Licence or badge number").fill(long_licence(0))
    page.get_by_role("button", name="Look up").click()
    overflow.check(page, "licence look-up answer")
    overflow.visit(page, "/staff/licences/batch/")
    page.get_by_label("Licence numbers").fill(
        "\n".join(long_licence(index) for index in range(10)) + "\nNOT-A-NUMBER-AT-ALL-" * 3
    )
    page.get_by_role("button", name="Check", exact=True).click()
    overflow.check(page, "batch check answers")
    overflow.visit(page, "/staff/licences/expiring/", f"/verify/{code}/")
    context.close()

    # Leads: a borough's dashboard and a list behind it, and a partnership's dashboard.
    context, page = overflow.context(staff(Role.BOROUGH_LEAD, borough=kirklees))
    overflow.visit(page, "/staff/reports/", "/staff/reports/list/?figure=valid")
    context.close()
    context, page = overflow.context(staff(Role.PARTNERSHIP_LEAD, partnership=kirklees.partnership))
    overflow.visit(page, "/staff/reports/")
    context.close()

    # An organisation's manager: their organisations and the staff list.
    context, page = overflow.context(staff(Role.ORGANISATION_MANAGER, organisation=hotel))
    overflow.visit(page, "/staff/organisations/", f"/staff/organisations/{hotel.pk}/")
    context.close()

    assert not overflow.offenders, "Wider than a 320 px screen:\n" + "\n".join(overflow.offenders)
