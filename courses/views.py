"""The learner's dashboard: courses in progress and completed, and where to carry on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from training_site.people.models import onboarding_done
from training_site.people.permissions import scope_of

from .access import learner_profile
from .selectors import dashboard_for


@login_required
def dashboard(request):
    profile = learner_profile(request.user)
    # An onboarded profile means onboarding is done: only other accounts need the longer check.
    if profile is None and not onboarding_done(request.user):
        return redirect("people:onboarding")
    context = {
        "profile": profile,
        "staff_area": scope_of(request.user).is_staff_scope,
        "licence_missing": profile is not None and profile.licence_missing,
    }
    if profile is not None:
        context.update(dashboard_for(learner=request.user))
    return TemplateResponse(request, "courses/dashboard.html", context)
