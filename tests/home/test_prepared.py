"""Queries with their SQL built once (training_site/home/prepared.py): each gives what its
queryset gives, for any values, and a queryset whose parameters cannot be told apart is
refused rather than run with a value in the wrong place."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from wagtail.models import PageViewRestriction, Site

from courses.access import PROFILE_QUERY
from courses.models import LessonCompletion
from courses.navigation import DONE_QUERY
from training_site.home.prepared import PreparedQuery
from training_site.home.routing import RESTRICTION_POSSIBLE, page_at, restriction_possible
from training_site.people.models import LearnerProfile

from ..people.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_the_profile_query_reads_each_learner_as_the_orm_does():
    onboarded = LearnerProfileFactory(onboarded=True, full_name="Zoë Ó Briain")
    not_yet = LearnerProfileFactory()
    for profile in (onboarded, not_yet):
        expected = LearnerProfile.objects.filter(
            user_id=profile.user_id, onboarded_at__isnull=False
        ).first()
        found = PROFILE_QUERY.first(user_id=profile.user_id)
        if expected is None:
            assert found is None
        else:
            assert field_values(found) == field_values(expected)
            assert not found.get_deferred_fields()
    assert PROFILE_QUERY.first(user_id=0) is None


def test_lessons_done_are_each_learners_own_in_each_course(course):
    first, second = LearnerProfileFactory(onboarded=True), LearnerProfileFactory(onboarded=True)
    lessons = course.lessons
    for learner, done in ((first.user, lessons[:2]), (second.user, lessons[1:3])):
        for lesson in done:
            LessonCompletion.objects.create(
                learner=learner, course_id=course.pk, lesson_id=lesson.pk
            )
    for learner in (first.user, second.user):
        expected = set(
            LessonCompletion.objects.filter(learner=learner, course_id=course.pk).values_list(
                "lesson_id", flat=True
            )
        )
        rows = DONE_QUERY.rows(learner_id=learner.pk, course_id=course.pk)
        assert {lesson_id for (lesson_id,) in rows} == expected
    assert DONE_QUERY.rows(learner_id=first.user_id, course_id=0) == []


def test_a_parameter_used_twice_or_not_at_all_is_refused():
    twice = PreparedQuery(
        lambda user_id: LearnerProfile.objects.filter(Q(user_id=user_id) | Q(pk=user_id))
    )
    with pytest.raises(ImproperlyConfigured, match="user_id"):
        twice.first(user_id=1)
    unused = PreparedQuery(lambda user_id: LearnerProfile.objects.all())
    with pytest.raises(ImproperlyConfigured, match="user_id"):
        unused.first(user_id=1)


def test_the_sql_built_once_reads_each_page_as_its_queryset_does(course, lesson):
    """page_at's SQL is built once per page class and run through raw(): every field of
    every class, converted as the ORM converts it, and the restriction flag, as the
    queryset it was built from reads them."""
    site = Site.objects.get(is_default_site=True)
    PageViewRestriction.objects.create(
        page=course.quiz, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    quiz_components = [part for part in course.quiz.url_path.split("/") if part][1:]
    classes = set()
    for page in site.root_page.get_descendants(inclusive=True).specific():
        components = [part for part in page.url_path.split("/") if part][1:]
        found, remaining = page_at(site.root_page, components)
        expected = (
            type(page)
            .objects.filter(pk=page.pk)
            .annotate(**{RESTRICTION_POSSIBLE: restriction_possible()})
            .get()
        )
        assert (type(found), remaining) == (type(expected), []), page.url_path
        assert field_values(found) == field_values(expected), page.url_path
        assert bool(getattr(found, RESTRICTION_POSSIBLE)) is getattr(
            expected, RESTRICTION_POSSIBLE
        ), page.url_path
        assert not found.get_deferred_fields(), page.url_path
        classes.add(type(page))
    assert {type(course), type(lesson), type(course.quiz)} <= classes
    assert getattr(page_at(site.root_page, quiz_components)[0], RESTRICTION_POSSIBLE)
