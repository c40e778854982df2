"""Forms learners fill in about themselves. Every error is said on the form, in plain words."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

from .inputs import positive_int
from .models import Audience, Borough, LearnerProfile, Licence, Organisation
from .validators import (
    FULL_NAME_MAX_LENGTH,
    normalise_full_name,
    normalise_licence_number,
    validate_licence_number,
)


class RecordChoiceField(forms.ModelChoiceField):
    """A choice of row by id that refuses ids no table could hold before asking the
    database: SQLite raises OverflowError on them, which would be a 500."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if positive_int(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoroughChoiceField(RecordChoiceField):
    default_error_messages = {
        "invalid_choice": "Choose a borough from the list.",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "Choose a council")
        super().__init__(*args, **kwargs)


class ProfileForm(forms.ModelForm):
    audience = RecordChoiceField(
        queryset=Audience.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        label="What is your role?",
        error_messages={
            "required": "Choose the role you are training for.",
            "invalid_choice": "Choose a role from the list.",
        },
    )
    home_borough = BoroughChoiceField(
        queryset=Borough.objects.all(),
        label="Which council area do you work in?",
        help_text="We show you this council's contacts for reporting a concern.",
        error_messages={"required": "Choose the council area you work in."},
    )

    class Meta:
        model = LearnerProfile
        fields = ["full_name", "audience", "home_borough"]
        labels = {"full_name": "Full name"}
        error_messages = {
            "full_name": {
                "required": "Enter your full name.",
                "max_length": (
                    f"Your name must be {FULL_NAME_MAX_LENGTH} characters or fewer, to fit on "
                    "your certificate (it has %(show_value)d)."
                ),
            }
        }
        widgets = {
            "full_name": forms.TextInput(
                attrs={
                    "autocomplete": "name",
                    "spellcheck": "false",
                    "maxlength": FULL_NAME_MAX_LENGTH,
                }
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].label_from_instance = audience_label

    def clean_full_name(self):
        return normalise_full_name(self.cleaned_data["full_name"])


def audience_label(audience: Audience) -> str:
    if audience.description:
        return f"{audience.name}: {audience.description}"
    return audience.name


class LicenceForm(forms.Form):
    authority = BoroughChoiceField(
        queryset=Borough.objects.all(),
        label="Licensing authority",
        help_text="The council that issued the licence.",
        error_messages={"required": "Choose the council that issued your licence."},
    )
    number = forms.CharField(
        label="Licence or badge number",
        max_length=40,
        error_messages={
            "required": "Enter your licence or badge number.",
            "max_length": "A licence number is at most 20 letters and numbers.",
        },
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, holder=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.holder = holder

    def clean_number(self):
        number = normalise_licence_number(self.cleaned_data["number"])
        validate_licence_number(number)
        return number

    def clean(self):
        cleaned = super().clean()
        authority, number = cleaned.get("authority"), cleaned.get("number")
        if authority and number:
            taken = Licence.objects.filter(authority=authority, number=number)
            if self.holder is not None:
                taken = taken.exclude(holder=self.holder)
            if taken.exists():
                self.add_error("number", licence_taken_message(authority))
        return cleaned


def licence_taken_message(authority: Borough) -> str:
    contact = f" at {authority.licensing_email}" if authority.licensing_email else ""
    return (
        f"This number is already registered with {authority.name}. If it is yours, "
        f"contact {authority.name}'s licensing team{contact}."
    )


class OrganisationSearchForm(forms.Form):
    borough = BoroughChoiceField(
        queryset=Borough.objects.all(),
        label="Council area",
        error_messages={"required": "Choose the council area your workplace is in."},
    )
    q = forms.CharField(
        label="Name of your workplace",
        min_length=2,
        max_length=150,
        error_messages={
            "required": "Enter the name of your workplace.",
            "min_length": "Enter at least 2 letters of the name.",
            "max_length": "Names are at most 150 characters.",
        },
    )


class OrganisationChoiceForm(forms.Form):
    """Pick one of the matches, or say none fits and add the name as typed."""

    NEW = "new"

    choice = forms.CharField(error_messages={"required": "Choose your workplace."})
    borough = BoroughChoiceField(queryset=Borough.objects.all(), widget=forms.HiddenInput)
    name = forms.CharField(max_length=150, widget=forms.HiddenInput)

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {str(org.pk): org for org in matches}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Enter the name of your workplace.")
        if any(char in name for char in "<>{}"):
            raise forms.ValidationError("Use letters, numbers and ordinary punctuation only.")
        return name

    def clean_choice(self):
        choice = self.cleaned_data["choice"]
        if choice != self.NEW and choice not in self.matches:
            raise forms.ValidationError("Choose one of the workplaces listed.")
        return choice

    @property
    def chosen_organisation(self) -> Organisation | None:
        return self.matches.get(self.cleaned_data["choice"])


class SignupForm(AllauthSignupForm):
    """The password is optional: most learners sign in on a phone with an emailed code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].widget.attrs.pop("placeholder", None)
        password = self.fields.get("password1")
        if password is not None:
            password.label = "Password (optional)"
            password.help_text = (
                "Leave this blank to sign in with a code we email you each time. "
                "If you choose a password, use at least 10 characters."
            )
            password.widget.attrs.pop("placeholder", None)
