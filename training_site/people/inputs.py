"""Numbers and search words as they arrive in a query string or a form, read one way
everywhere: anything a visitor can type is checked here before a database or a template
sees it, so a stray character is a plain "not found" or "invalid" rather than a 500."""

import re
import unicodedata

from django.utils.http import url_has_allowed_host_and_scheme

# The largest id a table here can hold (a signed 64-bit key).
MAX_RECORD_ID = 2**63 - 1
# ASCII digits only: str.isdigit() also takes "²", which int() then refuses with a 500,
# and int() takes digits of other scripts nobody types for an id.
ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def positive_int(value, *, maximum: int = MAX_RECORD_ID) -> int | None:
    """The whole number from 1 to `maximum` that `value` spells in ASCII digits (spaces
    around it allowed), or None for anything else: signs, fractions, other scripts' digits,
    superscripts, numbers too big for a column."""
    if value is None:
        return None
    text = str(value).strip()
    if not ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= maximum else None


def search_words(value, *, limit: int) -> str:
    """What a visitor typed into a search box, fit to hand to a search backend: control
    and other unprintable characters (NUL, which PostgreSQL refuses in any string, among
    them) dropped, runs of spaces collapsed, at most `limit` characters."""
    text = "".join(
        character
        for character in str(value or "")
        if character.isspace() or not unicodedata.category(character).startswith("C")
    )
    return " ".join(text.split())[:limit].strip()


def slug(value, *, max_length: int) -> str | None:
    """A slug (ASCII letters, digits, hyphens, underscores) that could name a row, or None:
    a lookup by anything else would find nothing, and NUL would fail in PostgreSQL."""
    text = str(value or "")
    return text if len(text) <= max_length and SLUG.fullmatch(text) else None


def local_path(value, *, host: str) -> str | None:
    """A path on this site to send someone back to ("/profile/"), or None. Only paths:
    Django's redirect() would read anything else as the name of a view, and fail."""
    text = str(value or "")
    if (
        text.startswith("/")
        and text.isprintable()
        and url_has_allowed_host_and_scheme(text, allowed_hosts={host})
    ):
        return text
    return None
