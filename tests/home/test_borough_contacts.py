"""What learners read about their council: real numbers, out of hours first for night
roles, and a fallback that never claims 101 puts anyone through to children's services."""

import re
from pathlib import Path

import pytest
from django.utils.html import strip_tags

from courses.blocks import LessonBodyBlock
from courses.models import CoursePage, LessonPage
from training_site.people.models import Audience, Borough

from ..people.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
WHO_TO_CALL = LessonBodyBlock().child_blocks["who_to_call"]
# "Call 101 and ask for children's social care": the police do not put callers through.
POLICE_PUT_THROUGH = re.compile(
    r"101[^.;]{0,80}\b(ask for|put (you )?through|connect)[^.;]{0,40}"
    r"children'?s (social care|services)",
    re.IGNORECASE,
)
FALLBACK = (
    "call the police on 101, or 999 in an emergency; to reach {name} children's services "
    "use the number on {name}'s website"
)


def text_of(html: str) -> str:
    return " ".join(strip_tags(html).replace("&#x27;", "'").split())


def who_to_call(borough: Borough, *, works_nights: bool) -> str:
    value = WHO_TO_CALL.to_python({"heading": "Who to call", "for_young_people": False})
    return WHO_TO_CALL.render(
        value,
        context={"learner_borough": borough, "learner_works_nights": works_nights},
    )


def learner_in(client, *, borough_slug: str, audience_slug: str) -> None:
    profile = LearnerProfileFactory(
        onboarded=True,
        home_borough=Borough.objects.get(slug=borough_slug),
        audience=Audience.objects.get(slug=audience_slug),
    )
    client.force_login(profile.user)


def test_the_fallback_sends_people_to_the_councils_website_never_through_101(client, site_content):
    for borough in Borough.objects.all():
        html = client.get("/help/", {"borough": borough.slug}).content.decode()
        text = text_of(html)
        assert not POLICE_PUT_THROUGH.search(text), borough.slug
        if borough.contacts_confirmed:
            assert borough.social_care_phone in text, borough.slug
            assert borough.out_of_hours_phone in text, borough.slug
            assert FALLBACK.format(name=borough.name).lower() not in text.lower(), borough.slug
            if borough.web_page:
                assert f'<a href="{borough.web_page}">' in html, borough.slug
        else:
            assert FALLBACK.format(name=borough.name).lower() in text.lower(), borough.slug
            assert f'<a href="{borough.website}">{borough.name}\'s website</a>' in html


def test_no_template_or_fixture_says_101_puts_callers_through():
    for folder, pattern in (("templates", "*.html"), ("fixtures", "*.yaml")):
        for path in (ROOT / folder).rglob(pattern):
            text = " ".join(path.read_text().split())
            assert not POLICE_PUT_THROUGH.search(text), path


def test_night_roles_see_the_out_of_hours_number_first(site_content):
    calderdale = Borough.objects.get(slug="calderdale")
    night = text_of(who_to_call(calderdale, works_nights=True))
    day = text_of(who_to_call(calderdale, works_nights=False))
    assert night.index("01422 288000") < night.index("01422 393336")
    assert day.index("01422 393336") < day.index("01422 288000")
    assert "Evenings, nights, weekends and bank holidays" in night


def test_an_unconfirmed_borough_still_gives_night_staff_somewhere_to_turn(site_content):
    text = text_of(who_to_call(Borough.objects.get(slug="rotherham"), works_nights=True))
    assert FALLBACK.format(name="Rotherham").lower() in text.lower()


def test_a_taxi_driver_sees_the_out_of_hours_number_first_in_every_who_to_call(
    client, site_content
):
    learner_in(client, borough_slug="calderdale", audience_slug="taxi-private-hire")
    taxi = CoursePage.objects.get(slug="taxi-and-private-hire")
    lessons = LessonPage.objects.live().descendant_of(taxi)
    assert lessons.exists()
    for lesson in lessons:
        text = text_of(client.get(lesson.url).content.decode())
        assert text.index("01422 288000") < text.index("01422 393336"), lesson.slug
    help_text = text_of(client.get("/help/").content.decode())
    assert help_text.index("01422 288000") < help_text.index("01422 393336")


def test_school_staff_see_the_office_hours_number_first(client, site_content):
    learner_in(client, borough_slug="calderdale", audience_slug="school-staff")
    text = text_of(client.get("/help/").content.decode())
    assert text.index("01422 393336") < text.index("01422 288000")
