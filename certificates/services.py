"""Writes for certificates: issue, revoke, reinstate, email. Keyword-only, in transactions,
idempotent. An issued certificate is never re-dated: a refresher issues a new one."""

import calendar
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from training_site.people.mail import email_queue
from training_site.people.models import LearnerProfile, Licence, User

from .codes import code_generate
from .links import verify_url
from .models import Certificate, CertificateEvent, RevocationReason
from .pdf import certificate_pdf
from .status_list import status_list_changed

OPERATOR_LABEL = "Operator (command line)"
# How many times a certificate email whose PDF cannot be made is tried before the learner's
# own "email me a copy" is left to do it.
EMAIL_TRIES = 3

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CertifiedCourse:
    """What a course hands over: a snapshot, and its page as a plain Wagtail page id."""

    page_id: int
    title: str
    version: str
    validity_months: int


@dataclass(frozen=True)
class CertificateGrant:
    """One certificate for certificates_issue_bulk, with what certificate_issue would read
    for it already loaded: the profile with its audience and home borough (and partnership),
    the licences with their authorities."""

    learner: User
    profile: LearnerProfile
    licences: Sequence[Licence]
    course: CertifiedCourse
    completion_ref: str
    completed_at: datetime
    revoked_at: datetime | None = None
    revocation_reason: str = ""


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def actor_label(actor: User | None) -> str:
    return actor.email if actor is not None else OPERATOR_LABEL


def licences_snapshot(licences: Iterable[Licence]) -> list[dict]:
    return [
        {
            "authority_id": licence.authority_id,
            "authority": licence.authority.name,
            "number": licence.number,
        }
        for licence in sorted(licences, key=lambda licence: licence.authority.name)
    ]


def issuer_name_for(borough) -> str:
    name = borough.council
    if borough.partnership_id:
        name += f", {borough.partnership.name} safeguarding partnership"
    return name


def revocation_reason_checked(reason: str) -> str:
    if reason not in RevocationReason.values:
        raise ValueError(f"Unknown revocation reason {reason!r}")
    return reason


def certificate_build(
    *,
    learner: User,
    profile: LearnerProfile,
    licences: Iterable[Licence],
    course: CertifiedCourse,
    completion_ref: str,
    completed_at: datetime,
    issued_at: datetime,
) -> Certificate:
    """A new certificate, not yet saved: the snapshot every way of issuing one writes."""
    completed_on = timezone.localtime(completed_at).date()
    return Certificate(
        code=code_generate(),
        learner=learner,
        course_page_id=course.page_id,
        completion_ref=completion_ref,
        issuer_borough=profile.home_borough,
        full_name=profile.full_name,
        role=profile.audience.name,
        licences=licences_snapshot(licences),
        course_title=course.title,
        course_version=course.version,
        issuer_name=issuer_name_for(profile.home_borough),
        completed_on=completed_on,
        valid_until=(
            add_months(completed_on, course.validity_months) if course.validity_months else None
        ),
        issued_at=issued_at,
    )


def certificate_issue(
    *,
    learner: User,
    course: CertifiedCourse,
    completion_ref: str,
    completed_at: datetime,
    email_learner: bool = True,
) -> Certificate:
    """Issue the certificate for one completion, once. Earlier certificates for the same
    course that are still standing are marked superseded by it. Once it is committed, the
    learner is emailed a copy, unless `email_learner` is off (history made as demo data)."""
    existing = Certificate.objects.filter(completion_ref=completion_ref).first()
    if existing is not None:
        return existing
    profile = LearnerProfile.objects.select_related("audience", "home_borough__partnership").get(
        user=learner
    )
    try:
        with transaction.atomic():
            standing = list(
                Certificate.objects.select_for_update()
                .standing()
                .filter(learner=learner, course_page_id=course.page_id)
            )
            certificate = certificate_build(
                learner=learner,
                profile=profile,
                licences=learner.licences.select_related("authority"),
                course=course,
                completion_ref=completion_ref,
                completed_at=completed_at,
                issued_at=timezone.now(),
            )
            certificate.save(force_insert=True)
            CertificateEvent.objects.create(
                certificate=certificate,
                action=CertificateEvent.Action.ISSUED,
                actor=learner,
                actor_label=learner.email,
            )
            if standing:
                status_list_changed()
            for older in standing:
                older.superseded_by = certificate
                older.save(update_fields=["superseded_by"])
                CertificateEvent.objects.create(
                    certificate=older,
                    action=CertificateEvent.Action.SUPERSEDED,
                    actor=learner,
                    actor_label=learner.email,
                    note=f"Superseded by {certificate.display_code}",
                )
            if email_learner:
                # After the commit (of the caller's transaction too): the PDF takes a moment
                # to draw, and must not hold the locks the pass took. Robust: should queuing
                # fail, Django logs it and the learner still gets the page with their
                # certificate.
                transaction.on_commit(
                    lambda: certificate_email(certificate=certificate), robust=True
                )
            return certificate
    except IntegrityError:
        # The same completion reported twice at once: the other request issued it.
        return Certificate.objects.get(completion_ref=completion_ref)


