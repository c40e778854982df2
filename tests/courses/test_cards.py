"""Printable cards (issue 15): one page per audience and borough, at the real paper size,
with the course's own words, only sourced numbers, and a QR code that opens the help page
for that borough. Timings are measured by the benchmark, never here."""

import datetime
import io

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from courses.cards.content import SignsList, card_for, card_words, shared_out
from courses.cards.pdf import PAPERS, card_html
from courses.models import CoursePage, LessonPage
from courses.models.pages import months_in_words
from training_site.people.models import Audience, Borough

from ..certificates.factories import driver_with_licence, issue
from ..certificates.test_pdf import HOSTILE_NAMES, LIBRARIES, ResourceWatch
from ..certificates.test_pdf import STATIC_DIR as PDF_STATIC_DIR
from ..people.factories import DriverAudienceFactory
from .factories import course_build, quiz_build
from .test_pass_to_certificate import learner_ready, pass_test

pytestmark = pytest.mark.django_db

MM_PER_POINT = 25.4 / 72
PAPER_MM = {"a6": (105, 148), "a5": (148, 210)}


def card_url(audience: str, borough: str, paper: str) -> str:
    return reverse(
        "cards:pdf", kwargs={"audience_slug": audience, "borough_slug": borough, "paper": paper}
    )


def read_pdf(pdf: bytes) -> dict:
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    page = document[0]
    width, height = page.get_size()
    image = page.render(scale=2).to_pil()
    read = {
        "pages": len(document),
        "mm": (round(width * MM_PER_POINT), round(height * MM_PER_POINT)),
        "text": page.get_textpage().get_text_range(),
        "codes": [result.text for result in zxingcpp.read_barcodes(image)],
    }
    document.close()
    return read


def carded_audiences() -> list[Audience]:
    return [
        audience
        for audience in Audience.objects.filter(is_active=True)
        if CoursePage.objects.live().filter(audience=audience, for_pupils=False).exists()
    ]


def test_every_audience_and_borough_has_a_one_page_card_that_scans_to_its_help_page(
    site_content, client, settings
):
    audiences = carded_audiences()
    boroughs = list(Borough.objects.all())
    assert len(audiences) == 3
    assert len(boroughs) >= 11
    for audience in audiences:
        for borough in boroughs:
            for paper, size in PAPER_MM.items():
                response = client.get(card_url(audience.slug, borough.slug, paper))
                assert response.status_code == 200, (audience.slug, borough.slug, paper)
                assert response["Content-Type"] == "application/pdf"
                read = read_pdf(response.content)
                where = (audience.slug, borough.slug, paper)
                assert read["pages"] == 1, where
                assert read["mm"] == size, where
                assert read["codes"] == [
                    f"{settings.PUBLIC_BASE_URL}/help/?borough={borough.slug}"
                ], where
                assert "call 999" in read["text"], where
                assert borough.name.upper() in read["text"], where


def test_the_qr_code_opens_the_help_page_showing_that_borough(site_content, client):
    card = card_for(audience_slug="taxi-private-hire", borough_slug="calderdale")
    path = card.help_url.split("://", 1)[1].partition("/")[2]
    response = client.get("/" + path)
    assert response.status_code == 200
    assert response.context["borough"].slug == "calderdale"


def test_the_card_quotes_the_lesson_with_the_most_signs(site_content):
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    card = card_for(audience_slug="taxi-private-hire", borough_slug="kirklees")
    source = next(lesson for lesson in lessons if lesson.title == card.words.lesson_title)
    lesson_signs = [
        item
        for block in source.body
        if block.block_type == "signs"
        for item in block.value["items"]
    ]
    lesson_steps = [
        step
        for block in source.body
        if block.block_type == "steps"
        for step in block.value["steps"]
    ]
    on_card = [item for signs in card.words.signs for item in signs.items]
    assert 4 <= len(on_card) <= 8
    assert set(on_card) <= set(lesson_signs)
    assert set(card.words.steps) <= set(lesson_steps)
    assert card.words.steps
    # Each list keeps its first signs: the ones editors put first.
    assert [signs.items[0] for signs in card.words.signs] == [
        block.value["items"][0] for block in source.body if block.block_type == "signs"
    ]


