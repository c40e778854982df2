"""Every choice a learner or member of staff makes on the site starts from "Choose ...", never
Django's "---------"."""

import inspect

import pytest
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.urls import reverse

from certificates import views as certificate_views
from courses.classroom import forms as classroom_forms
from training_site.people import forms as people_forms
from training_site.reports import filters, licensing_views

from .factories import BoroughFactory, UserFactory

DASHES = BLANK_CHOICE_DASH[0][1]
SITE_FORM_MODULES = (people_forms, filters, licensing_views, classroom_forms, certificate_views)


def site_forms() -> list[type[forms.BaseForm]]:
    return [
        form
        for module in SITE_FORM_MODULES
        for _, form in inspect.getmembers(module, inspect.isclass)
        if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__
    ]


def choice_labels(field: forms.Field) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return [field.empty_label or ""]
    if isinstance(field, forms.ChoiceField):
        return [str(label) for _, label in field.choices]
    return []


@pytest.mark.parametrize("form", site_forms(), ids=lambda form: form.__name__)
def test_no_choice_shows_dashes(form):
    for name, field in form.base_fields.items():
        assert DASHES not in choice_labels(field), f"{form.__name__}.{name}"


def test_the_site_forms_were_found():
    names = {form.__name__ for form in site_forms()}
    assert {"ProfileForm", "LicenceForm", "ReportFilterForm", "SessionStartForm"} <= names


@pytest.mark.django_db
def test_onboarding_asks_to_choose_a_council(client):
    BoroughFactory(name="Kirklees", slug="kirklees", ons_code="E08000034")
    client.force_login(UserFactory())
    html = client.get(reverse("people:onboarding")).content.decode()
    assert '<option value="" selected>Choose a council</option>' in html
    assert DASHES not in html
