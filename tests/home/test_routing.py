"""Pages found in one query (training_site/home/routing.py): the same answers as Wagtail's
own routing, whatever the cache holds, after any change to the pages or their restrictions."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from courses.models import LessonPage, ModulePage
from training_site.home.models import StandardPage
from training_site.home.routing import route_for_request

from ..courses.factories import course_build

pytestmark = pytest.mark.django_db


def wagtail_route(path: str):
    """What Wagtail's own walk down the tree finds, one level at a time."""
    root = Site.objects.get(is_default_site=True).root_page.specific
    components = [part for part in path.split("/") if part]
    request = RequestFactory().get(path)
    return Page.route(root, request, components)


def plain(route) -> tuple:
    """A route to compare: its page, and a routable page's view by name."""
    view_args = route.args
    if view_args:
        view, args, kwargs = view_args
        view_args = (view.__name__, args, kwargs)
    return route.page.pk, type(route.page), view_args, route.kwargs


def test_pages_and_sub_paths_route_as_wagtails_walk_does(client, course, lesson):
    quiz = course.quiz
    for path in ("/", "/courses/", course.url, lesson.url, quiz.url, f"{quiz.url}start/"):
        routed = route_for_request(RequestFactory().get(path), path)
        walked = wagtail_route(path)
        assert plain(routed) == plain(walked), path
    assert route_for_request(RequestFactory().get("/courses/nope/"), "/courses/nope/") is None
    assert client.get("/courses/nope/").status_code == 404


def test_a_routable_pages_own_sub_path_wins_over_a_child_with_that_slug(client, course):
    """Wagtail's walk asks the catalogue's routes first: a course slugged "search" cannot
    take /courses/search/ from the catalogue's search."""
    course_build(audience=course.audience, slug="search")
    response = client.get("/courses/search/", {"q": "taxi"})
    assert response.status_code == 200
    assert "courses/search.html" in [template.name for template in response.templates]


def test_a_page_unpublished_moved_or_deleted_is_routed_afresh(client, course, lesson):
    assert client.get(lesson.url).status_code == 200
    old_url = lesson.url
    lesson.unpublish()
    assert client.get(old_url).status_code == 404

    lesson.save_revision().publish()
    other_module = course.get_children().type(ModulePage).last()
    lesson.refresh_from_db()
    lesson.move(other_module, pos="last-child")
    moved = LessonPage.objects.get(pk=lesson.pk)
    assert moved.url != old_url
    # No page at the old address any more: Wagtail's redirect, made by the move, answers.
    assert client.get(old_url).headers["Location"] == moved.url
    assert client.get(moved.url).status_code == 200

    moved.delete()
    assert client.get(moved.url).status_code == 404


def test_a_restriction_on_a_course_covers_its_lessons_at_once(client, course, lesson):
    assert client.get(lesson.url).status_code == 200  # routed, and kept for visitors
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert b'name="password"' in response.content
    assert b"Mark complete" not in response.content

    restriction.delete()
    assert b'name="password"' not in client.get(lesson.url).content


def test_a_restriction_on_a_pages_source_covers_its_alias(client, site_content):
    home = Site.objects.get(is_default_site=True).root_page
    source = home.add_child(instance=StandardPage(title="Source", slug="source", summary="s"))
    section = home.add_child(instance=StandardPage(title="Section", slug="section", summary="s"))
    alias = source.create_alias(parent=section, update_slug="alias")
    PageViewRestriction.objects.create(
        page=source, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    response = client.get(alias.url)
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_other_callers_of_wagtails_routing_get_the_same_page(course, lesson):
    request = RequestFactory().get(lesson.url)
    assert Page.find_for_request(request, lesson.url).pk == lesson.pk
