"""What a printable card says, as plain data: the signs and what to do for one audience,
and who to call in one borough.

A card says nothing its course does not. Its words are one lesson's, quoted: the lesson of
the audience's course with the most signs to look for (its signs lists, its key point and
its last "what to do" steps), so a card changes when editors publish the course and never
needs words of its own. The numbers are the borough's own, printed only once its contacts
are confirmed, and the national helplines.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from certificates.links import public_url
from training_site.home.helplines import Helpline, helplines_for
from training_site.home.models import HelpPage
from training_site.people.inputs import slug
from training_site.people.models import Audience, Borough

from ..models import CoursePage, LessonPage

# What fits on a card in type a driver can read at arm's length (A5 is the same card,
# bigger). Signs give way to the steps: lists are cut from the end, so editors put the
# signs that matter most first, as the lessons already do.
MAX_SIGNS = 8
MAX_STEPS = 7
# Lines of body text the lists and key point may take, a heading counting as one and a
# half, and about how many characters fill a line (pdf.py renders again with fewer signs
# in the rare case this guess still runs over a page).
LIST_LINES = 27
CHARS_PER_LINE = 60
SLUG_MAX_LENGTH = 120


@dataclass(frozen=True)
class SignsList:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class CardWords:
    """One lesson's words, cut to fit a card."""

    lesson_title: str
    key_point: str
    signs: tuple[SignsList, ...]
    steps_heading: str
    steps: tuple[str, ...]

    def one_sign_fewer(self) -> "CardWords":
        """The same words less the last sign of the longest list (an emptied list goes)."""
        longest = max(range(len(self.signs)), key=lambda i: len(self.signs[i].items))
        signs = [
            SignsList(signs.heading, signs.items[:-1]) if i == longest else signs
            for i, signs in enumerate(self.signs)
        ]
        return replace(self, signs=tuple(signs for signs in signs if signs.items))

    @property
    def signs_count(self) -> int:
        return sum(len(signs.items) for signs in self.signs)


@dataclass(frozen=True)
class LocalContacts:
    """A borough's contacts for the card: only those with a source and a date checked."""

    borough_name: str
    confirmed: bool
    day_phone: str
    out_of_hours_phone: str
    # Night workers reach for the out-of-hours number first (Audience.works_nights).
    night_first: bool
    # A printed address must fit beside the QR code: the reporting page (often long) is
    # reached by the code, which opens the help page that links it; the website by its name.
    reports_online: bool
    website_name: str


@dataclass(frozen=True)
class Card:
    audience_slug: str
    audience_name: str
    borough_slug: str
    course_title: str
    words: CardWords
    local: LocalContacts
    helplines: tuple[Helpline, ...]
    help_url: str
    courses_url: str


def signs_count(lesson: LessonPage) -> int:
    return sum(len(block.value["items"]) for block in lesson.body if block.block_type == "signs")


