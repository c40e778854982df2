"""A learner's own pages: onboarding, profile, licences and workplace."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .forms import (
    LicenceForm,
    OrganisationChoiceForm,
    OrganisationSearchForm,
    ProfileForm,
    licence_taken_message,
)
from .inputs import local_path, slug
from .models import Audience, LearnerProfile, Licence, Organisation
from .permissions import can_manage_own_record

MAX_ORGANISATION_MATCHES = 20
# Where to go once onboarding is done, when it began from a page (a lesson, say).
RETURN_KEY = "people.onboarding_return"


def profile_of(user) -> LearnerProfile | None:
    return (
        LearnerProfile.objects.select_related("audience", "home_borough", "organisation__borough")
        .filter(user=user)
        .first()
    )


def step_after_profile(profile: LearnerProfile) -> str:
    if profile.audience.holds_licences:
        return reverse("people:licences")
    return reverse("people:organisation")


def finish_or_continue(request, profile: LearnerProfile):
    """After each onboarding step: finish when the profile is complete, else the next step."""
    if services.onboarding_finish(user=request.user):
        if profile.onboarded_at is None:
            messages.success(request, "Your profile is set up. You can start training now.")
        # Back to the lesson they were reading when they signed up, if any; otherwise
        # their training, the same place as after sign-in.
        return redirect(request.session.pop(RETURN_KEY, None) or settings.LOGIN_REDIRECT_URL)
    return redirect(step_after_profile(profile))


@login_required
def onboarding(request):
    profile = profile_of(request.user)
    initial = {}
    audience_slug = slug(request.GET.get("audience"), max_length=80)
    if profile is None and audience_slug:
        initial["audience"] = Audience.objects.filter(slug=audience_slug, is_active=True).first()
    back_to = local_path(request.GET.get("next"), host=request.get_host())
    if back_to:
        request.session[RETURN_KEY] = back_to
    form = ProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile = services.profile_save(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            audience=form.cleaned_data["audience"],
            home_borough=form.cleaned_data["home_borough"],
        )
        return finish_or_continue(request, profile_of(request.user))
    return TemplateResponse(
        request,
        "people/onboarding.html",
        {"form": form, "onboarding": profile is None or profile.onboarded_at is None},
    )


@login_required
def profile(request):
    learner_profile = profile_of(request.user)
    if learner_profile is None:
        return redirect("people:onboarding")
    return TemplateResponse(
        request,
        "people/profile.html",
        {
            "profile": learner_profile,
            "licences": request.user.licences.select_related("authority"),
        },
    )


@login_required
def licences(request):
    learner_profile = profile_of(request.user)
    if learner_profile is None:
        return redirect("people:onboarding")
    form = LicenceForm(request.POST or None, holder=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_add(
                holder=request.user,
                authority=form.cleaned_data["authority"],
                number=form.cleaned_data["number"],
            )
        except services.LicenceAlreadyClaimed as taken:
            form.add_error("number", licence_taken_message(taken.authority))
        else:
            messages.success(request, "Licence added.")
            return redirect("people:licences")
    held = list(request.user.licences.select_related("authority"))
    return TemplateResponse(
        request,
        "people/licences.html",
        {
            "form": form,
            "licences": held,
            "profile": learner_profile,
            "onboarding": learner_profile.onboarded_at is None,
        },
    )


@login_required
@require_POST
def licence_remove(request, pk: int):
    licence = Licence.objects.filter(pk=pk).select_related("holder").first()
    if licence is None:
        raise Http404("No such licence.")
    if not can_manage_own_record(request.user, licence.holder):
        raise PermissionDenied("You can only change your own licences.")
    services.licence_remove(holder=request.user, licence_id=pk)
    messages.success(request, f"Licence {licence.number} removed.")
    return redirect("people:licences")


@login_required
def licences_done(request):
    """The "continue" button under the licence list during onboarding."""
    learner_profile = profile_of(request.user)
    if learner_profile is None:
        return redirect("people:onboarding")
    if request.method == "POST" and not request.user.licences.exists():
        if "applying" in request.POST:
            services.licence_application_declare(user=request.user)
            return finish_or_continue(request, learner_profile)
        messages.error(request, "Add at least one licence to continue.")
        return redirect("people:licences")
    return finish_or_continue(request, learner_profile)


@login_required
def organisation(request):
    learner_profile = profile_of(request.user)
    if learner_profile is None:
        return redirect("people:onboarding")
    kind = learner_profile.audience.organisation_kind
    if request.method == "POST":
        return organisation_choose(request, learner_profile, kind)
    search = OrganisationSearchForm(request.GET if "q" in request.GET else None)
    if not search.is_bound:
        search.initial = {"borough": learner_profile.home_borough_id}
    context = {"search": search, "profile": learner_profile}
    if search.is_bound and search.is_valid():
        matches = organisations_matching(search.cleaned_data, kind)
        context["choice"] = OrganisationChoiceForm(
            initial={
                "borough": search.cleaned_data["borough"].pk,
                "name": search.cleaned_data["q"],
            },
            matches=matches,
        )
        context["matches"] = matches
        context["new_name"] = search.cleaned_data["q"]
    if search.is_bound and not search.is_valid():
        return TemplateResponse(request, "people/organisation.html", context, status=400)
    return TemplateResponse(request, "people/organisation.html", context)


def organisations_matching(search: dict, kind: str) -> list[Organisation]:
    matches = Organisation.objects.filter(
        borough=search["borough"], name__icontains=search["q"].strip()
    ).select_related("borough")
    if kind:
        matches = matches.filter(kind=kind)
    return list(matches.order_by("-is_confirmed", "name")[:MAX_ORGANISATION_MATCHES])


def organisation_choose(request, learner_profile: LearnerProfile, kind: str):
    search = OrganisationSearchForm(
        {"borough": request.POST.get("borough"), "q": request.POST.get("name", "")}
    )
    matches = organisations_matching(search.cleaned_data, kind) if search.is_valid() else []
    choice = OrganisationChoiceForm(request.POST, matches=matches)
    if not choice.is_valid():
        return TemplateResponse(
            request,
            "people/organisation.html",
            {
                "search": search,
                "choice": choice,
                "matches": matches,
                "profile": learner_profile,
                "new_name": request.POST.get("name", ""),
            },
        )
    joined = services.organisation_join(
        user=request.user,
        organisation=choice.chosen_organisation,
        new_name=choice.cleaned_data["name"],
        borough=choice.cleaned_data["borough"],
        kind=kind or Organisation.Kind.OTHER,
    )
    messages.success(request, f"You are listed at {joined.name}.")
    return finish_or_continue(request, learner_profile)
