"""Each attempt's draw tests every lesson the pool allows, and stays random within a lesson."""

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.attempts import attempt_content, attempt_start, questions_draw, stratified_draw
from courses.models import CoursePage
from courses.services import progress_record

from ..people.factories import LearnerProfileFactory

ADULT_COURSES = ["taxi-and-private-hire", "hotel-and-bnb", "teachers-and-school-staff"]


@st.composite
def pools(draw):
    """A pool of (lesson, question) pairs: up to 12 lessons of 1 to 6 questions each."""
    sizes = draw(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=12))
    return [(lesson, n) for lesson, size in enumerate(sizes) for n in range(size)]


def lesson_of(item):
    return item[0]


@given(pools(), st.integers(min_value=0, max_value=80), st.randoms(use_true_random=False))
def test_a_draw_covers_every_lesson_and_spreads_the_rest_evenly(pool, count, rng):
    drawn = stratified_draw(items=pool, stratum_of=lesson_of, count=count, rng=rng)

    assert len(drawn) == min(count, len(pool))
    assert len(set(drawn)) == len(drawn)
    assert set(drawn) <= set(pool)
    sizes = Counter(lesson for lesson, _ in pool)
    shares = Counter(lesson for lesson, _ in drawn)
    if count >= len(sizes):
        assert set(shares) == set(sizes), "a lesson was left untested"
    else:
        assert sorted(shares.values()) == [1] * count, "fewer places than lessons: one each"
    for lesson, share in shares.items():
        for other in sizes:
            # A lesson only gets a second question once every other lesson has had one (or
            # has run out), and so on.
            if shares[other] < sizes[other]:
                assert share <= shares[other] + 1, (lesson, other, shares, sizes)


def test_questions_within_a_lesson_and_lessons_left_out_are_chosen_at_random():
    rng = random.SystemRandom()
    pool = [("one", n) for n in range(5)] + [("two", n) for n in range(5)]
    seen_in_one, lessons_alone = set(), set()
    for _ in range(200):
        seen_in_one.update(
            item
            for item in stratified_draw(items=pool, stratum_of=lesson_of, count=2, rng=rng)
            if item[0] == "one"
        )
        lessons_alone.update(
            map(lesson_of, stratified_draw(items=pool, stratum_of=lesson_of, count=1, rng=rng))
        )
    assert seen_in_one == {("one", n) for n in range(5)}
    assert lessons_alone == {"one", "two"}


def test_the_order_of_a_draw_mixes_lessons():
    rng = random.Random(7)
    pool = [(lesson, n) for lesson in range(4) for n in range(3)]
    orders = {
        tuple(map(lesson_of, stratified_draw(items=pool, stratum_of=lesson_of, count=8, rng=rng)))
        for _ in range(20)
    }
    assert len(orders) > 1


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ADULT_COURSES)
def test_every_attempt_on_the_real_courses_tests_every_lesson(site_content, slug):
    course = CoursePage.objects.get(slug=slug)
    quiz = course.quiz
    lesson_ids = {lesson.pk for lesson in course.lessons}
    assert quiz.questions_per_attempt >= len(lesson_ids), (
        f"{slug}: {quiz.questions_per_attempt} questions an attempt cannot test "
        f"{len(lesson_ids)} lessons"
    )

    learner = LearnerProfileFactory(audience=course.audience, onboarded=True).user
    for lesson in course.lessons:
        progress_record(learner=learner, lesson=lesson)
    attempt = attempt_start(learner=learner, quiz=quiz, course=course)
    assert len(attempt.items) == quiz.questions_per_attempt
    assert {item["lesson_id"] for item in attempt.items} == lesson_ids

    for _ in range(30):
        items, _ = attempt_content(questions_draw(course=course, count=quiz.questions_per_attempt))
        assert {item["lesson_id"] for item in items} == lesson_ids
