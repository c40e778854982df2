"""Licensing officers' tools: look up one licence, check a pasted batch, list who expires."""

from allauth.core import ratelimit
from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone

from training_site.people.forms import RecordChoiceField
from training_site.people.models import Borough
from training_site.people.permissions import can_use_licensing_tools, licensing_authorities_of
from training_site.people.validators import normalise_licence_number

from .exports import csv_response
from .licences import (
    BATCH_LIMIT,
    BATCH_TOO_LONG,
    EXPIRING_COLUMNS,
    BatchTooLong,
    batch_check,
    batch_parse,
    expiring_for,
    licence_lookup,
)
from .models import ReportAccess
from .views import access_log, refused, staff_only


class AuthorityField(RecordChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Licensing authority")
        kwargs.setdefault("empty_label", None)
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = "Choose a licensing authority from the list."
        self.error_messages["required"] = "Choose the licensing authority."


class LookupForm(forms.Form):
    authority = AuthorityField(queryset=Borough.objects.all())
    number = forms.CharField(
        label="Licence or badge number",
        max_length=40,
        error_messages={"required": "Enter the licence or badge number."},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )


class BatchForm(forms.Form):
    authority = AuthorityField(queryset=Borough.objects.all())
    numbers = forms.CharField(
        label="Licence numbers",
        help_text=f"One per line, up to {BATCH_LIMIT}, or rows pasted from a spreadsheet: "
        "the licence-number column is found. Spaces, dashes and case do not matter.",
        # 500 rows of a pasted spreadsheet (number, name, dates); a longer paste is refused
        # before it is parsed.
        max_length=BATCH_LIMIT * 200,
        error_messages={
            "required": "Paste at least one licence number.",
            "max_length": BATCH_TOO_LONG,
        },
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        if "numbers" in cleaned:
            try:
                cleaned["batch"] = batch_parse(cleaned["numbers"])
            except BatchTooLong as problem:
                self.add_error("numbers", str(problem))
            else:
                if not cleaned["batch"].lines:
                    self.add_error("numbers", "Paste at least one licence number.")
        return cleaned


class ExpiringForm(forms.Form):
    WINDOWS = [
        (30, "30 days"),
        (60, "60 days"),
        (90, "90 days"),
        (180, "6 months"),
        (365, "a year"),
    ]
    authority = AuthorityField(queryset=Borough.objects.none())
    days = forms.TypedChoiceField(
        label="Expiring within",
        choices=WINDOWS,
        coerce=int,
        initial=90,
        error_messages={"invalid_choice": "Choose one of the periods listed."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = licensing_authorities_of(user)
        self.fields["authority"].error_messages["invalid_choice"] = (
            "You can list the drivers of your own licensing authority only."
        )


def default_authority(request):
    return licensing_authorities_of(request.user).values_list("pk", flat=True).first()


@staff_only(can_use_licensing_tools)
def lookup(request):
    # Posted, not a GET query, so licence numbers stay out of server logs and history.
    if request.method != "POST":
        form = LookupForm(initial={"authority": default_authority(request)})
        return TemplateResponse(request, "reports/licence_lookup.html", {"form": form})
    form = LookupForm(request.POST)
    if not form.is_valid():
        return refused(request, "reports/licence_lookup.html", {"form": form})
    if not ratelimit.consume(request, action="licence_lookup"):
        response = TemplateResponse(
            request, "reports/licence_lookup.html", {"form": form, "rate_limited": True}, status=429
        )
        response["Retry-After"] = "600"
        return response
    authority, number = form.cleaned_data["authority"], form.cleaned_data["number"]
    found = licence_lookup(authority=authority, number=number)
    access_log(
        request,
        kind=ReportAccess.Kind.LICENCE_LOOKUP,
        what=f"licence {authority.ons_code}",
        filters={"authority": authority.pk, "number": number},
        row_count=1 if found else 0,
    )
    today = timezone.localdate()
    context = {
        "form": form,
        "searched": True,
        "found": found,
        "number": normalise_licence_number(number),
    }
    if found:
        context["certificates"] = [
            {"certificate": certificate, "status": certificate.status_on(today)}
            for certificate in found["certificates"]
        ]
    return TemplateResponse(request, "reports/licence_lookup.html", context)


@staff_only(can_use_licensing_tools)
def batch(request):
    if request.method != "POST":
        form = BatchForm(initial={"authority": default_authority(request)})
        return TemplateResponse(request, "reports/batch_check.html", {"form": form})
    form = BatchForm(request.POST)
    if not form.is_valid():
        return refused(request, "reports/batch_check.html", {"form": form})
    authority, parsed = form.cleaned_data["authority"], form.cleaned_data["batch"]
    results = batch_check(authority=authority, batch=parsed, today=timezone.localdate())
    wants_csv = request.POST.get("format") == "csv"
    access_log(
        request,
        kind=ReportAccess.Kind.EXPORT if wants_csv else ReportAccess.Kind.BATCH_CHECK,
        what=f"batch check {authority.ons_code}",
        filters={"authority": authority.pk, "numbers": len(parsed.lines)},
        row_count=len(results),
    )
    if wants_csv:
        return csv_response(
            filename=f"licence-check-{authority.slug}-{timezone.localdate().isoformat()}.csv",
            columns=("Licence number", "As typed", "Status", "Name", "Valid until", "Certificate"),
            rows=(
                (
                    result.number,
                    result.typed,
                    result.standing.text,
                    result.standing.name,
                    result.standing.valid_until,
                    result.standing.code,
                )
                for result in results
            ),
        )
    context = {"form": form, "results": results, "parsed": parsed, "authority": authority}
    return TemplateResponse(request, "reports/batch_check.html", context)


@staff_only(lambda user: licensing_authorities_of(user).exists())
def expiring(request):
    data = request.GET.copy()
    data.setdefault("authority", str(default_authority(request)))
    data.setdefault("days", "90")
    form = ExpiringForm(data, user=request.user)
    if not form.is_valid():
        return refused(request, "reports/expiring.html", {"form": form})
    authority, days = form.cleaned_data["authority"], form.cleaned_data["days"]
    rows = expiring_for(authority_ids=[authority.pk], days=days, today=timezone.localdate())
    log = {"authority": authority.pk, "days": days}
    if request.GET.get("format") == "csv":
        access_log(request, kind=ReportAccess.Kind.EXPORT, what="expiring", filters=log)
        return csv_response(
            filename=f"expiring-{authority.slug}-{timezone.localdate().isoformat()}.csv",
            columns=EXPIRING_COLUMNS,
            rows=rows.iterator(chunk_size=2000),
        )
    shown = list(rows[:500])
    access_log(
        request, kind=ReportAccess.Kind.EXPIRING, what="expiring", filters=log, row_count=len(shown)
    )
    today = timezone.localdate()
    context = {
        "form": form,
        "authority": authority,
        "days": days,
        "rows": [(*row, (row[3] - today).days) for row in shown],
        "more": rows[500:501].exists(),
        "csv_query": f"authority={authority.pk}&days={days}&format=csv",
    }
    return TemplateResponse(request, "reports/expiring.html", context)