def lines(text: str) -> int:
    return max(1, -(-len(text) // CHARS_PER_LINE))


def shared_out(lists: list[SignsList], *, limit: int, line_budget: float) -> tuple[SignsList, ...]:
    """At most `limit` signs in `line_budget` lines, taken from each list in turn, so a
    lesson with signs at booking and at check-in keeps the first few of both."""
    kept = [0] * len(lists)
    total, used = 0, 0.0
    growing = True
    while growing:
        growing = False
        for i, signs in enumerate(lists):
            if kept[i] == len(signs.items) or total == limit:
                continue
            cost = lines(signs.items[kept[i]]) + (1.5 if kept[i] == 0 else 0)
            if used + cost > line_budget:
                continue
            kept[i] += 1
            total += 1
            used += cost
            growing = True
    return tuple(
        SignsList(signs.heading, signs.items[:count])
        for signs, count in zip(lists, kept, strict=True)
        if count
    )


def card_words(lessons: Iterable[LessonPage]) -> CardWords | None:
    """The words of the lesson with the most signs (the first such, in course order); its
    last steps block, or the course's last one if it has none. None without any signs."""
    lessons = list(lessons)
    source = max(lessons, key=signs_count, default=None)
    if source is None or signs_count(source) == 0:
        return None
    lists, key_point, steps = [], "", None
    for block in source.body:
        if block.block_type == "signs":
            lists.append(SignsList(block.value["heading"], tuple(block.value["items"])))
        elif block.block_type == "key_point" and not key_point:
            key_point = block.value["text"]
        elif block.block_type == "steps":
            steps = block.value
    if steps is None:
        steps = next(
            (
                block.value
                for lesson in reversed(lessons)
                for block in reversed(list(lesson.body))
                if block.block_type == "steps"
            ),
            {"heading": "", "steps": []},
        )
    chosen_steps = tuple(steps["steps"])[:MAX_STEPS]
    taken = sum(map(lines, chosen_steps)) + 1.5 + (lines(key_point) if key_point else 0)
    return CardWords(
        lesson_title=source.title,
        key_point=key_point,
        signs=shared_out(lists, limit=MAX_SIGNS, line_budget=LIST_LINES - taken),
        steps_heading=steps["heading"],
        steps=chosen_steps,
    )


def local_contacts(borough: Borough, *, night_first: bool) -> LocalContacts:
    """Never an unsourced number: a contact is printed only with the council page it came
    from and the date it was checked (Borough.is_sourced)."""

    def sourced(name: str) -> str:
        return getattr(borough, name) if borough.is_sourced(name) else ""

    return LocalContacts(
        borough_name=borough.name,
        confirmed=borough.contacts_confirmed,
        day_phone=sourced("social_care_phone"),
        out_of_hours_phone=sourced("out_of_hours_phone"),
        night_first=night_first,
        reports_online=bool(sourced("web_page")),
        website_name=urlsplit(sourced("website")).hostname or "",
    )


def course_for(audience: Audience) -> CoursePage | None:
    """The audience's own course: the first live one that is not pupil lessons."""
    return (
        CoursePage.objects.live()
        .filter(audience=audience, for_pupils=False)
        .order_by("path")
        .first()
    )


def help_page_url(borough: Borough) -> str | None:
    """The help page showing this borough's contacts: what the card's QR code opens."""
    page = HelpPage.objects.live().first()
    if page is None or page.url is None:
        return None
    return public_url(f"{page.url}?borough={borough.slug}")


def card_for(*, audience_slug: str, borough_slug: str) -> Card | None:
    """The card for an active audience with a course and a borough, or None (not found)."""
    audience_slug = slug(audience_slug, max_length=SLUG_MAX_LENGTH)
    borough_slug = slug(borough_slug, max_length=SLUG_MAX_LENGTH)
    if audience_slug is None or borough_slug is None:
        return None
    audience = Audience.objects.filter(slug=audience_slug, is_active=True).first()
    borough = Borough.objects.filter(slug=borough_slug).first()
    if audience is None or borough is None:
        return None
    course = course_for(audience)
    help_url = help_page_url(borough)
    if course is None or help_url is None:
        return None
    words = card_words(LessonPage.objects.live().descendant_of(course).order_by("path"))
    if words is None:
        return None
    return Card(
        audience_slug=audience.slug,
        audience_name=audience.name,
        borough_slug=borough.slug,
        course_title=course.title,
        words=words,
        local=local_contacts(borough, night_first=audience.works_nights),
        helplines=helplines_for(young_people=False),
        help_url=help_url,
        courses_url=public_url(course.url),
    )


def card_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(audiences that have a card, boroughs), as (slug, name) pairs for a chooser."""
    audiences = [
        (audience.slug, audience.name)
        for audience in Audience.objects.filter(is_active=True).order_by("sort_order", "name")
        if course_for(audience) is not None
    ]
    boroughs = list(Borough.objects.order_by("name").values_list("slug", "name"))
    return audiences, boroughs