def test_signs_are_shared_between_lists_and_cut_from_the_end():
    lists = [
        SignsList("At booking", ("a", "b", "c", "d", "e")),
        SignsList("At check-in", ("f", "g")),
    ]
    kept = shared_out(lists, limit=5, line_budget=100)
    assert kept == (SignsList("At booking", ("a", "b", "c")), SignsList("At check-in", ("f", "g")))
    # A tight line budget keeps fewer; a long sign costs more than one line.
    assert sum(len(s.items) for s in shared_out(lists, limit=8, line_budget=5)) == 2
    long_one = [SignsList("Signs", ("x" * 130, "y"))]
    assert shared_out(long_one, limit=8, line_budget=5) == (SignsList("Signs", ("x" * 130,)),)


def test_a_course_without_signs_has_no_card():
    assert card_words([]) is None


@pytest.mark.parametrize(
    ("audience", "borough", "paper"),
    [
        ("no-such-role", "kirklees", "a6"),
        ("taxi-private-hire", "no-such-borough", "a6"),
        ("taxi-private-hire", "kirklees", "a4"),
        ("taxi-private-hire", "kirklees", "A6"),
    ],
)
def test_an_unknown_role_borough_or_paper_is_not_found(
    site_content, client, audience, borough, paper
):
    response = client.get(card_url(audience, borough, paper))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/cards/taxi-private-hire/kirklees/a6.pdf.exe",
        "/cards/taxi-private-hire/kirkl%00ees/a6.pdf",
        "/cards/taxi%E2%80%AE/kirklees/a6.pdf",
        "/cards/../../etc/passwd/a6.pdf",
        "/cards/" + "a" * 500 + "/kirklees/a6.pdf",
    ],
)
def test_hostile_addresses_are_not_found(site_content, client, path):
    assert client.get(path).status_code == 404


def test_an_inactive_audience_has_no_card(site_content, client):
    Audience.objects.filter(slug="hotel-bnb").update(is_active=False)
    assert client.get(card_url("hotel-bnb", "kirklees", "a6")).status_code == 404


def test_an_audience_with_only_pupil_lessons_has_no_card(site_content, client):
    pupils_only = Audience.objects.create(
        name="Pupil helpers", slug="pupil-helpers", membership="organisation"
    )
    CoursePage.objects.filter(for_pupils=True).update(audience=pupils_only)
    assert client.get(card_url("pupil-helpers", "kirklees", "a6")).status_code == 404


def sourced(borough: Borough, **numbers) -> Borough:
    for name, number in numbers.items():
        setattr(borough, name, number)
        setattr(borough, f"{name}_source", f"https://www.example.gov.uk/{name}")
        setattr(borough, f"{name}_checked", datetime.date(2026, 12, 1))
    borough.save()
    return borough


def test_sourced_numbers_are_printed_and_the_fallback_goes(site_content, client):
    sourced(
        Borough.objects.get(slug="halton"),
        social_care_phone="0151 555 0101",
        out_of_hours_phone="0345 555 0202",
    )
    text = read_pdf(client.get(card_url("school-staff", "halton", "a6")).content)["text"]
    assert "0151 555 0101" in text
    assert "0345 555 0202" in text
    assert "use the number on" not in text


def test_a_number_without_its_source_is_never_printed(site_content, client):
    borough = Borough.objects.get(slug="halton")
    borough.social_care_phone = "0151 555 0101"
    borough.out_of_hours_phone = "0345 555 0202"
    borough.social_care_phone_source = ""
    borough.out_of_hours_phone_checked = None
    borough.save()
    text = read_pdf(client.get(card_url("school-staff", "halton", "a6")).content)["text"]
    assert "0151 555 0101" not in text
    assert "0345 555 0202" not in text
    assert "Call the police on 101, or 999 in an emergency." in " ".join(text.split())
    assert "use the number on Halton's" in " ".join(text.split())


def test_night_workers_see_the_out_of_hours_number_first(site_content):
    Audience.objects.filter(slug="taxi-private-hire").update(works_nights=True)
    sourced(
        Borough.objects.get(slug="halton"),
        social_care_phone="0151 555 0101",
        out_of_hours_phone="0345 555 0202",
    )
    card = card_for(audience_slug="taxi-private-hire", borough_slug="halton")
    assert card.local.night_first
    html = card_html(card, PAPERS["a6"])
    assert html.index("0345 555 0202") < html.index("0151 555 0101")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_printed_as_text_and_fetch_nothing(site_content, client, name):
    Borough.objects.filter(slug="kirklees").update(name=name)
    Audience.objects.filter(slug="taxi-private-hire").update(name=name)
    cache.clear()
    client.get(card_url("taxi-private-hire", "kirklees", "a6"))  # warm: imports, fonts
    cache.clear()
    with ResourceWatch() as events:
        response = client.get(card_url("taxi-private-hire", "kirklees", "a6"))
    assert response.status_code == 200
    sockets = [event for event in events if event[0] != "open"]
    assert not sockets, sockets
    outside = [
        path
        for kind, path in events
        if kind == "open" and not path.startswith((str(PDF_STATIC_DIR), *LIBRARIES))
    ]
    assert not outside, outside
    read = read_pdf(response.content)
    assert read["pages"] == 1
    assert "".join(name.split()) in "".join(read["text"].split())


