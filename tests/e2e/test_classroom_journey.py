"""A teacher presents a pupil lesson on a classroom screen while a pupil answers on a phone:
the class never sees the teacher's notes, the teacher sees the answer arrive, and every
page passes axe-core."""

import pytest

from courses.blocks import LessonBodyBlock
from courses.models import CoursePage
from training_site.people import services
from training_site.people.models import Audience, Borough, Organisation

from ..people.factories import OrganisationFactory, UserFactory
from .helpers import sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

CLASSROOM = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def teacher():
    calderdale = Borough.objects.get(slug="calderdale")
    school = OrganisationFactory(
        name="Brookfield Academy", kind=Organisation.Kind.SCHOOL, borough=calderdale
    )
    user = UserFactory(email="teacher@example.org")
    services.profile_save(
        user=user,
        full_name="Ayşe Yılmaz",
        audience=Audience.objects.get(slug="school-staff"),
        home_borough=calderdale,
    )
    services.organisation_join(user=user, organisation=school)
    services.onboarding_finish(user=user)
    return user


def teacher_only_texts(lesson) -> list[str]:
    texts = []
    for block in lesson.body:
        if block.block_type == "teacher_note":
            texts.append(block.value["text"])
        elif block.block_type == "scenario":
            texts.append(block.value["reveal"])
        elif block.block_type == "discussion" and block.value["guidance"]:
            texts.append(block.value["guidance"])
    # A phrase from each, long enough to be unmistakable, short enough to survive wrapping.
    return [" ".join(text.split()[:8]) for text in texts]


def test_teacher_presents_and_a_pupil_answers(browser, live_server, axe, teacher):
    course = CoursePage.objects.get(slug="pupil-lessons")
    lesson = course.lessons[0]
    secrets = teacher_only_texts(lesson)
    assert secrets and isinstance(lesson.body.stream_block, LessonBodyBlock)

    desk = browser.new_context(viewport=CLASSROOM, base_url=live_server.url, locale="en-GB")
    teacher_page = desk.new_page()
    teacher_page.set_default_timeout(15_000)
    sign_in_with_code(teacher_page, teacher.email)
    teacher_page.goto(lesson.url)
    teacher_page.get_by_role("link", name="Teach this lesson to a class").click()
    axe(teacher_page)
    teacher_page.get_by_label("Year group").select_option("8")
    teacher_page.get_by_label("How many pupils are in the class?").fill("27")
    teacher_page.get_by_role("button", name="Start the session").click()
    teacher_page.wait_for_url("**/classroom/*/")
    axe(teacher_page)
    code = teacher_page.locator(".join-code").first.inner_text()
    assert len(code.replace(" ", "")) == 6

    # The classroom screen: arrow keys move through every screen, none shows a note.
    with desk.expect_page() as opened:
        teacher_page.get_by_role("link", name="Present on the classroom screen").click()
    screen = opened.value
    screen.wait_for_load_state()
    assert screen.locator(".join-code").inner_text() == code
    axe(screen)
    seen = [screen.content()]
    while screen.locator('a[rel="next"]').count():
        before = screen.url
        screen.keyboard.press("ArrowRight")
        screen.wait_for_url(lambda url, before=before: url != before)
        seen.append(screen.content())
    axe(screen)
    assert screen.locator(".join-code").inner_text() == code  # the last screen too
    presented = " ".join(" ".join(html.split()) for html in seen)
    for secret in secrets:
        assert secret not in presented, secret
    screen.keyboard.press("PageUp")
    screen.wait_for_url("**/present/*/")

    # A pupil joins on a phone with no account and answers the first question.
    pocket = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-GB")
    pupil = pocket.new_page()
    pupil.set_default_timeout(15_000)
    pupil.goto("/")
    pupil.get_by_role("link", name="I am a pupil with a class code").click()
    pupil.wait_for_url("**/join/")
    axe(pupil)
    pupil.get_by_label("Class code").fill(code.lower())
    pupil.get_by_role("button", name="Join").click()
    pupil.wait_for_url("**/join/lesson/")
    axe(pupil)
    assert pupil.get_by_role("link", name="0800 1111").first.is_visible()
    assert {cookie["name"] for cookie in pocket.cookies()} == {"pupil"}
    first = pupil.locator("form.question").first
    first.locator("input[type=radio]").first.check()
    first.get_by_role("button", name="Send my answer").click()
    assert pupil.get_by_text("Sent. Thank you.").is_visible()

    # The teacher's results change without a reload.
    teacher_page.locator("#class-results").get_by_text("1", exact=True).nth(1).wait_for()
    assert "answered" in teacher_page.locator("#class-results").inner_text()
    assert teacher_page.get_by_text("1 answer", exact=True).first.is_visible()
    pocket.close()
    desk.close()
