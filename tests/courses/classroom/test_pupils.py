"""Pupils join with a code, answer anonymously and ask questions; nothing identifies them."""

import logging

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client

from courses.classroom import services
from courses.classroom.models import AnonymousQuestion, ClassSession, PupilAnswer
from courses.models import LessonPage, ModulePage, Question, QuestionOption

from ..factories import publish
from .factories import pupil_lesson_build, session_start, teacher_build

pytestmark = pytest.mark.django_db

PUPIL_ADDRESS = "203.0.113.77"
PUPIL_BROWSER = "PupilPhone/1.0 (Distinctive Browser 42)"


@pytest.fixture
def session():
    lesson = pupil_lesson_build()
    return session_start(teacher_build(lesson), lesson)


def pupil() -> Client:
    return Client(REMOTE_ADDR=PUPIL_ADDRESS, HTTP_USER_AGENT=PUPIL_BROWSER)


def joined(session) -> Client:
    client = pupil()
    response = client.post("/join/", {"code": session.join_code.lower()})
    assert response.status_code == 302, response.content
    return client


def test_the_join_page_takes_a_code_from_the_board_or_the_qr_code(session):
    page = pupil().get(f"/join/?code={session.join_code}")
    assert page.status_code == 200
    assert f'value="{session.join_code}"' in page.content.decode()
    assert page.cookies == {} or set(page.cookies) == set()


