"""A teacher starts, presents, watches and ends a session; nobody else can."""

import base64
import io
import re
from datetime import timedelta
from io import StringIO

import pytest
import zxingcpp
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from courses.classroom import services
from courses.classroom.models import (
    AnonymousQuestion,
    ClassSession,
    LessonDelivery,
    PupilAnswer,
)
from training_site.people.models import Organisation

from ...people.factories import LearnerProfileFactory, OrganisationFactory
from .factories import (
    GUIDANCE,
    MODEL_ANSWER,
    TEACHER_NOTE,
    pupil_lesson_build,
    session_start,
    teacher_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    return pupil_lesson_build()


@pytest.fixture
def teacher(lesson):
    return teacher_build(lesson)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_teacher_starts_a_session_with_a_join_code(lesson, teacher):
    client = signed_in(teacher)
    response = client.post(
        f"/classroom/start/{lesson.pk}/",
        {"year_group": "8", "class_size": "28", "taught_on": timezone.localdate().isoformat()},
    )
    session = ClassSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/classroom/{session.pk}/"
    assert session.school == teacher.profile.organisation
    assert len(session.join_code) == 6
    assert session.closes_at - session.started_at == timedelta(hours=3)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"{session.join_code[:3]} {session.join_code[3:]}" in page.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"year_group": "", "class_size": "28"}, "Choose the year group"),
        ({"year_group": "8", "class_size": "0"}, "at least 1"),
        ({"year_group": "8", "class_size": "500"}, "60 or fewer"),
        ({"year_group": "8", "class_size": "²"}, "as a number"),
        ({"year_group": "99", "class_size": "20"}, "Select a valid choice"),
    ],
)
def test_a_bad_start_form_says_what_is_wrong(lesson, teacher, data, message):
    data = {"taught_on": timezone.localdate().isoformat(), **data}
    response = signed_in(teacher).post(f"/classroom/start/{lesson.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClassSession.objects.exists()


def test_only_school_staff_at_a_school_may_start_a_session(lesson):
    hotel = OrganisationFactory(kind=Organisation.Kind.PREMISES)
    not_a_school = LearnerProfileFactory(
        audience=lesson.course.audience, organisation=hotel, onboarded=True
    ).user
    other_audience = LearnerProfileFactory(onboarded=True).user
    for user in (not_a_school, other_audience):
        assert signed_in(user).get(f"/classroom/start/{lesson.pk}/").status_code == 403
    assert Client().get(f"/classroom/start/{lesson.pk}/").status_code == 302


def test_an_unconfirmed_email_cannot_start_a_session(lesson, teacher):
    teacher.emailaddress_set.update(verified=False)
    assert signed_in(teacher).get(f"/classroom/start/{lesson.pk}/").status_code == 403


def test_another_teacher_cannot_open_someone_elses_session(lesson, teacher):
    session = session_start(teacher, lesson)
    other = teacher_build(lesson, school=teacher.profile.organisation)
    client = signed_in(other)
    for url in [
        f"/classroom/{session.pk}/",
        f"/classroom/{session.pk}/results/",
        f"/classroom/{session.pk}/present/1/",
    ]:
        assert client.get(url).status_code == 404
    assert client.post(f"/classroom/{session.pk}/end/").status_code == 404
    session.refresh_from_db()
    assert session.ended_at is None


def test_the_presented_screens_never_show_teacher_notes(lesson, teacher):
    session = session_start(teacher, lesson)
    client = signed_in(teacher)
    screens = []
    number = 0
    while True:
        response = client.get(f"/classroom/{session.pk}/present/{number}/")
        if response.status_code == 404:
            break
        assert response.status_code == 200
        screens.append(response.content.decode())
        number += 1
    assert len(screens) == 6  # join screen, four sections, closing screen
    everything = "".join(screens)
    for secret in (TEACHER_NOTE, MODEL_ANSWER, GUIDANCE):
        assert secret not in everything
    assert "Sam is 13" in everything and "What makes a good friend?" in everything
    assert session.join_code[:3] in screens[0] and session.join_code[:3] in screens[-1]
    assert 'rel="next"' in screens[0] and 'rel="prev"' in screens[-1]
    # The teacher's own view carries them, beside the screen they belong to.
    teacher_view = client.get(f"/classroom/{session.pk}/").content.decode()
    for secret in (TEACHER_NOTE, MODEL_ANSWER, GUIDANCE):
        assert secret in teacher_view


def test_ending_records_one_delivery_however_often_it_is_pressed(lesson, teacher):
    session = session_start(teacher, lesson, class_size=24, year_group="9")
    PupilAnswer.objects.create(
        session=session,
        pupil_token="a" * 32,
        question=lesson.questions.first(),
        option=lesson.questions.first().options.first(),
    )
    client = signed_in(teacher)
    for _ in range(3):
        assert client.post(f"/classroom/{session.pk}/end/").status_code == 302
    delivery = LessonDelivery.objects.get()
    assert delivery.school == teacher.profile.organisation
    assert delivery.borough == teacher.profile.organisation.borough
    assert (delivery.lesson_title, delivery.year_group) == ("Healthy friendships", "9")
    assert (delivery.class_size, delivery.answered_count) == (24, 1)
    assert delivery.teacher == teacher


def test_a_session_ends_itself_after_three_hours(lesson, teacher):
    session = session_start(teacher, lesson)
    later = session.started_at + timedelta(hours=3, minutes=1)
    assert ClassSession.objects.open(later).count() == 0
    assert services.class_sessions_end_due(now=later) == 1
    session.refresh_from_db()
    assert session.ended_at == session.closes_at
    assert LessonDelivery.objects.filter(session=session).exists()


def test_an_ended_sessions_code_can_be_drawn_again(lesson, teacher, monkeypatch):
    first = session_start(teacher, lesson)
    services.class_session_end(session=first)
    monkeypatch.setattr(services, "join_code_generate", lambda: first.join_code)
    second = session_start(teacher, lesson)
    assert second.join_code == first.join_code
    # While the second is open, nobody else can be given that code.
    with pytest.raises(services.ClassroomRefusal):
        session_start(teacher, lesson)


def test_retention_deletes_pupils_answers_and_questions_after_30_days(lesson, teacher):
    session = session_start(teacher, lesson)
    AnonymousQuestion.objects.create(session=session, text="Is it OK to say no?")
    question = lesson.questions.first()
    PupilAnswer.objects.create(
        session=session, pupil_token="b" * 32, question=question, option=question.options.first()
    )
    services.class_session_end(session=session)
    ClassSession.objects.filter(pk=session.pk).update(ended_at=timezone.now() - timedelta(days=29))
    call_command("retention", "--apply", stdout=StringIO())
    assert AnonymousQuestion.objects.count() == 1
    ClassSession.objects.filter(pk=session.pk).update(ended_at=timezone.now() - timedelta(days=31))
    call_command("retention", stdout=StringIO())  # a dry run deletes nothing
    assert AnonymousQuestion.objects.count() == 1
    call_command("retention", "--apply", stdout=StringIO())
    assert not AnonymousQuestion.objects.exists()
    assert not PupilAnswer.objects.exists()
    assert LessonDelivery.objects.count() == 1


def test_a_teacher_downloads_a_letter_for_parents_that_names_their_school(lesson, teacher):
    school = teacher.profile.organisation
    school.name = "St Łucja's {Church} \\ School"
    school.save()
    response = signed_in(teacher).get(f"/classroom/letter/{lesson.course.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rtf"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("ascii")
    assert text.startswith("{\\rtf1") and text.rstrip().endswith("}")
    assert text.count("{") - text.count("\\{") == text.count("}") - text.count("\\}")
    assert "St \\u321?ucja's \\{Church\\} \\\\ School" in text
    assert "Healthy friendships" in text and "0800 1111" in text and "0808 800 5000" in text


def test_only_a_teacher_of_pupil_lessons_gets_the_letter(lesson):
    other = LearnerProfileFactory(onboarded=True).user
    assert signed_in(other).get(f"/classroom/letter/{lesson.course.pk}/").status_code == 403
    assert Client().get(f"/classroom/letter/{lesson.course.pk}/").status_code == 302


def test_the_join_screens_qr_code_opens_the_join_page_with_the_code(lesson, teacher):
    session = session_start(teacher, lesson)
    page = signed_in(teacher).get(f"/classroom/{session.pk}/present/0/").content.decode()
    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    [decoded] = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == f"{settings.PUBLIC_BASE_URL}/join/?code={session.join_code}"
    assert Client().get(decoded.removeprefix(settings.PUBLIC_BASE_URL)).status_code == 200
