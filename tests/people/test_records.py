"""Issue 14, finding 10: a learner sees and downloads everything held about them, and
nobody else's; each look is logged."""

import json

import pytest
from django.urls import reverse

from training_site.people.models import AccountEvent

from .records_world import history_make, records_course_snapshot  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(records_course_snapshot):  # noqa: F811
    return history_make(
        records_course_snapshot,
        full_name="Olamide Adeyemi-Brook",
        licence="HC20931",
        workplace="The Halifax Arms",
    )


@pytest.fixture
def other(records_course_snapshot):  # noqa: F811
    return history_make(
        records_course_snapshot,
        full_name="Zbigniew Other-Person",
        licence="HC77777",
        workplace="Someone Else's Hotel",
    )


def held_about(history) -> list[str]:
    """Words from every kind of record the learner has: profile, licence, workplace, email,
    course, lessons, attempts and their answers, certificate."""
    question = history.attempt.items[0]
    return [
        history.user.email,
        history.certificate.full_name,
        history.user.licences.get().number,
        history.user.profile.organisation.name,
        "Calderdale",
        "Course records-course",
        "Lesson 2.2",
        question["prompt"],
        history.certificate.display_code,
    ]


def test_the_records_page_shows_everything_held_and_is_logged(client, history):
    client.force_login(history.user)
    response = client.get(reverse("people:records"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in held_about(history):
        assert text in html, text
    assert "Test attempts" in html and "Your answer" in html
    assert "no-store" in response["Cache-Control"]
    assert list(AccountEvent.objects.values_list("who", "kind")) == [
        (history.user.pk, AccountEvent.Kind.RECORDS_VIEWED)
    ]


def test_the_download_is_a_json_file_of_everything_and_is_logged(client, history):
    client.force_login(history.user)
    response = client.get(reverse("people:records_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="spot-the-signs-records-'
    )
    assert "no-store" in response["Cache-Control"]
    records = json.loads(response.content)["records"]
    assert records["account"]["email"] == history.user.email
    assert records["profile"]["full_name"] == "Olamide Adeyemi-Brook"
    assert records["licences"][0]["number"] == "HC20931"
    assert records["organisation"]["name"] == "The Halifax Arms"
    assert [c["course"] for c in records["courses"]] == ["Course records-course"]
    assert records["courses"][0]["completed"] is not None
    assert len(records["lessons_finished"]) == 4
    assert [(a["attempt"], a["passed"]) for a in records["test_attempts"]] == [
        (1, False),
        (2, True),
    ]
    first_answer = records["test_attempts"][1]["answers"][0]
    assert first_answer["question"] == history.attempt.items[0]["prompt"]
    assert first_answer["your_answer"][0].startswith("Right answer")
    certificate = records["certificates"][0]
    assert certificate["code"] == history.certificate.display_code
    assert certificate["licences"] == ["HC20931 (Calderdale)"]
    assert certificate["history"][0]["what"] == "Issued"
    # The test's answer key and feedback are the course's, never sent.
    assert "answer_key" not in response.content.decode()
    assert "Yes because" not in response.content.decode()
    assert AccountEvent.objects.get().kind == AccountEvent.Kind.RECORDS_DOWNLOADED


def test_another_learners_records_never_appear(client, history, other):
    client.force_login(history.user)
    page = client.get(reverse("people:records")).content.decode()
    download = client.get(reverse("people:records_download")).content.decode()
    for text in [*held_about(other)[:4], other.certificate.display_code]:
        assert text not in page, text
        assert text not in download, text
    assert not AccountEvent.objects.filter(who=other.user).exists()


@pytest.mark.parametrize("name", ["people:records", "people:records_download"])
def test_records_need_a_signed_in_learner(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not AccountEvent.objects.exists()


def test_the_profile_page_links_to_records_and_closing(client, history):
    client.force_login(history.user)
    html = client.get(reverse("people:profile")).content.decode()
    assert reverse("people:records") in html
    assert reverse("people:account_close") in html