def test_joining_sets_one_anonymous_cookie_and_nothing_else(session):
    client = pupil()
    response = client.post("/join/", {"code": f" {session.join_code[:3]} {session.join_code[3:]}"})
    assert response.status_code == 302
    assert response["Location"] == "/join/lesson/"
    assert set(response.cookies) == {"pupil"}
    cookie = response.cookies["pupil"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/join/"
    page = client.get("/join/lesson/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Quick check 0?" in body and "It is never your fault." in body
    assert 'href="tel:08001111"' in body
    assert set(page.cookies) == set()
    session.refresh_from_db()
    assert session.joined_count == 1
    # Joining again from the same phone does not count twice.
    client.post("/join/", {"code": session.join_code})
    session.refresh_from_db()
    assert session.joined_count == 1


@pytest.mark.parametrize("code", ["", "ZZZZZZ", "<b>1</b>", "x" * 200, "\x00"])
def test_wrong_codes_are_refused_plainly(session, code):
    response = pupil().post("/join/", {"code": code})
    assert response.status_code in (400, 404)
    assert "pupil" not in response.cookies


def test_an_ended_sessions_code_no_longer_works(session):
    client = joined(session)
    services.class_session_end(session=session)
    assert pupil().post("/join/", {"code": session.join_code}).status_code == 404
    response = client.get("/join/lesson/")
    assert response.status_code == 410
    assert "has ended" in response.content.decode()
    answer = client.post("/join/answer/", {"question": "1", "option": "1"})
    assert answer.status_code == 410


def test_guessing_codes_is_stopped_but_a_class_behind_one_address_can_join(session):
    for _ in range(40):
        assert joined(session)  # right codes from one school address are never limited
    guesser = pupil()
    statuses = [guesser.post("/join/", {"code": f"{n:06d}"}).status_code for n in range(25)]
    assert statuses[:20] == [404] * 20
    assert statuses[20:] == [429] * 5
    refused = guesser.post("/join/", {"code": session.join_code})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"


def answer(client, question, option):
    return client.post("/join/answer/", {"question": question.pk, "option": option.pk})


def test_a_pupil_can_change_an_answer_and_only_the_latest_counts(session):
    client = joined(session)
    question = session.lesson.questions.order_by("pk").first()
    right, wrong, _ = question.options.order_by("pk")
    for _ in range(100):
        assert answer(client, question, wrong).status_code == 302
    assert answer(client, question, right).status_code == 302
    row = PupilAnswer.objects.get()
    assert row.option == right


def test_answers_that_do_not_belong_are_refused(session):
    client = joined(session)
    other_lesson = pupil_lesson_build_other()
    question = session.lesson.questions.first()
    foreign = other_lesson.questions.first()
    cases = [
        {"question": foreign.pk, "option": foreign.options.first().pk},
        {"question": question.pk, "option": foreign.options.first().pk},
        {"question": "abc", "option": "1"},
        {"question": "²", "option": "1"},
        {"question": "9" * 40, "option": "1"},
        {},
    ]
    for data in cases:
        response = client.post("/join/answer/", data)
        assert response.status_code == 400, data
    assert not PupilAnswer.objects.exists()


def pupil_lesson_build_other():

    course = ClassSession.objects.get().lesson.course
    module = publish(course.add_child(instance=ModulePage(title="KS4", slug="ks4")))
    other = publish(module.add_child(instance=LessonPage(title="Other", slug="other", body=[])))

    question = Question(course=course, lesson=other, kind="single", prompt="Other?")
    question.options = [
        QuestionOption(text="A", is_correct=True, feedback="."),
        QuestionOption(text="B", feedback="."),
    ]
    question.save()
    question.save_revision().publish()
    return LessonPage.objects.get(pk=other.pk)


@pytest.mark.parametrize(
    "text, status",
    [("", 400), ("   \n  ", 400), ("x" * 301, 400), ("y" * 5000, 400)],
)
def test_bad_anonymous_questions_are_refused(session, text, status):
    response = joined(session).post("/join/ask/", {"text": text})
    assert response.status_code == status
    assert not AnonymousQuestion.objects.exists()


def test_questions_are_kept_as_text_and_shown_escaped_to_the_teacher_only(session):
    client = joined(session)
    response = client.post("/join/ask/", {"text": "<script>alert(1)</script> is it\x07 ok?"})
    assert response.status_code == 302
    assert AnonymousQuestion.objects.get().text == "<script>alert(1)</script> is it ok?"
    teacher = Client()
    teacher.force_login(session.teacher)
    page = teacher.get(f"/classroom/{session.pk}/results/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is it ok?" in page
    assert "tell your designated safeguarding lead" in page
    assert "<script>alert" not in page
    assert "alert(1)" not in client.get("/join/lesson/").content.decode()


def test_the_teacher_sees_tallies_never_one_pupils_answers(session):
    question = session.lesson.questions.order_by("pk").first()
    right, wrong, _ = question.options.order_by("pk")
    for choice in [right, right, right, wrong]:
        answer(joined(session), question, choice)
    teacher = Client()
    teacher.force_login(session.teacher)
    page = teacher.get(f"/classroom/{session.pk}/results/").content.decode()
    assert "<strong>4</strong> joined · <strong>4</strong> answered" in page
    assert "75% (3)" in page and "25% (1)" in page
    assert not any(row.pupil_token in page for row in PupilAnswer.objects.all())


def test_no_row_or_log_line_holds_anything_that_identifies_a_pupil(session, caplog):
    caplog.set_level(logging.DEBUG)
    client = joined(session)
    question = session.lesson.questions.first()
    answer(client, question, question.options.first())
    client.post("/join/ask/", {"text": "What if my friend is in trouble?"})
    client.post("/join/", {"code": "WRONG1"})
    client.get("/join/lesson/")
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    assert PUPIL_ADDRESS not in logged and "Distinctive Browser" not in logged
    # Every column of every row the session's tables hold.
    for model in apps.get_app_config("classroom").get_models():
        for row in model.objects.values():
            text = repr(row)
            assert PUPIL_ADDRESS not in text and "Distinctive" not in text, model
    # And nothing at all, in any table, mentions the pupil's address or browser.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = repr(row)
                assert PUPIL_ADDRESS not in text and "Distinctive" not in text, table
    # The request log formats say nothing of the client either.
    formats = repr(settings.LOGGING)
    for field in ("remote_addr", "REMOTE_ADDR", "HTTP_USER_AGENT", "%(h)s"):
        assert field not in formats
