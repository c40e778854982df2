"""Forms for starting a session and for pupils joining one."""

from django import forms
from django.utils import timezone

from .codes import JOIN_CODE_LENGTH
from .models import CLASS_SIZE_MAX, QUESTION_MAX_LENGTH, YearGroup

CHOOSE = [("", "Choose a year group")]


class SessionStartForm(forms.Form):
    year_group = forms.ChoiceField(
        choices=CHOOSE + YearGroup.choices,
        error_messages={"required": "Choose the year group you are teaching."},
    )
    class_size = forms.IntegerField(
        label="How many pupils are in the class?",
        min_value=1,
        max_value=CLASS_SIZE_MAX,
        help_text=f"A number from 1 to {CLASS_SIZE_MAX}. It is counted, never linked to pupils.",
        error_messages={
            "required": "Enter how many pupils are in the class.",
            "invalid": "Enter the class size as a number, for example 28.",
            "min_value": "Enter a class size of at least 1.",
            "max_value": f"Enter a class size of {CLASS_SIZE_MAX} or fewer.",
        },
    )
    taught_on = forms.DateField(
        label="Date of the lesson",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the lesson.",
            "invalid": "Enter the date as a real date, for example 2026-12-01.",
        },
    )

    def clean_taught_on(self):
        taught_on = self.cleaned_data["taught_on"]
        today = timezone.localdate()
        if abs((taught_on - today).days) > 1:
            raise forms.ValidationError("A session runs today: enter today's date.")
        return taught_on


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Class code",
        max_length=40,
        help_text=f"The {JOIN_CODE_LENGTH} letters and numbers on the board.",
        error_messages={"required": "Enter the class code from the board."},
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class AnonymousQuestionForm(forms.Form):
    text = forms.CharField(
        label="Ask the teacher a question",
        help_text=(
            f"Do not put your name. Up to {QUESTION_MAX_LENGTH} characters. Only your "
            "teacher sees it."
        ),
        # A little room over the limit, so the service can say how much too long it is.
        max_length=QUESTION_MAX_LENGTH * 4,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUESTION_MAX_LENGTH}),
        error_messages={"required": "Write your question first."},
    )
