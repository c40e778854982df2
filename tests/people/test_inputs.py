"""What visitors type into query strings and forms, read one way (people/inputs.py)."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from training_site.people.inputs import local_path, positive_int, search_words, slug


@given(st.text())
def test_positive_int_never_raises_and_gives_a_number_in_range_or_none(text):
    number = positive_int(text, maximum=1000)
    assert number is None or 1 <= number <= 1000


@given(st.text())
def test_search_words_hold_nothing_unprintable(text):
    words = search_words(text, limit=100)
    assert len(words) <= 100
    assert not any(unicodedata.category(c).startswith("C") for c in words)
    assert words == words.strip()


def test_search_words_keep_letters_of_any_script_and_drop_nul():
    assert search_words("  grooming\x00 signs\u200b ", limit=100) == "grooming signs"
    assert search_words("Zoë  Ó Briain", limit=100) == "Zoë Ó Briain"
    assert search_words(None, limit=100) == ""
    assert search_words("a" * 200, limit=10) == "a" * 10


def test_slug_is_a_slug_or_none():
    assert slug("kirklees", max_length=120) == "kirklees"
    assert slug("taxi-private-hire_2", max_length=120) == "taxi-private-hire_2"
    for bad in ("", None, "kirk lees", "kirklees\x00", "kïrklees", "a" * 121, "../x"):
        assert slug(bad, max_length=120) is None


def test_local_path_is_a_path_on_this_site_or_none():
    host = "training.example.gov.uk"
    assert local_path("/courses/?audience=x", host=host) == "/courses/?audience=x"
    for bad in (
        "",
        None,
        "dashboard",  # redirect() would look this up as a view's name
        "7 ",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/courses/\x00",
        "/x\r\nSet-Cookie: a=b",
    ):
        assert local_path(bad, host=host) is None
