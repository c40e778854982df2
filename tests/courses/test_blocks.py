"""Every lesson block renders with its own template; images need alt text, videos need
transcripts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses.blocks import LessonBodyBlock
from training_site.people.models import Borough

pytestmark = pytest.mark.django_db

BLOCKS = LessonBodyBlock().child_blocks


def render(name: str, raw: dict | str, **context) -> str:
    block = BLOCKS[name]
    return block.render(block.to_python(raw), context=context)


def test_rich_text():
    assert "<strong>Notice</strong>" in render("rich_text", "<p><strong>Notice</strong> it.</p>")


def test_signs_checklist():
    html = render("signs", {"heading": "Signs", "intro": "", "items": ["Cash", "Little luggage"]})
    assert '<ul class="checklist">' in html
    assert "<li>Little luggage</li>" in html


def test_scenario_hides_the_answer_until_asked():
    html = render(
        "scenario",
        {
            "title": "Late pick-up",
            "situation": "At 1am...",
            "question": "What now?",
            "reveal": "Call 999.",
        },
    )
    assert "<details" in html
    assert "<summary>Show the answer</summary>" in html
    assert 'Call <a href="tel:999">999</a>.' in html


def test_steps_are_numbered_in_order():
    html = render("steps", {"heading": "What to do", "steps": ["Note it", "Call 101"]})
    assert html.index("Note it") < html.index('Call <a href="tel:101">101</a>')
    assert "<ol" in html


def test_key_point():
    assert "Key point:" in render("key_point", {"text": "Tell someone."})


def test_values_are_escaped():
    html = render("key_point", {"text": "<img src=x onerror=alert(1)>"})
    assert "<img" not in html
    assert "&lt;img" in html


def test_who_to_call_shows_the_learners_borough_and_national_numbers():
    borough = Borough(
        name="Kirklees",
        slug="kirklees",
        social_care_phone="01484 000000",
        social_care_phone_source="https://www.kirklees.gov.uk/",
        social_care_phone_checked=datetime.date(2026, 12, 1),
    )
    html = render(
        "who_to_call",
        {"heading": "Who to call", "for_young_people": False},
        learner_borough=borough,
    )
    assert "Kirklees Council" in html
    assert "01484 000000" in html
    assert html.index("999") < html.index("0800 1111")


def test_who_to_call_leaves_out_a_number_without_its_source():
    borough = Borough(name="Kirklees", slug="kirklees", social_care_phone="01484 000000")
    html = render(
        "who_to_call",
        {"heading": "Who to call", "for_young_people": False},
        learner_borough=borough,
    )
    assert "01484 000000" not in html
    assert "use the number on Kirklees's website" in html


def test_who_to_call_for_young_people_leads_with_childline():
    html = render("who_to_call", {"heading": "Who to call", "for_young_people": True})
    assert html.index("0800 1111") < html.index("Police emergency")
    assert "never your fault" in html


def test_teacher_notes_only_render_for_teachers():
    raw = {"text": "Check with the DSL first."}
    assert "Check with the DSL" not in render("teacher_note", raw)
    assert "Check with the DSL" in render("teacher_note", raw, show_teacher_notes=True)


def test_discussion_and_ground_rules():
    assert "Is this fair?" in render("discussion", {"prompt": "Is this fair?", "guidance": "x"})
    assert "No names" in render("ground_rules", {"items": ["No names"]})


def test_image_needs_alt_text():
    image = Image.objects.create(title="Taxi rank", file=get_test_image_file())
    block = BLOCKS["image"]
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in caught.value.block_errors
    value = block.clean(
        block.to_python({"image": image.pk, "alt_text": "A taxi rank at night", "caption": ""})
    )
    html = block.render(value)
    assert 'alt="A taxi rank at night"' in html
    assert 'loading="lazy"' in html


def test_video_needs_a_transcript():
    block = BLOCKS["video"]
    raw = {"video": "https://www.youtube.com/watch?v=abc", "transcript": "  "}
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(block.to_python(raw))