@transaction.atomic
def certificates_issue_bulk(
    *, grants: Iterable[CertificateGrant], batch_size: int = 2000
) -> list[Certificate]:
    """Issue many certificates at once, for history loaded in bulk (`synthesise`): the
    snapshot certificate_issue writes, issued when completed, with bulk inserts. Nothing is
    locked, superseded or logged, so each grant must be its learner's only certificate for
    its course; a grant may arrive revoked."""
    certificates = []
    for grant in grants:
        certificate = certificate_build(
            learner=grant.learner,
            profile=grant.profile,
            licences=grant.licences,
            course=grant.course,
            completion_ref=grant.completion_ref,
            completed_at=grant.completed_at,
            issued_at=grant.completed_at,
        )
        if grant.revoked_at is not None:
            certificate.revoked_at = grant.revoked_at
            certificate.revocation_reason = revocation_reason_checked(grant.revocation_reason)
        certificates.append(certificate)
    created = Certificate.objects.bulk_create(certificates, batch_size=batch_size)
    status_list_changed()
    return created


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor: User | None, reason: str, note: str = ""
) -> Certificate:
    reason = revocation_reason_checked(reason)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revocation_reason = reason
    locked.revocation_note = note.strip()[:500]
    locked.save(update_fields=["revoked_at", "revocation_reason", "revocation_note"])
    status_list_changed()
    CertificateEvent.objects.create(
        certificate=locked,
        action=CertificateEvent.Action.REVOKED,
        actor=actor,
        actor_label=actor_label(actor),
        reason=reason,
        note=locked.revocation_note,
    )
    return locked


@transaction.atomic
def certificate_reinstate(
    *, certificate: Certificate, actor: User | None, note: str = ""
) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is None:
        return locked
    locked.revoked_at = None
    locked.revocation_reason = ""
    locked.revocation_note = ""
    locked.save(update_fields=["revoked_at", "revocation_reason", "revocation_note"])
    status_list_changed()
    CertificateEvent.objects.create(
        certificate=locked,
        action=CertificateEvent.Action.REINSTATED,
        actor=actor,
        actor_label=actor_label(actor),
        note=note.strip()[:500],
    )
    return locked


def certificate_email(*, certificate: Certificate) -> bool:
    """Queue the learner a copy, PDF attached, for the mail worker to send. If the PDF cannot
    be made, the failure goes in the audit trail for `certificate_emails_retry`, and the
    certificate stands as it is. True when the email is queued."""
    try:
        pdf = certificate_pdf(certificate)
    except Exception as error:  # xhtml2pdf and ReportLab fail in many ways; any will do.
        logger.exception("The PDF for certificate %s's email failed", certificate.display_code)
        CertificateEvent.objects.create(
            certificate=certificate,
            action=CertificateEvent.Action.EMAIL_FAILED,
            actor=certificate.learner,
            actor_label=certificate.learner.email,
            note=f"The PDF could not be made ({type(error).__name__}).",
        )
        return False
    context = {"certificate": certificate, "verify_url": verify_url(certificate)}
    message = EmailMessage(
        subject=f"Your certificate: {certificate.course_title}",
        body=render_to_string("certificates/email/certificate.txt", context),
        to=[certificate.learner.email],
    )
    message.attach(f"certificate-{certificate.display_code}.pdf", pdf, "application/pdf")
    with transaction.atomic():
        email_queue(message)
        CertificateEvent.objects.create(
            certificate=certificate,
            action=CertificateEvent.Action.EMAILED,
            actor=certificate.learner,
            actor_label=certificate.learner.email,
        )
    return True


def certificate_emails_retry() -> int:
    """Email again each standing certificate whose email failed since it was last emailed,
    up to EMAIL_TRIES failures (the mail worker calls this every few minutes). Returns how
    many were queued."""
    emailed_since = CertificateEvent.objects.filter(
        certificate=OuterRef("certificate"),
        action=CertificateEvent.Action.EMAILED,
        at__gt=OuterRef("at"),
    )
    due = (
        CertificateEvent.objects.filter(action=CertificateEvent.Action.EMAIL_FAILED)
        .exclude(Exists(emailed_since))
        .values("certificate")
        .annotate(failures=Count("pk"))
        .filter(failures__lt=EMAIL_TRIES)
        .values("certificate")
    )
    certificates = (
        Certificate.objects.standing()
        .filter(pk__in=due, learner__isnull=False)
        .select_related("learner")
    )
    return sum(certificate_email(certificate=certificate) for certificate in certificates)


CLOSED_ACCOUNT_LABEL = "The learner (account since closed)"


def certificates_detach(*, learner: User, closed_at: datetime) -> int:
    """The holder is closing their account: their certificates stay in the councils'
    records but no longer name anyone. Name and licence numbers are blanked (the licensing
    authorities stay, so their officers are told); the learner's own entries in the audit
    trail stop naming their address. Call inside the closing transaction. Returns how many
    certificates were detached."""
    certificates = list(Certificate.objects.select_for_update().filter(learner=learner))
    for certificate in certificates:
        certificate.learner = None
        certificate.learner_closed_at = closed_at
        certificate.full_name = ""
        certificate.licences = [
            {"authority_id": licence["authority_id"], "authority": licence["authority"]}
            for licence in certificate.licences
        ]
        certificate.save(update_fields=["learner", "learner_closed_at", "full_name", "licences"])
    if certificates:
        status_list_changed()
    CertificateEvent.objects.filter(actor=learner).update(actor_label=CLOSED_ACCOUNT_LABEL)
    return len(certificates)
