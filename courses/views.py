"""The learner's dashboard: courses in progress and completed, and where to carry on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from training_site.people.adapters import onboarding_done

from .access import learner_profile
from .selectors import dashboard_for


@login_required
def dashboard(request):
    if not onboarding_done(request.user):
        return redirect("people:onboarding")
    context = {"profile": learner_profile(request.user)}
    if context["profile"] is not None:
        context.update(dashboard_for(learner=request.user))
    return TemplateResponse(request, "courses/dashboard.html", context)
