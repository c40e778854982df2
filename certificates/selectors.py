"""Reads for certificates: lookups by code, a learner's list, and what is due a reminder."""

from datetime import date, timedelta

from django.utils import timezone

from .codes import code_normalise
from .models import Certificate, Reminder

REFRESHER_WINDOW_DAYS = 90
REMINDER_WINDOWS = {
    # kind: (first day it may go, last day it may go), in days to expiry
    Reminder.Kind.DAYS_60: (60, 15),
    Reminder.Kind.DAYS_14: (14, 0),
    Reminder.Kind.EXPIRED: (-1, -30),
}


def certificate_by_code(raw: str) -> Certificate | None:
    """The certificate a typed or scanned code means, or None. One query at most."""
    code = code_normalise(raw)
    if code is None:
        return None
    try:
        return Certificate.objects.get(code=code)
    except Certificate.DoesNotExist:
        return None


def certificates_of(learner) -> list[Certificate]:
    return list(
        Certificate.objects.filter(learner=learner)
        .select_related("superseded_by", "course_page")
        .order_by("-issued_at")
    )


# The certificate that speaks for a learner on a course is the newest one issued, whatever
# its status.
NEWEST_FIRST = ("-issued_at", "-pk")


def current_certificates(learner) -> dict[int, Certificate]:
    """Each course page's current certificate for the learner, keyed by course page id."""
    current: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(
        learner=learner, course_page__isnull=False
    ).order_by(*NEWEST_FIRST):
        current.setdefault(certificate.course_page_id, certificate)
    return current


def current_certificate(*, learner, course_page_id: int) -> Certificate | None:
    """The learner's current certificate for one course page."""
    return (
        Certificate.objects.filter(learner=learner, course_page_id=course_page_id)
        .order_by(*NEWEST_FIRST)
        .first()
    )


def certificate_for_completion(completion_ref: str) -> Certificate | None:
    """The certificate issued for one completion (a passed attempt), if there is one."""
    return Certificate.objects.filter(completion_ref=completion_ref).first()


def renewal_due(certificate: Certificate | None, today: date | None = None) -> bool:
    """A certificate is due for renewal from 90 days before it expires, and after. A revoked
    one is not: the council decides what happens next."""
    today = today or timezone.localdate()
    return (
        certificate is not None
        and certificate.revoked_at is None
        and certificate.valid_until is not None
        and certificate.valid_until <= today + timedelta(days=REFRESHER_WINDOW_DAYS)
    )


def refresher_open(*, learner, course_page_id: int, today: date | None = None) -> bool:
    """A learner may retake a course once their current certificate for it is due for
    renewal."""
    return renewal_due(current_certificate(learner=learner, course_page_id=course_page_id), today)


def reminders_due(*, kind: str, today: date):
    """Standing certificates inside the kind's window that have not had this reminder."""
    latest, earliest = REMINDER_WINDOWS[kind]
    return (
        Certificate.objects.standing()
        .filter(
            learner__isnull=False,
            valid_until__lte=today + timedelta(days=latest),
            valid_until__gte=today + timedelta(days=earliest),
        )
        .exclude(reminders__kind=kind)
        .select_related("learner", "course_page")
    )


def certificates_listing(*, status: str = "") -> list[Certificate]:
    """All certificates, for the operator's `certificates list`."""
    certificates = Certificate.objects.select_related("superseded_by").order_by("issued_at")
    if status:
        certificates = certificates.in_status(status, timezone.localdate())
    return list(certificates)
