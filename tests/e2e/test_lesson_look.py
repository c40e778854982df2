"""How lessons look on a phone: the signs to look for are a plain list, not a row of empty
checkboxes that seem to want ticking."""

import pytest

from courses.models import LessonPage

pytestmark = pytest.mark.django_db(transaction=True)

MARKER_STYLE = """() => {
  const marker = getComputedStyle(document.querySelector('.checklist li'), '::before');
  return {border: marker.borderTopWidth, radius: marker.borderRadius};
}"""


def test_signs_are_plain_dots_not_empty_boxes(phone):
    lesson = LessonPage.objects.get(slug="signs-in-passengers-and-journeys")
    phone.goto(lesson.url)
    assert phone.evaluate(MARKER_STYLE) == {"border": "0px", "radius": "50%"}
