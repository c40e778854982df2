"""Quiz scoring: a pure function of the answer key and the learner's answers.

No database, no request: the server builds the key when an attempt starts and scores the
answers against it when the attempt is submitted. Nothing a learner sends can change the
key, and anything that does not fit it is refused before a score exists.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SINGLE_ANSWER_KINDS = frozenset({"single", "true_false", "scenario"})


class AnswersRejected(ValueError):
    """The answers do not fit the attempt: a tampered, missing or extra answer."""

    def __init__(self, problems: Mapping[int, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(f"question {n}: {text}" for n, text in sorted(problems.items())))


@dataclass(frozen=True)
class KeyedQuestion:
    """One question as it was shown in an attempt: its number, kind, the option keys shown
    and which of them are correct."""

    number: int
    kind: str
    option_keys: frozenset[str]
    correct_keys: frozenset[str]


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    percent: int
    passed: bool
    results: Mapping[int, bool]


def answers_validate(
    key: Iterable[KeyedQuestion], answers: Mapping[int, Iterable[str]]
) -> dict[int, frozenset[str]]:
    """Check every answer fits its question; return them as sets. Raises AnswersRejected."""
    questions = {question.number: question for question in key}
    problems: dict[int, str] = {}
    cleaned: dict[int, frozenset[str]] = {}
    for number in answers:
        if number not in questions:
            problems[number] = "there is no such question in this attempt"
    for number, question in questions.items():
        chosen = list(answers.get(number, ()))
        chosen_set = frozenset(chosen)
        if not chosen_set:
            problems[number] = "not answered"
        elif len(chosen_set) != len(chosen):
            problems[number] = "the same answer was sent twice"
        elif not chosen_set <= question.option_keys:
            problems[number] = "an answer that was not one of the choices"
        elif question.kind in SINGLE_ANSWER_KINDS and len(chosen_set) > 1:
            problems[number] = "only one answer may be chosen"
        else:
            cleaned[number] = chosen_set
    if problems:
        raise AnswersRejected(problems)
    return cleaned


def score(
    key: Iterable[KeyedQuestion], answers: Mapping[int, Iterable[str]], *, pass_mark: int
) -> Score:
    """All-or-nothing per question: a multiple-answer question is right only when exactly
    the correct options are chosen. Percent rounds down, so 69.9 % never passes a 70 % mark."""
    key = list(key)
    cleaned = answers_validate(key, answers)
    results = {
        question.number: cleaned[question.number] == question.correct_keys for question in key
    }
    correct = sum(results.values())
    total = len(key)
    percent = (100 * correct) // total if total else 0
    return Score(
        correct=correct,
        total=total,
        percent=percent,
        passed=total > 0 and percent >= pass_mark,
        results=results,
    )
