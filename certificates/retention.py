"""What certificates keeps, for as long as the privacy page says: certificates six years
after they expire or are revoked, records of checks and of revocations six years. Each
purge counts what is due (a dry run) or deletes it (`apply`), and returns a plain count."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from training_site.people.models import User
from training_site.people.retention import rows_purge, years_before

from .models import Certificate, CertificateEvent, Status, VerificationLookup
from .status_list import status_list_changed

KEEP_YEARS = 6


def learners_without_valid_certificate(learners: QuerySet[User], *, day: date) -> QuerySet[User]:
    """`learners` less anyone holding a certificate valid on `day`: the privacy page keeps
    their account however long ago they signed in."""
    valid = Certificate.objects.in_status(Status.VALID, day).filter(learner=OuterRef("pk"))
    return learners.exclude(Exists(valid))


def certificates_due(*, now: datetime) -> list[int]:
    """Certificates that expired or were revoked more than six years ago.

    A certificate expires the day after its valid_until. One that a kept certificate was
    superseded by stays until that one goes too, so no kept certificate ever loses the
    "superseded" that tells an officer a newer one exists."""
    cutoff = years_before(now, KEEP_YEARS)
    ended = Q(revoked_at__lt=cutoff) | Q(
        revoked_at__isnull=True, valid_until__lt=timezone.localdate(cutoff)
    )
    due = set(Certificate.objects.filter(ended).values_list("pk", flat=True))
    while True:
        held = set(
            Certificate.objects.filter(superseded_by__in=due)
            .exclude(pk__in=due)
            .values_list("superseded_by", flat=True)
        )
        if not held:
            return sorted(due)
        due -= held


def certificates_purge(*, now: datetime, apply: bool) -> int:
    """Delete certificates six years after they ended, with their audit trail and
    reminders; records of checks of them stay for their own six years, without the link."""
    due = certificates_due(now=now)
    if apply and due:
        with transaction.atomic():
            Certificate.objects.filter(pk__in=due).delete()
            status_list_changed()
    return len(due)


def checks_purge(*, now: datetime, apply: bool) -> int:
    """Records of certificate checks, six years after a row's latest check."""
    return rows_purge(
        VerificationLookup.objects.filter(last_at__lt=years_before(now, KEEP_YEARS)), apply=apply
    )


def revocation_records_purge(*, now: datetime, apply: bool) -> int:
    """Records of revoking and reinstating, six years after each. (A certificate's other
    entries, issued, emailed, superseded, are part of it and go with it.)"""
    return rows_purge(
        CertificateEvent.objects.filter(
            action__in=[CertificateEvent.Action.REVOKED, CertificateEvent.Action.REINSTATED],
            at__lt=years_before(now, KEEP_YEARS),
        ),
        apply=apply,
    )
