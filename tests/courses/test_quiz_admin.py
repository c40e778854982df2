"""Editors build question pools in the admin; editors and leads see how questions fare."""

import pytest

from courses.forms import question_problems
from courses.models import CoursePage, Question, QuizPage
from training_site.people.roles import Role

from ..people.factories import BoroughFactory, UserFactory, role_assign
from ..people.sessions import sign_in_past_two_step

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "options", "scenario", "problem"),
    [
        ("single", [("A", True), ("B", True)], "", "exactly one answer as correct"),
        ("scenario", [("A", True), ("B", False)], "", "situation written out"),
        ("multiple", [("A", True), ("B", False), ("C", False)], "", "at least two correct"),
        ("multiple", [("A", True), ("B", True)], "", "must be wrong"),
        ("true_false", [("Yes", True), ("No", False)], "", '"True" and "False"'),
        ("single", [("A", True)], "", "at least two answers"),
    ],
)
def test_questions_that_do_not_make_sense_are_refused(kind, options, scenario, problem):
    assert any(
        problem in text for text in question_problems(kind=kind, options=options, scenario=scenario)
    )


def test_a_sound_question_passes():
    assert (
        question_problems(
            kind="true_false", options=[("True", False), ("False", True)], scenario=""
        )
        == []
    )


@pytest.fixture
def content(site_content):
    """The real content, loaded once per session (tests/snapshots.py)."""


def signed_in(client, role, **place):
    user = UserFactory()
    role_assign(user, role, **place)
    sign_in_past_two_step(client, user)
    return user


def test_every_adult_course_has_a_test_and_a_full_pool(content):
    for course in CoursePage.objects.filter(for_pupils=False):
        assert QuizPage.objects.child_of(course).live().exists(), course
        pool = Question.objects.filter(course=course, live=True)
        assert pool.count() >= 15, course
        assert pool.filter(kind="scenario").count() * 2 > pool.count(), "mostly scenarios"
        assert not pool.filter(lesson__isnull=True).exists()
        for question in pool.prefetch_related("options"):
            options = [(o.text, o.is_correct) for o in question.options.all()]
            assert (
                question_problems(kind=question.kind, options=options, scenario=question.scenario)
                == []
            )
            assert all(o.feedback for o in question.options.all())


def test_each_pupil_lesson_has_a_quick_check(content):
    pupils = CoursePage.objects.get(for_pupils=True)
    for lesson in pupils.lessons:
        assert Question.objects.filter(lesson=lesson, live=True).count() >= 3, lesson


def test_editor_adds_a_question_in_the_admin(client, content):
    signed_in(client, Role.EDITOR)
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    lesson = course.lessons[0]
    data = {
        "course": course.pk,
        "lesson": lesson.pk,
        "kind": "single",
        "scenario": "",
        "prompt": "Which number do you call in an emergency?",
        "options-TOTAL_FORMS": "2",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "6",
        "options-0-text": "999",
        "options-0-is_correct": "on",
        "options-0-feedback": "Yes: a child in danger now is an emergency.",
        "options-0-ORDER": "1",
        "options-1-text": "101",
        "options-1-feedback": "101 is for concerns that are not emergencies.",
        "options-1-ORDER": "2",
    }
    response = client.post("/admin/snippets/courses/question/add/", data)
    assert response.status_code == 302, response.content[:2000]
    question = Question.objects.get(prompt__startswith="Which number")
    assert not question.live  # an editor's question waits for a reviewer to publish it

    data["options-1-is_correct"] = "on"
    data["prompt"] = "Two right answers?"
    response = client.post("/admin/snippets/courses/question/add/", data)
    assert response.status_code == 200
    assert b"Mark exactly one answer as correct" in response.content


def test_leads_and_editors_see_question_statistics_learners_do_not(client, content):
    signed_in(client, Role.BOROUGH_LEAD, borough=BoroughFactory())
    response = client.get("/admin/reports/questions/")
    assert response.status_code == 200
    assert b"Shown" in response.content

    client.logout()
    learner = UserFactory()
    client.force_login(learner)
    assert client.get("/admin/reports/questions/").status_code in (302, 403)
