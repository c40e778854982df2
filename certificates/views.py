"""Verification for anyone, certificates for their learner, revocation for officers."""

import hashlib
import hmac
import math

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_POST

from training_site.people.inputs import local_path
from training_site.people.permissions import can_act_for_boroughs, can_use_licensing_tools

from . import services
from .codes import code_normalise
from .links import cards_url, verify_url
from .lookups import cache_count, lookup_count
from .models import Certificate, RevocationReason, VerificationLookup
from .pdf import certificate_pdf
from .selectors import certificate_by_code, certificates_of

# Every limit on checking certificates is over 10 minutes: after that a client may go on.
RATE_LIMIT_RETRY_AFTER = 600


def client_hash(request) -> str:
    """A keyed hash of the client's address: enough to see abuse, useless to identify."""
    address = get_adapter().get_client_ip(request) or ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def lookup_log(request, *, outcome: str, certificate=None, typed: bool) -> None:
    lookup_count(
        outcome=outcome,
        certificate=certificate,
        officer=request.user if request.user.is_authenticated else None,
        client_hash=client_hash(request),
        typed=typed,
    )


def scan_allowed(request) -> bool:
    """Count a look-up at /verify/<code>/ against its client's limit: the address for
    visitors, the account once signed in (a mobile network can put a whole street behind
    one address). The rates are allauth's (ACCOUNT_RATE_LIMITS), but each is counted in
    one cache round trip, a count that starts with the client's first check and lasts the
    rate's period: allauth's own limiter takes a lock and reads and rewrites the list of
    every check's time, four round trips, on the page an officer's phone opens most."""
    action = "verify_code_signed_in" if request.user.is_authenticated else "verify_code"
    for rate in allauth_ratelimit.get_rates(app="allauth.account", action=action):
        client_key = allauth_ratelimit.get_cache_key(
            request, app="allauth.account", action=action, rate=rate
        )
        if cache_count(f"{client_key}:count", timeout=math.ceil(rate.duration)) > rate.amount:
            return False
    return True


def too_many_checks(request):
    """The site's own page, with the form, a 429 and when to come back."""
    response = TemplateResponse(
        request,
        "certificates/verify.html",
        {"form": VerifyForm(), "rate_limited": True},
        status=429,
    )
    response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER)
    return private(response)


def private(response):
    """Verification pages are never cached or indexed: a revocation must show at once."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Certificate code",
        max_length=64,
        help_text="The letters and numbers under the QR code, for example 7K3M-Q9TD-4XWB-H2NRC.",
        error_messages={"required": "Enter the certificate code."},
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}
        ),
    )


def verify(request):
    """Type a code. Each typed lookup counts against the client's limit."""
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="verify_certificate"):
            lookup_log(request, outcome=VerificationLookup.Outcome.RATE_LIMITED, typed=True)
            response = TemplateResponse(
                request,
                "certificates/verify.html",
                {"form": form, "rate_limited": True},
                status=429,
            )
            response["Retry-After"] = str(RATE_LIMIT_RETRY_AFTER)
            return private(response)
        code = code_normalise(form.cleaned_data["code"])
        if code is not None:
            return redirect(reverse("certificates:verify_code", args=[code]) + "?typed=1")
        lookup_log(request, outcome=VerificationLookup.Outcome.MALFORMED, typed=True)
        return not_found(request, form)
    return private(TemplateResponse(request, "certificates/verify.html", {"form": form}))


def not_found(request, form=None):
    """Unknown and malformed codes look the same, so nobody can learn which codes exist."""
    return private(
        TemplateResponse(
            request,
            "certificates/verify_not_found.html",
            {"form": form or VerifyForm()},
            status=404,
        )
    )


