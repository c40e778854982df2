"""Admin forms for tests: a question must make sense before it can be saved."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .scoring import SINGLE_ANSWER_KINDS

TRUE_FALSE_OPTIONS = ("true", "false")


def question_problems(*, kind: str, options: list[tuple[str, bool]], scenario: str) -> list[str]:
    """What is wrong with a question's answers, in an editor's words. Empty when fine."""
    problems = []
    correct = sum(1 for _, is_correct in options if is_correct)
    if len(options) < 2:
        problems.append("Give at least two answers.")
    if kind in SINGLE_ANSWER_KINDS and correct != 1:
        problems.append("Mark exactly one answer as correct.")
    if kind == "multiple" and correct < 2:
        problems.append("A several-answer question needs at least two correct answers.")
    if kind == "multiple" and correct == len(options):
        problems.append("At least one answer must be wrong.")
    if kind == "true_false" and sorted(text.strip().lower() for text, _ in options) != sorted(
        TRUE_FALSE_OPTIONS
    ):
        problems.append('A true or false question has exactly two answers: "True" and "False".')
    if kind == "scenario" and not scenario.strip():
        problems.append("A scenario question needs the situation written out.")
    return problems


class QuestionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        if formset is None or not formset.is_valid():
            return cleaned
        options = [
            (form.cleaned_data.get("text", ""), bool(form.cleaned_data.get("is_correct")))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for problem in question_problems(
            kind=cleaned.get("kind", ""), options=options, scenario=cleaned.get("scenario", "")
        ):
            self.add_error(None, problem)
        course, lesson = cleaned.get("course"), cleaned.get("lesson")
        if course and lesson and not lesson.is_descendant_of(course):
            self.add_error("lesson", ValidationError("Choose a lesson from the same course."))
        return cleaned
