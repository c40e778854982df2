"""Visitors' pages from the cache (training_site/home/page_cache.py): stored once, served
without touching the database, dropped by any change that can alter them, and never for
anyone signed in or any page carrying a CSRF token."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.html import escape
from wagtail.models import Page

from training_site.home.models import SiteSettings
from training_site.home.page_cache import response_may_be_stored
from training_site.people.models import Borough

from ..people.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db


def visit(client, url, **headers):
    return client.get(url, headers=headers)


def test_a_visitors_second_request_is_served_from_the_cache_without_the_database(
    client, lesson, django_assert_num_queries
):
    first = visit(client, lesson.url)
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = visit(client, lesson.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_stored_pages_say_a_proxy_may_keep_them_briefly_but_not_for_anyone_with_a_cookie(
    client, lesson
):
    for response in (visit(client, lesson.url), visit(client, lesson.url)):
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("url", ["/", "/courses/", "/help/", "/privacy/"])
def test_home_catalogue_and_help_pages_are_cached_for_visitors(client, site_content, url):
    visit(client, url)
    assert visit(client, url)["X-Page-Cache"] == "hit"


def test_a_published_change_shows_on_the_next_visitors_request(client, lesson, course):
    assert "Spotting the signs, revised" not in visit(client, lesson.url).content.decode()
    visit(client, course.url)
    lesson.title = "Spotting the signs, revised"
    lesson.save_revision().publish()

    after = visit(client, lesson.url)
    assert "X-Page-Cache" not in after
    assert "Spotting the signs, revised" in after.content.decode()
    # The course lists its lessons: its stored copy went too.
    assert "Spotting the signs, revised" in visit(client, course.url).content.decode()


def test_a_saved_draft_is_not_shown_but_an_unpublished_page_is_gone_at_once(client, lesson):
    visit(client, lesson.url)
    lesson.title = "A draft nobody approved"
    lesson.save_revision()
    assert "A draft nobody approved" not in visit(client, lesson.url).content.decode()

    lesson.get_latest_revision().publish()
    Page.objects.get(pk=lesson.pk).specific.unpublish()
    assert visit(client, lesson.url).status_code == 404


def test_moving_or_deleting_a_lesson_changes_its_neighbours_on_the_next_request(client, course):
    first, second, third = course.lessons[:3]
    assert escape(second.title) in visit(client, first.url).content.decode()
    assert escape(second.title) in visit(client, third.url).content.decode()

    second.move(course.get_parent(), pos="last-child")
    assert escape(second.title) not in visit(client, first.url).content.decode()

    Page.objects.get(pk=third.pk).delete()
    assert escape(third.title) not in visit(client, first.url).content.decode()


def test_site_settings_and_borough_contacts_reach_every_stored_page(client, lesson):
    visit(client, lesson.url)
    visit(client, "/help/")
    settings = SiteSettings.objects.first() or SiteSettings.objects.create(
        site_id=Page.objects.get(pk=lesson.pk).get_site().pk
    )
    settings.operator_name = "Calderdale Council, for the partnership"
    settings.save()
    assert "Calderdale Council, for the partnership" in visit(client, lesson.url).content.decode()

    borough = Borough.objects.get(slug="kirklees")
    borough.name = "Kirklees (renamed)"
    borough.save()
    assert "Kirklees (renamed)" in visit(client, "/help/").content.decode()


def test_signed_in_learners_always_get_their_own_page_and_it_is_never_stored(client, lesson):
    learner = LearnerProfileFactory(full_name="Maryam Learner").user
    visit(client, lesson.url)
    client.force_login(learner)
    mine = visit(client, lesson.url)
    assert "X-Page-Cache" not in mine
    assert "Sign out" in mine.content.decode()
    assert "public" not in mine.get("Cache-Control", "")

    client.logout()
    client.cookies.clear()
    visitor = visit(client, lesson.url)
    assert visitor["X-Page-Cache"] == "hit"
    assert "Sign out" not in visitor.content.decode()


def test_any_cookie_but_the_csrf_one_gets_a_fresh_page(client, lesson, settings):
    visit(client, lesson.url)
    client.cookies["pupil"] = "anything"
    assert "X-Page-Cache" not in visit(client, lesson.url)
    client.cookies.clear()
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert visit(client, lesson.url)["X-Page-Cache"] == "hit"


def test_query_strings_and_other_methods_skip_the_cache(client, lesson):
    visit(client, lesson.url)
    assert "X-Page-Cache" not in visit(client, lesson.url + "?utm_source=leaflet")
    assert "X-Page-Cache" not in client.head(lesson.url)


def test_a_page_that_used_a_csrf_token_or_set_a_cookie_is_never_stored(rf: RequestFactory):
    def request_and_response():
        request = rf.get("/a-lesson/")
        request.page_cache_public = True
        response = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
        return request, response

    request, response = request_and_response()
    assert response_may_be_stored(request, response)

    request, response = request_and_response()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False  # Django clears the value, not the key
    assert not response_may_be_stored(request, response)

    request, response = request_and_response()
    response.set_cookie("messages", "x")
    assert not response_may_be_stored(request, response)

    request, response = request_and_response()
    response["Cache-Control"] = "no-store"
    assert not response_may_be_stored(request, response)

    request, response = request_and_response()
    del request.page_cache_public  # not a Wagtail page
    assert not response_may_be_stored(request, response)


def test_only_wagtail_pages_are_stored(client, site_content):
    for url in ("/verify/", "/join/", "/accounts/login/", "/no-such-page/"):
        visit(client, url)
        assert "X-Page-Cache" not in visit(client, url), url


def test_compressed_and_plain_copies_are_kept_apart(client, lesson):
    zipped = visit(client, lesson.url, accept_encoding="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    plain = visit(client, lesson.url)
    assert "Content-Encoding" not in plain
    hit = visit(client, lesson.url, accept_encoding="gzip")
    assert hit["X-Page-Cache"] == "hit"
    assert gzip.decompress(hit.content) == plain.content


def test_off_means_every_request_renders(client, lesson, settings):
    settings.PAGE_CACHE = False
    visit(client, lesson.url)
    assert "X-Page-Cache" not in visit(client, lesson.url)


@pytest.mark.django_db(transaction=True)
def test_a_stored_page_still_answers_while_the_database_is_down(client, site_content, request):
    visit(client, "/courses/")
    request.getfixturevalue("database_down")
    assert visit(client, "/courses/")["X-Page-Cache"] == "hit"
    assert visit(client, "/help/").status_code == 503
