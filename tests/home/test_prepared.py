"""Queries with their SQL built once (training_site/home/prepared.py): each gives what its
queryset gives, for any values, and a queryset whose parameters cannot be told apart is
refused rather than run with a value in the wrong place."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from courses.access import PROFILE_QUERY
from courses.models import LessonCompletion
from courses.navigation import DONE_QUERY
from training_site.home.prepared import PreparedQuery
from training_site.people.models import LearnerProfile

from ..people.factories import LearnerProfileFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


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