def test_the_card_is_public_and_cache_friendly(site_content, client):
    url = card_url("hotel-bnb", "leeds", "a5")
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # A changed card is a new ETag, so nobody keeps printing old numbers.
    sourced(Borough.objects.get(slug="leeds"), social_care_phone="0113 555 0303")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_cards_page_offers_both_sizes(site_content, client):
    response = client.get(reverse("cards:index"), {"audience": "hotel-bnb", "borough": "leeds"})
    assert response.status_code == 200
    html = response.content.decode()
    assert card_url("hotel-bnb", "leeds", "a6") in html
    assert card_url("hotel-bnb", "leeds", "a5") in html
    assert "sun visor" in html and "front desk" in html


@pytest.mark.parametrize(
    "query",
    [{"audience": "nobody", "borough": "leeds"}, {"audience": "hotel-bnb", "borough": "\x00"}],
)
def test_the_cards_page_refuses_an_unknown_choice_with_a_message(site_content, client, query):
    response = client.get(reverse("cards:index"), query)
    assert response.status_code == 400
    assert "from the list" in response.content.decode()


def test_the_cards_page_without_a_choice_is_a_form(site_content, client):
    response = client.get(reverse("cards:index"))
    assert response.status_code == 200
    assert 'name="borough"' in response.content.decode()


@pytest.mark.parametrize(
    ("months", "words"),
    [(12, "1 year"), (36, "3 years"), (1, "1 month"), (18, "18 months"), (24, "2 years")],
)
def test_validity_in_words(months, words):
    assert months_in_words(months) == words


def test_the_course_page_says_valid_for_1_year_not_1_years(site_content, client):
    course = CoursePage.objects.get(slug="teachers-and-school-staff")
    assert course.validity_months == 12
    html = client.get(course.url).content.decode()
    assert "valid for 1 year." in html
    assert "1 years" not in html


def test_the_last_lesson_links_to_the_card_and_the_others_do_not(site_content, client):
    course = CoursePage.objects.get(slug="hotel-and-bnb")
    first, *_, last = course.lessons
    assert "/cards/?audience=hotel-bnb" in client.get(last.url).content.decode()
    assert "/cards/" not in client.get(first.url).content.decode()


def test_pupil_lessons_offer_no_card(site_content, client):
    course = CoursePage.objects.get(for_pupils=True)
    assert "/cards/" not in client.get(course.lessons[-1].url).content.decode()


def test_the_result_page_with_the_certificate_links_to_the_learners_card():
    course = course_build(audience=DriverAudienceFactory(), slug="taxi", validity_months=36)
    quiz = quiz_build(course=course, cooldown_minutes=0)
    learner = learner_ready(course)
    attempt = pass_test(course, quiz, learner)
    client = Client()
    client.force_login(learner)
    html = client.get(quiz.result_url(attempt)).content.decode()
    assert "Your certificate is ready" in html
    borough = learner.profile.home_borough.slug
    assert f"/cards/?audience={course.audience.slug}&amp;borough={borough}" in html


def test_my_certificates_links_to_the_learners_card(client):
    learner = driver_with_licence()
    issue(learner)
    client.force_login(learner)
    html = client.get(reverse("certificates:mine")).content.decode()
    profile = learner.profile
    assert (
        f"/cards/?audience={profile.audience.slug}&amp;borough={profile.home_borough.slug}" in html
    )


def test_an_unconfirmed_borough_names_its_website_and_long_addresses_stay_off_the_card(
    site_content, client
):
    borough = Borough.objects.get(slug="leeds")
    assert not borough.contacts_confirmed
    sourced(
        borough,
        website="https://www.leeds.gov.uk/",
        web_page="https://www.leeds.gov.uk/" + "x" * 80,
    )
    text = " ".join(
        read_pdf(client.get(card_url("hotel-bnb", "leeds", "a6")).content)["text"].split()
    )
    assert "use the number on Leeds's website, www.leeds.gov.uk." in text
    assert "To report a concern online, scan the code." in text
    assert "x" * 20 not in text
