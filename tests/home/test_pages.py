"""The site's own pages, loaded from the fixtures as quickstart loads them."""

import datetime

import pytest
from django.core.management import call_command
from wagtail.models import Page

from training_site.home.models import HelpPage, HomePage
from training_site.people.models import Borough

from ..people.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db


def test_every_live_page_renders(client, site_content):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() >= 40
    for page in pages:
        response = client.get(page.url, follow=True)
        assert response.status_code == 200, page.url


def test_home_page_sends_each_visitor_the_right_way(client, site_content):
    content = client.get("/").content.decode()
    for route in (
        "I drive a taxi or private hire vehicle",
        "I work in a hotel or B&amp;B",
        "I work in a school",
        "I am a pupil with a class code",
        "Verify a certificate",
    ):
        assert route in content
    assert 'href="/verify/"' in content
    assert 'href="/join/"' in content


def test_every_page_links_to_get_help_now(client, site_content):
    for url in ("/", "/privacy/", "/accounts/login/", "/no-such-page/"):
        assert 'href="/help/">Get help now' in client.get(url).content.decode()


def test_help_page_lists_national_numbers(client, site_content):
    content = client.get("/help/").content.decode()
    for number in ("999", "101", "0800 555 111", "0808 800 5000", "0800 1111"):
        assert number in content


def test_help_page_shows_the_learners_own_borough(client, site_content):
    kirklees = Borough.objects.get(slug="kirklees")
    kirklees.social_care_phone = "01484 000000"
    kirklees.social_care_phone_source = "https://www.kirklees.gov.uk/"
    kirklees.social_care_phone_checked = datetime.date(2026, 12, 1)
    kirklees.save()
    profile = LearnerProfileFactory(home_borough=kirklees)
    client.force_login(profile.user)
    content = client.get("/help/").content.decode()
    assert "Kirklees Council" in content
    assert "01484 000000" in content


def test_visitors_choose_a_borough_and_get_a_fallback_when_no_number_is_set(client, site_content):
    content = client.get("/help/", {"borough": "kirklees"}).content.decode()
    assert "Kirklees Council" in content
    assert (
        'Call the police on <a href="tel:101">101</a>, or <a href="tel:999">999</a> in an '
        "emergency; to reach Kirklees children's services use the number on "
        '<a href="https://www.kirklees.gov.uk/">Kirklees\'s website</a>.'
    ) in content
    assert client.get("/help/", {"borough": "x" * 5000}).status_code == 200


def test_help_page_keeps_its_address(site_content):
    help_page = HelpPage.objects.get()
    help_page.slug = "support"
    help_page.full_clean()
    assert help_page.slug == "help"


def test_loading_twice_changes_nothing(site_content):
    before = list(Page.objects.values_list("pk", "slug", "latest_revision_id"))
    call_command("load_content", verbosity=0)
    assert list(Page.objects.values_list("pk", "slug", "latest_revision_id")) == before
    assert HomePage.objects.count() == 1


def test_unknown_pages_get_the_friendly_404(client, site_content):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_server_error_page_stands_alone(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, something went wrong" in html
    assert "999" in html


def test_public_pages_allow_only_the_sites_own_scripts(client, site_content):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" in client.get("/admin/login/")["Content-Security-Policy"]


def test_footer_shows_site_settings_and_sees_changes_at_once(client, site_content):
    from wagtail.models import Site

    from training_site.home.models import SiteSettings

    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.operator_name = "West Yorkshire safeguarding partnerships"
    settings_row.support_email = "help@training.example"
    settings_row.save()
    content = client.get("/").content.decode()
    assert "Run by West Yorkshire safeguarding partnerships." in content
    settings_row.operator_name = "Calderdale Council"
    settings_row.save()
    assert "Run by Calderdale Council." in client.get("/").content.decode()
