"""Helpline numbers are tap-to-call links wherever the site shows them."""

import pytest
from django.utils.safestring import mark_safe

from training_site.home.helplines import helpline_links


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("Call 999 now.", 'Call <a href="tel:999">999</a> now.'),
        ("Call the police on 101.", 'Call the police on <a href="tel:101">101</a>.'),
        ("Childline: 0800 1111", 'Childline: <a href="tel:08001111">0800 1111</a>'),
        (
            "Crimestoppers on 0800 555 111, NSPCC on 0808 800 5000.",
            'Crimestoppers on <a href="tel:0800555111">0800 555 111</a>, NSPCC on '
            '<a href="tel:08088005000">0808 800 5000</a>.',
        ),
        ("Samaritans on 116\xa0123.", 'Samaritans on <a href="tel:116123">116\xa0123</a>.'),
        (
            "Modern Slavery Helpline: 08000 121 700; domestic abuse: 0808 2000 247.",
            'Modern Slavery Helpline: <a href="tel:08000121700">08000 121 700</a>; domestic '
            'abuse: <a href="tel:08082000247">0808 2000 247</a>.',
        ),
        (
            "Whistleblowing: 0800 028 0285",
            'Whistleblowing: <a href="tel:08000280285">0800 028 0285</a>',
        ),
    ],
)
def test_numbers_become_links(text, linked):
    assert helpline_links(text) == linked


@pytest.mark.parametrize(
    "text", ["Room 2101", "£999", "at 10:101", "0300 999 1234", "9.999", "ref 999a", "1,101"]
)
def test_other_numbers_are_left_alone(text):
    assert helpline_links(text) == text


def test_plain_text_is_escaped_first():
    assert helpline_links("<b>999</b>") == '&lt;b&gt;<a href="tel:999">999</a>&lt;/b&gt;'


def test_html_keeps_its_links_and_tags():
    html = mark_safe('<p>Call <a href="tel:08001111">Childline on 0800 1111</a> or <b>999</b>.</p>')
    assert helpline_links(html) == (
        '<p>Call <a href="tel:08001111">Childline on 0800 1111</a> or '
        '<b><a href="tel:999">999</a></b>.</p>'
    )


@pytest.mark.django_db
def test_pupils_can_tap_to_call_childline(client, site_content):
    html = client.get("/pupils/").content.decode()
    assert '<a href="tel:08001111">0800 1111</a>' in html
    assert "call 999" not in html


@pytest.mark.django_db
def test_every_helpline_number_on_the_site_pages_can_be_called(client, site_content):
    for url in ("/", "/pupils/", "/help/", "/privacy/", "/courses/", "/verify/"):
        html = client.get(url).content.decode()
        for number, tel in (("999", "999"), ("0800 1111", "08001111"), ("101", "101")):
            shown = html.count(f" {number}") + html.count(f">{number}")
            linked = html.count(f'href="tel:{tel}">{number}</a>')
            assert shown == linked, (url, number)
