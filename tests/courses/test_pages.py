"""Course pages: the tree editors can build, what learners see, and bad requests."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
    ModulePage,
    QuizPage,
)
from training_site.home.models import HelpPage, HomePage, StandardPage

from ..people.factories import (
    BoroughFactory,
    DriverAudienceFactory,
    HotelAudienceFactory,
    LearnerProfileFactory,
    LicenceFactory,
)
from .factories import course_build, publish, quiz_build


class TestPageTree(WagtailPageTestCase):
    def test_catalogue_sits_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_courses_hold_modules_which_hold_lessons(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage, QuizPage})
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage})
        self.assertAllowedSubpageTypes(QuizPage, set())
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_a_lesson_cannot_be_made_outside_a_module(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanCreateAt(ModulePage, LessonPage)

    def test_site_pages(self):
        self.assertAllowedParentPageTypes(HelpPage, {HomePage})
        self.assertCanCreateAt(HomePage, StandardPage)


pytestmark = pytest.mark.django_db


@pytest.fixture
def driver(client):
    profile = LearnerProfileFactory(audience=DriverAudienceFactory(), onboarded=True)
    client.force_login(profile.user)
    return profile.user


@pytest.fixture
def taxi_course():
    return course_build(audience=DriverAudienceFactory(), slug="taxi")


def test_pupil_lessons_never_give_certificates():
    course = CoursePage(
        title="Pupils",
        slug="p",
        audience=HotelAudienceFactory(),
        summary="x",
        estimated_minutes=50,
        for_pupils=True,
        issues_certificate=True,
    )
    with pytest.raises(ValidationError, match="never give certificates"):
        course.clean()


def test_catalogue_shows_a_learner_their_own_role_and_marks_required_courses(client, driver):
    kirklees = BoroughFactory(name="Kirklees")
    LicenceFactory(holder=driver, authority=kirklees)
    taxi = course_build(audience=driver.profile.audience, slug="taxi", title="Taxi course")
    taxi.required_by.add(kirklees)
    taxi.save()
    course_build(audience=HotelAudienceFactory(), slug="hotel", title="Hotel course")

    content = client.get("/courses/").content.decode()
    assert "Taxi course" in content
    assert "Hotel course" not in content
    assert "Required by Kirklees" in content

    everyone = client.get("/courses/", {"audience": "all"}).content.decode()
    assert "Hotel course" in everyone


def test_course_page_shows_progress(client, driver):
    course = course_build(audience=driver.profile.audience, slug="taxi")
    first = course.lessons[0]
    client.post(first.url)
    content = client.get(course.url).content.decode()
    assert "1 of 4 lessons" in content
    assert "Continue: Lesson 1.2" in content


def test_start_enrols_and_opens_the_first_lesson(client, driver, taxi_course):
    response = client.post(taxi_course.url)
    assert response.status_code == 302
    assert response["Location"] == taxi_course.lessons[0].url
    assert driver.enrolments.filter(course=taxi_course).count() == 1
    client.post(taxi_course.url)
    assert driver.enrolments.count() == 1


def test_mark_complete_and_continue(client, driver, taxi_course):
    first, second = taxi_course.lessons[:2]
    response = client.post(first.url)
    assert response["Location"] == second.url
    assert LessonCompletion.objects.filter(learner=driver, lesson=first).count() == 1
    # The back button and a second tap change nothing.
    client.post(first.url)
    assert LessonCompletion.objects.filter(learner=driver).count() == 1


def test_lessons_are_readable_without_signing_in(client, taxi_course):
    lesson = taxi_course.lessons[0]
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert b"Grooming builds trust" in response.content
    assert b"Sign in" in response.content


def test_anonymous_progress_goes_to_sign_in_and_records_nothing(client, taxi_course):
    response = client.post(taxi_course.lessons[0].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not LessonCompletion.objects.exists()


def test_progress_on_another_audiences_course_is_refused(client, driver):
    hotel = course_build(audience=HotelAudienceFactory(), slug="hotel")
    response = client.post(hotel.lessons[0].url)
    assert response.status_code == 403
    assert b"This course is for" in response.content
    assert client.post(hotel.url).status_code == 403
    assert not LessonCompletion.objects.exists()
    assert not driver.enrolments.exists()


def test_progress_before_onboarding_is_refused(client, taxi_course):
    profile = LearnerProfileFactory(audience=taxi_course.audience)
    client.force_login(profile.user)
    response = client.post(taxi_course.lessons[0].url)
    assert response.status_code == 403
    assert b"Finish setting up your profile" in response.content


def test_unknown_and_unpublished_pages_are_404(client, driver, taxi_course):
    lesson = taxi_course.lessons[0]
    lesson.unpublish()
    assert client.get(lesson.url_path.replace("/home-test", "")).status_code == 404
    response = client.post("/courses/taxi/module-1/lesson-1-1/")
    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()
    assert client.get("/courses/no-such-course/").status_code == 404
    assert client.get("/courses/taxi/module-1/99999/").status_code == 404


def test_module_address_leads_to_its_place_in_the_course(client, taxi_course):
    module = taxi_course.get_children().first()
    response = client.get(module.url)
    assert response.status_code == 302
    assert response["Location"] == f"{taxi_course.url}#module-{module.pk}"


def test_finishing_every_lesson_completes_a_course_without_a_test(client, driver, taxi_course):
    for lesson in taxi_course.lessons:
        client.post(lesson.url)
    enrolment = driver.enrolments.get(course=taxi_course)
    assert enrolment.completed_at is not None
    dashboard = client.get("/dashboard/").content.decode()
    assert "Completed" in dashboard


def test_dashboard_offers_to_resume_where_the_learner_left_off(client, driver, taxi_course):
    for lesson in taxi_course.lessons[:2]:
        client.post(lesson.url)
    content = client.get("/dashboard/").content.decode()
    assert "2 of 4 lessons done" in content
    assert f'href="{taxi_course.lessons[2].url}"' in content


def test_teacher_notes_are_for_the_staff_who_teach(client):
    staff = HotelAudienceFactory(slug="school-staff", name="School staff")
    course = course_build(
        audience=staff,
        slug="pupils",
        for_pupils=True,
        issues_certificate=False,
        modules=1,
        lessons_per_module=1,
    )
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    lesson.body = [
        {"type": "teacher_note", "value": {"text": "Tell the DSL before the lesson."}},
        {
            "type": "discussion",
            "value": {"prompt": "What is a friend?", "guidance": "Steer gently."},
        },
    ]
    publish(lesson)
    anonymous = client.get(lesson.url).content.decode()
    assert "What is a friend?" in anonymous
    assert "Tell the DSL" not in anonymous
    assert "Steer gently" not in anonymous

    teacher = LearnerProfileFactory(audience=staff, onboarded=True)
    client.force_login(teacher.user)
    content = client.get(lesson.url).content.decode()
    assert "Tell the DSL" in content
    assert "Steer gently" in content
    # Pupil lessons have no progress button.
    assert "Mark complete" not in content


def test_search_respects_the_learners_audience(client, driver):
    course_build(audience=driver.profile.audience, slug="taxi", title="Taxi")
    course_build(audience=HotelAudienceFactory(), slug="hotel", title="Hotel")
    call_command("update_index", verbosity=0)
    content = client.get("/courses/search/", {"q": "grooming"}).content.decode()
    assert "/courses/taxi/" in content
    assert "/courses/hotel/" not in content

    client.logout()
    everyone = client.get("/courses/search/", {"q": "grooming"}).content.decode()
    assert "/courses/taxi/" in everyone
    assert "/courses/hotel/" in everyone


def test_search_handles_odd_input(client, taxi_course):
    for query in ("", "   ", "x" * 5000, "<script>", "' OR 1=1 --", "ł"):
        response = client.get("/courses/search/", {"q": query})
        assert response.status_code == 200
        assert b"<script>" not in response.content.split(b"</header>")[1]


def test_every_page_type_previews(rf, admin_user, taxi_course):
    quiz_build(course=taxi_course)
    for page in Page.objects.type(CoursePage, LessonPage, CourseIndexPage, QuizPage).specific():
        request = rf.get(page.url)
        request.user = admin_user
        response = page.make_preview_request(request, page.default_preview_mode)
        assert response.status_code == 200, page


@pytest.mark.django_db
def test_everyone_lists_the_learners_own_role_first(client):
    hotel_course = course_build(audience=HotelAudienceFactory(), slug="hotel", title="Hotel")
    taxi = course_build(audience=DriverAudienceFactory(), slug="taxi", title="Taxi")
    assert hotel_course.path < taxi.path
    profile = LearnerProfileFactory(audience=taxi.audience, onboarded=True)
    client.force_login(profile.user)
    everyone = client.get("/courses/", {"audience": "all"}).content.decode()
    assert everyone.index('<a href="/courses/taxi/">') < everyone.index(
        '<a href="/courses/hotel/">'
    )
    assert everyone.index("?audience=taxi-private-hire") < everyone.index("?audience=hotel-bnb")


@pytest.mark.django_db
def test_a_role_card_takes_a_newcomer_into_the_first_lesson(client, taxi_course):
    response = client.get("/courses/for/taxi-private-hire/")
    assert response["Location"] == taxi_course.lessons[0].url
    lesson = client.get(response["Location"]).content.decode()
    assert "Sign up to track your progress" in lesson
    assert "/accounts/signup/?next=%2Fprofile%2Fstart%2F%3Faudience%3Dtaxi-private-hire" in lesson
    assert client.get("/courses/for/no-such-role/").status_code == 404


@pytest.mark.django_db
def test_a_role_card_takes_a_learner_to_the_course(client, driver, taxi_course):
    response = client.get("/courses/for/taxi-private-hire/")
    assert response["Location"] == taxi_course.url


@pytest.mark.django_db
def test_the_catalogue_is_linked_from_every_page(client, taxi_course):
    assert '<a href="/courses/">Courses</a>' in client.get(taxi_course.url).content.decode()
