"""National numbers every page can point to. Local numbers live on each Borough."""

import re
from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from training_site.people.models import Borough


@dataclass(frozen=True)
class Helpline:
    name: str
    number: str
    when: str
    for_young_people: bool = False
    web: str = ""

    @property
    def tel(self) -> str:
        return "tel:" + self.number.replace(" ", "")


EMERGENCY = Helpline("Police emergency", "999", "A child is in danger now.")
POLICE = Helpline("Police non-emergency", "101", "To report a concern that is not an emergency.")
NATIONAL_HELPLINES = (
    EMERGENCY,
    POLICE,
    Helpline(
        "Crimestoppers",
        "0800 555 111",
        "To tell the police something without giving your name.",
        web="https://crimestoppers-uk.org",
    ),
    Helpline(
        "NSPCC helpline",
        "0808 800 5000",
        "Adults worried about a child can talk it through.",
        web="https://www.nspcc.org.uk",
    ),
    Helpline(
        "Childline",
        "0800 1111",
        "For anyone under 19: free, private, any time.",
        for_young_people=True,
        web="https://www.childline.org.uk",
    ),
)
CEOP_URL = "https://www.ceop.police.uk/Safety-Centre/"
# Named in the lessons on looking after yourself, beside the national helplines.
SAMARITANS = "116 123"
# Named in particular lessons (their sources sit beside them in fixtures/content): Modern
# Slavery Helpline, National Domestic Abuse Helpline, NSPCC Whistleblowing Advice Line.
LESSON_NUMBERS = ("08000 121 700", "0808 2000 247", "0800 028 0285")
LINKED_NUMBERS = (*(line.number for line in NATIONAL_HELPLINES), SAMARITANS, *LESSON_NUMBERS)

# A helpline number standing alone: not part of a longer number, amount, time or address.
NUMBER_PATTERN = re.compile(
    r"(?<![\w£$.,:/#&])(?<!\d[ \xa0])("
    + "|".join(
        re.escape(number).replace(r"\ ", "[ \xa0]")
        for number in sorted(LINKED_NUMBERS, key=len, reverse=True)
    )
    + r")(?![\w/])(?![.,:]\d)(?![ \xa0]\d)"
)
TAG_PATTERN = re.compile(r"(<[^>]*>)")
LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def helplines_for(*, young_people: bool) -> tuple[Helpline, ...]:
    """Young people see Childline first; adults see the police first."""
    if not young_people:
        return NATIONAL_HELPLINES
    return tuple(sorted(NATIONAL_HELPLINES, key=lambda line: not line.for_young_people))


def borough_helplines(borough: Borough, *, works_nights: bool) -> tuple[Helpline, ...]:
    """The borough's own sourced numbers (Borough.is_sourced, the rule the printable cards
    follow too): out of hours first for learners who work at night, when the office line
    is closed."""
    day = Helpline(
        f"{borough.name} children's social care",
        borough.social_care_phone,
        "In office hours, for any worry about a child.",
    )
    night = Helpline(
        f"{borough.name} children's social care out of hours",
        borough.out_of_hours_phone,
        "Evenings, nights, weekends and bank holidays.",
    )
    sourced = {
        day: borough.is_sourced("social_care_phone"),
        night: borough.is_sourced("out_of_hours_phone"),
    }
    lines = (night, day) if works_nights else (day, night)
    return tuple(line for line in lines if sourced[line])


def tel_link(match: re.Match) -> str:
    number = match.group(0)
    digits = re.sub(r"\D", "", number)
    return f'<a href="tel:{digits}">{number}</a>'


def helpline_links(value) -> SafeString:
    """Text or HTML with every helpline number made a tap-to-call link, so a number in a
    lesson, in rich text or in plain-text blocks that cannot hold links, can be called
    from a phone. Text is escaped first; numbers already inside a link are left alone."""
    parts = TAG_PATTERN.split(str(conditional_escape(value)))
    inside_link = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if LINK_OPEN.match(part):
                inside_link = True
            elif LINK_CLOSE.match(part):
                inside_link = False
        elif not inside_link:
            parts[index] = NUMBER_PATTERN.sub(tel_link, part)
    # Escaped above; all this adds is links to fixed numbers, so S308/B308 do not apply.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308
