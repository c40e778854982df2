"""Scoring properties: bounded, order-independent, all-correct passes, tampering refused."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.scoring import AnswersRejected, KeyedQuestion, score

LETTERS = "abcdef"


@st.composite
def keyed_quizzes(draw):
    count = draw(st.integers(min_value=1, max_value=15))
    questions = []
    for number in range(1, count + 1):
        kind = draw(st.sampled_from(["single", "multiple", "true_false", "scenario"]))
        size = 2 if kind == "true_false" else draw(st.integers(min_value=2, max_value=6))
        keys = frozenset(LETTERS[:size])
        if kind == "multiple":
            correct = frozenset(
                draw(st.lists(st.sampled_from(sorted(keys)), min_size=1, unique=True))
            )
        else:
            correct = frozenset({draw(st.sampled_from(sorted(keys)))})
        questions.append(KeyedQuestion(number, kind, keys, correct))
    return questions


@st.composite
def quiz_and_answers(draw):
    questions = draw(keyed_quizzes())
    answers = {}
    for question in questions:
        if question.kind == "multiple":
            chosen = draw(
                st.lists(st.sampled_from(sorted(question.option_keys)), min_size=1, unique=True)
            )
        else:
            chosen = [draw(st.sampled_from(sorted(question.option_keys)))]
        answers[question.number] = chosen
    return questions, answers


@given(quiz_and_answers(), st.integers(min_value=1, max_value=100))
def test_score_is_within_bounds(case, pass_mark):
    questions, answers = case
    result = score(questions, answers, pass_mark=pass_mark)
    assert 0 <= result.correct <= result.total == len(questions)
    assert 0 <= result.percent <= 100
    assert result.passed == (result.percent >= pass_mark)
    assert result.correct == sum(result.results.values())


@given(quiz_and_answers(), st.randoms(use_true_random=False))
def test_score_does_not_depend_on_order(case, shuffler):
    questions, answers = case
    first = score(questions, answers, pass_mark=70)
    reordered_questions = list(questions)
    shuffler.shuffle(reordered_questions)
    reordered_answers = {n: shuffler.sample(list(c), len(c)) for n, c in reversed(answers.items())}
    assert score(reordered_questions, reordered_answers, pass_mark=70) == first


@given(keyed_quizzes(), st.integers(min_value=1, max_value=100))
def test_all_correct_answers_pass(questions, pass_mark):
    answers = {q.number: sorted(q.correct_keys) for q in questions}
    result = score(questions, answers, pass_mark=pass_mark)
    assert result.correct == result.total
    assert result.percent == 100
    assert result.passed


@settings(max_examples=200)
@given(quiz_and_answers(), st.data())
def test_any_tampered_answer_is_rejected(case, data):
    questions, answers = case
    question = data.draw(st.sampled_from(questions))
    tamper = data.draw(
        st.sampled_from(
            ["foreign option", "unknown question", "missing", "duplicate", "two for one"]
        )
    )
    forged = {n: list(c) for n, c in answers.items()}
    if tamper == "foreign option":
        forged[question.number] = [
            data.draw(
                st.text(min_size=1, max_size=4).filter(lambda t: t not in question.option_keys)
            )
        ]
    elif tamper == "unknown question":
        forged[len(questions) + data.draw(st.integers(min_value=1, max_value=999))] = ["a"]
    elif tamper == "missing":
        del forged[question.number]
    elif tamper == "duplicate":
        forged[question.number] = forged[question.number] + forged[question.number][:1]
    elif question.kind != "multiple":
        forged[question.number] = sorted(question.option_keys)[:2]
    else:
        forged[question.number] = []
    with pytest.raises(AnswersRejected):
        score(questions, forged, pass_mark=70)


def test_multiple_answer_questions_are_all_or_nothing():
    question = KeyedQuestion(1, "multiple", frozenset("abcd"), frozenset("ab"))
    assert score([question], {1: ["a", "b"]}, pass_mark=100).passed
    assert not score([question], {1: ["a"]}, pass_mark=1).passed
    assert not score([question], {1: ["a", "b", "c"]}, pass_mark=1).passed


def test_percent_rounds_down_so_a_near_miss_does_not_pass():
    questions = [KeyedQuestion(n, "single", frozenset("ab"), frozenset("a")) for n in range(1, 11)]
    answers = {n: ["a"] for n in range(1, 8)} | {n: ["b"] for n in range(8, 11)}
    assert score(questions, answers, pass_mark=70).passed
    answers[7] = ["b"]
    result = score(questions, answers, pass_mark=70)
    assert (result.percent, result.passed) == (60, False)
