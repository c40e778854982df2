"""What a dashboard or list is narrowed to, checked against what the viewer may see."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.utils import dateformat, timezone

from courses.models import CoursePage
from training_site.people.forms import RecordChoiceField
from training_site.people.inputs import positive_int
from training_site.people.models import Audience, Organisation
from training_site.people.permissions import boroughs_visible_to, reports_are_partnership_wide

# Nothing on this service happened before it existed; anything earlier is a typing slip.
EARLIEST_DATE = date(2015, 1, 1)
LONGEST_RANGE_DAYS = 366 * 10


@dataclass(frozen=True)
class ReportFilters:
    """The places and slice a report covers. `borough_ids` is always within the viewer's
    scope: it comes from the permission module, never straight from the request."""

    borough_ids: tuple[int, ...]
    borough_id: int | None = None
    course_id: int | None = None
    audience_id: int | None = None
    organisation_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def partnership_wide(self) -> bool:
        return reports_are_partnership_wide(self.borough_ids)

    def params(self, **overrides) -> dict[str, str]:
        values = {
            "borough": self.borough_id,
            "course": self.course_id,
            "audience": self.audience_id,
            "organisation": self.organisation_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        values.update(overrides)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def query_string(self, **overrides) -> str:
        return urlencode(self.params(**overrides))

    def as_log(self) -> dict:
        return self.params()


class ScopedChoiceField(RecordChoiceField):
    """A choice among the records the viewer may see; anything else is refused plainly."""

    def __init__(self, *args, refused: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = refused


class ReportFilterForm(forms.Form):
    borough = ScopedChoiceField(
        queryset=None,
        required=False,
        empty_label="All your boroughs",
        refused="That borough is not one you can see. Choose one from the list.",
    )
    course = ScopedChoiceField(
        queryset=CoursePage.objects.live().order_by("title"),
        required=False,
        empty_label="All courses",
        refused="There is no such course. Choose one from the list.",
    )
    audience = ScopedChoiceField(
        queryset=Audience.objects.all(),
        required=False,
        empty_label="All roles",
        label="Role",
        refused="There is no such role. Choose one from the list.",
    )
    organisation = ScopedChoiceField(
        queryset=None,
        required=False,
        empty_label="All organisations",
        refused="That organisation is not in a borough you can see.",
        help_text="Choose a borough first to list its organisations.",
    )
    date_from = forms.DateField(
        required=False,
        label="Started from",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the start date as a real date, for example 2026-01-31."},
    )
    date_to = forms.DateField(
        required=False,
        label="Started up to",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the end date as a real date, for example 2026-12-31."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_boroughs = boroughs_visible_to(user)
        self.fields["borough"].queryset = self.visible_boroughs
        self.fields["organisation"].queryset = Organisation.objects.filter(
            borough__in=self.visible_boroughs
        )
        # The list offered is the chosen borough's organisations only: a select of every
        # organisation in a partnership would outweigh the page.
        chosen = positive_int(self.data.get("borough"))
        chosen_organisation = positive_int(self.data.get("organisation"))
        if chosen is not None:
            offered = Organisation.objects.filter(borough_id=chosen)
        elif chosen_organisation is not None:
            # Reached from a link naming only the organisation: offer its neighbours.
            offered = Organisation.objects.filter(borough__organisations__pk=chosen_organisation)
        else:
            offered = Organisation.objects.none()
        offered = offered.filter(borough__in=self.visible_boroughs).order_by("name")
        self.fields["organisation"].widget.choices = [
            ("", "All organisations"),
            *offered.values_list("pk", "name"),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        latest = timezone.localdate() + timedelta(days=366)
        for name, value in (("date_from", start), ("date_to", end)):
            if value is not None and not EARLIEST_DATE <= value <= latest:
                self.add_error(
                    name,
                    f"Choose a date between {dateformat.format(EARLIEST_DATE, 'j F Y')} and "
                    f"{dateformat.format(latest, 'j F Y')}.",
                )
        if start and end:
            if start > end:
                self.add_error("date_to", "The end date is before the start date.")
            elif (end - start).days > LONGEST_RANGE_DAYS:
                self.add_error("date_to", "Choose a period of ten years or less.")
        borough, organisation = cleaned.get("borough"), cleaned.get("organisation")
        if borough and organisation and organisation.borough_id != borough.pk:
            self.add_error("organisation", "That organisation is in another borough.")
        elif organisation and not borough:
            cleaned["borough"] = organisation.borough
        return cleaned

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        borough = data.get("borough")
        if borough is not None:
            borough_ids = (borough.pk,)
        else:
            borough_ids = tuple(sorted(self.visible_boroughs.values_list("pk", flat=True)))
        return ReportFilters(
            borough_ids=borough_ids,
            borough_id=borough.pk if borough else None,
            course_id=data["course"].pk if data.get("course") else None,
            audience_id=data["audience"].pk if data.get("audience") else None,
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
