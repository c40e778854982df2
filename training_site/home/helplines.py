"""National numbers every page can point to. Local numbers live on each Borough."""

from dataclasses import dataclass


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


def helplines_for(*, young_people: bool) -> tuple[Helpline, ...]:
    """Young people see Childline first; adults see the police first."""
    if not young_people:
        return NATIONAL_HELPLINES
    return tuple(sorted(NATIONAL_HELPLINES, key=lambda line: not line.for_young_people))
