"""A learner's own records: read them, download them, close the account.

What is held comes from every app, so settings name the functions that gather it
(PEOPLE_RECORDS) and close an account across them (PEOPLE_ACCOUNT_CLOSE); people's pages
call them without importing the apps above.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

from allauth.account.decorators import reauthentication_required
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import date as date_format
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_safe

from . import services
from .models import AccountEvent
from .records import may_close_account

NOT_GIVEN = "None"


def records_of(user) -> dict:
    return import_string(settings.PEOPLE_RECORDS)(user)


def private(response):
    """Someone's whole record: never kept by a browser or a cache on the way."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@dataclass(frozen=True)
class Row:
    label: str
    text: str = ""
    items: list | None = None  # nested entries, each a list of Rows


def label_of(key: str) -> str:
    return capfirst(key.replace("_", " "))


def text_of(value) -> str:
    if value is None or value == "" or value == []:
        return NOT_GIVEN
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, list):
        return "; ".join(text_of(item) for item in value)
    return str(value)


def rows_of(record: dict) -> list[Row]:
    """One entry as label and text, with lists of entries (answers, history) nested."""
    rows = []
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows.append(Row(label_of(key), items=[rows_of(item) for item in value]))
        elif isinstance(value, dict):
            rows.append(Row(label_of(key), items=[rows_of(value)]))
        else:
            rows.append(Row(label_of(key), text_of(value)))
    return rows


def readable(records: dict) -> list[dict]:
    """The records as sections of entries for the page, in the order they were gathered."""
    sections = []
    for key, value in records.items():
        entries = value if isinstance(value, list) else [value] if value else []
        sections.append(
            {
                "id": key.replace("_", "-"),
                "title": label_of(key),
                "entries": [rows_of(entry) for entry in entries],
            }
        )
    return sections


@require_safe
@login_required
def records(request):
    services.account_event_log(user=request.user, kind=AccountEvent.Kind.RECORDS_VIEWED)
    return private(
        TemplateResponse(
            request,
            "people/records.html",
            {"sections": readable(records_of(request.user))},
        )
    )


@require_safe
@login_required
def records_download(request):
    services.account_event_log(user=request.user, kind=AccountEvent.Kind.RECORDS_DOWNLOADED)
    now = timezone.now()
    body = json.dumps(
        {"service": "Spot the Signs", "downloaded": now, "records": records_of(request.user)},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="spot-the-signs-records-{timezone.localdate(now).isoformat()}.json"'
    )
    return private(response)


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account, profile and training records will be deleted "
        "and my certificates will no longer be valid evidence of my training.",
        error_messages={"required": "Tick the box to confirm you want to close your account."},
    )


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required(allow_get=True)
def account_close(request):
    """GET explains what closing does; POST, after allauth has asked the learner to prove it
    is them again (a password or an emailed code), closes it."""
    closable = may_close_account(request.user)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not closable:
            raise PermissionDenied("Staff accounts are closed by a site administrator.")
        if form.is_valid():
            import_string(settings.PEOPLE_ACCOUNT_CLOSE)(user=request.user)
            logout(request)
            return redirect("people:account_closed")
    return private(
        TemplateResponse(
            request,
            "people/account_close.html",
            {"form": form, "closable": closable},
            status=400 if form.is_bound else 200,
        )
    )


@require_safe
def account_closed(request):
    return TemplateResponse(request, "people/account_closed.html")