def verify_code(request, code: str):
    """What the QR code opens: status first, then only what is needed to match the person."""
    typed = request.GET.get("typed") == "1"
    if not scan_allowed(request):
        lookup_log(request, outcome=VerificationLookup.Outcome.RATE_LIMITED, typed=typed)
        return too_many_checks(request)
    certificate = certificate_by_code(code)
    if certificate is None:
        outcome = (
            VerificationLookup.Outcome.NOT_FOUND
            if code_normalise(code)
            else VerificationLookup.Outcome.MALFORMED
        )
        lookup_log(request, outcome=outcome, typed=typed)
        return not_found(request)
    lookup_log(
        request, outcome=VerificationLookup.Outcome.FOUND, certificate=certificate, typed=typed
    )
    may_act = can_act_for_boroughs(request.user, certificate.scope_borough_ids)
    if certificate.learner_closed_at is not None:
        return verify_gone(
            request, certificate, officer=may_act or can_use_licensing_tools(request.user)
        )
    return verify_result(request, certificate, may_act=may_act)


def verify_gone(request, certificate, *, officer: bool):
    """The holder closed their account, so the certificate names no one and proves nothing.
    Licensing officers are told when, and what it was; anyone else learns only that it is
    gone (a 410, as for any withdrawn page)."""
    context = {"certificate": certificate, "status": certificate.status} if officer else {}
    return private(TemplateResponse(request, "certificates/verify_gone.html", context, status=410))


def verify_result(request, certificate, *, may_act: bool, revoke_form=None, status=200):
    return private(
        TemplateResponse(
            request,
            "certificates/verify_result.html",
            {
                "certificate": certificate,
                "status": certificate.status,
                "may_act": may_act,
                "reasons": RevocationReason.choices,
                "revoke_form": revoke_form,
            },
            status=status,
        )
    )


def certificate_for_officer(request, code: str) -> Certificate:
    certificate = certificate_by_code(code)
    if certificate is None:
        raise Http404("No such certificate.")
    if not can_act_for_boroughs(request.user, certificate.scope_borough_ids):
        raise PermissionDenied(
            "Only licensing officers and safeguarding leads for this certificate's councils "
            "can change it."
        )
    return certificate


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        choices=RevocationReason.choices,
        error_messages={
            "required": "Choose a reason.",
            "invalid_choice": "Choose a reason from the list.",
        },
    )
    note = forms.CharField(max_length=500, required=False, label="Details (optional)")


@login_required
@require_POST
def revoke(request, code: str):
    certificate = certificate_for_officer(request, code)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return revoke_refused(request, certificate, form)
    services.certificate_revoke(
        certificate=certificate,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, f"Certificate {certificate.display_code} is revoked.")
    return redirect("certificates:verify_code", code=certificate.code)


def revoke_refused(request, certificate, form):
    """The verification page again, with the form's errors and what was typed."""
    return verify_result(request, certificate, may_act=True, revoke_form=form, status=400)


@login_required
@require_POST
def reinstate(request, code: str):
    certificate = certificate_for_officer(request, code)
    services.certificate_reinstate(
        certificate=certificate, actor=request.user, note=request.POST.get("note", "")
    )
    messages.success(request, f"Certificate {certificate.display_code} is reinstated.")
    return redirect("certificates:verify_code", code=certificate.code)


@login_required
def my_certificates(request):
    return TemplateResponse(
        request,
        "certificates/my_certificates.html",
        {
            "entries": [
                {"certificate": certificate, "verify_link": verify_url(certificate)}
                for certificate in certificates_of(request.user)
            ],
            "training_path": settings.CERTIFICATES_TRAINING_PATH,
            "cards_url": cards_url(request.user),
        },
    )


def own_certificate(request, code: str) -> Certificate:
    """A learner's own certificate; anyone else's is simply not found."""
    certificate = certificate_by_code(code)
    if certificate is None or certificate.learner_id != request.user.pk:
        raise Http404("No such certificate.")
    return certificate


@login_required
def pdf(request, code: str):
    certificate = own_certificate(request, code)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    )
    return private(response)


@login_required
@require_POST
def email_copy(request, code: str):
    certificate = own_certificate(request, code)
    if services.certificate_email(certificate=certificate):
        messages.success(
            request,
            f"We have emailed a copy to {request.user.email}. It can take a few minutes to arrive.",
        )
    else:
        messages.warning(
            request,
            "We could not make the copy to email just now. We will try again shortly; "
            "you can also download it.",
        )
    # Back to the page the button was on (the test result, say), if it is one of ours.
    back = local_path(request.POST.get("next"), host=request.get_host())
    return redirect(back or "certificates:mine")
