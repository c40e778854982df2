"""Where the printable cards are: the one place their addresses are written."""

from urllib.parse import urlencode

from django.urls import reverse


def cards_page_url(*, audience_slug: str = "", borough_slug: str = "") -> str:
    """The page that offers an audience's card for a borough, in both sizes."""
    query = {
        key: value
        for key, value in (("audience", audience_slug), ("borough", borough_slug))
        if value
    }
    return reverse("cards:index") + (f"?{urlencode(query)}" if query else "")


def card_pdf_url(*, audience_slug: str, borough_slug: str, paper: str) -> str:
    return reverse(
        "cards:pdf",
        kwargs={"audience_slug": audience_slug, "borough_slug": borough_slug, "paper": paper},
    )
