"""Certificates: what was certified (a snapshot), its status, and everything done to it.

Certificates know learners and boroughs but not courses: a course hands over a snapshot
and a reference to its page as a plain Wagtail page.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from training_site.people.models import Borough
from training_site.people.validators import FULL_NAME_MAX_LENGTH

from .codes import code_display


class Status(models.TextChoices):
    VALID = "valid", "Valid"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded"


def standing_condition(via: str = "") -> Q:
    """A standing certificate: neither superseded nor revoked. `via` reaches certificates
    through a relation ("holder__certificates__"), for queries that start elsewhere."""
    return Q(**{f"{via}superseded_by__isnull": True, f"{via}revoked_at__isnull": True})


def status_condition(status: str, day: date) -> Q:
    """Certificates in a status on a day, as a query: the rules of Certificate.status_on."""
    standing = standing_condition()
    return {
        Status.VALID: standing & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)),
        Status.EXPIRED: standing & Q(valid_until__lt=day),
        Status.REVOKED: Q(revoked_at__isnull=False),
        Status.SUPERSEDED: Q(revoked_at__isnull=True, superseded_by__isnull=False),
    }[status]


class CertificateQuerySet(models.QuerySet):
    """The one home of a certificate's standing and status in queries."""

    def standing(self) -> "CertificateQuerySet":
        return self.filter(standing_condition())

    def in_status(self, status: str, day: date) -> "CertificateQuerySet":
        return self.filter(status_condition(status, day))


class RevocationReason(models.TextChoices):
    LICENCE_REVOKED = "licence_revoked", "Licence suspended or revoked"
    ISSUED_IN_ERROR = "issued_in_error", "Issued in error"
    WRONG_PERSON = "wrong_person", "Not the person named"
    MISCONDUCT = "misconduct", "Safeguarding concern or misconduct"
    OTHER = "other", "Other"


class Certificate(models.Model):
    code = models.CharField(max_length=17, unique=True, editable=False)
    # Empty once the holder closes their account: the certificate stays for the councils'
    # records but no longer names anyone (learner_closed_at says when).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    learner_closed_at = models.DateTimeField(null=True, blank=True)
    course_page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Makes issuing idempotent: one completion (a passed attempt, a finished course), one
    # certificate, however many requests report it.
    completion_ref = models.CharField(max_length=80, unique=True, editable=False)
    issuer_borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="certificates_issued"
    )

    # The snapshot: what the certificate says, fixed when it is issued.
    full_name = models.CharField(max_length=FULL_NAME_MAX_LENGTH)
    role = models.CharField(max_length=80)
    licences = models.JSONField(default=list, help_text="[{authority_id, authority, number}]")
    course_title = models.CharField(max_length=255)
    course_version = models.CharField(max_length=60)
    issuer_name = models.CharField(max_length=200)
    completed_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    issued_at = models.DateTimeField(default=timezone.now)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(
        max_length=20, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.CharField(max_length=500, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        indexes = [
            models.Index(fields=["learner", "course_page"], name="certificate_learner_course"),
            models.Index(fields=["valid_until"], name="certificate_valid_until"),
            models.Index(fields=["issuer_borough", "valid_until"], name="certificate_issuer"),
            # Reports and licence checks ask for each learner's standing certificates only.
            models.Index(
                fields=["learner", "course_page", "valid_until"],
                condition=standing_condition(),
                name="certificate_standing",
            ),
        ]

    def __str__(self):
        return f"{self.display_code} {self.full_name}"

    @property
    def display_code(self) -> str:
        return code_display(self.code)

    @property
    def serial_number(self) -> str:
        return f"STS-{self.issued_at:%Y}-{self.pk:07d}"

    def status_on(self, day: date) -> str:
        """This certificate's status on a day: status_condition's rules, for one loaded row."""
        if self.revoked_at is not None:
            return Status.REVOKED
        if self.superseded_by_id is not None:
            return Status.SUPERSEDED
        if self.valid_until is not None and self.valid_until < day:
            return Status.EXPIRED
        return Status.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def licence_authority_ids(self) -> set[int]:
        return {licence["authority_id"] for licence in self.licences}

    @property
    def scope_borough_ids(self) -> set[int]:
        """The councils with a say over this certificate: the issuer and every licensing
        authority on it."""
        return {self.issuer_borough_id, *self.licence_authority_ids}


class CertificateEvent(models.Model):
    """The audit trail: who did what to a certificate, and when. Never edited."""

    class Action(models.TextChoices):
        ISSUED = "issued", "Issued"
        SUPERSEDED = "superseded", "Superseded by a newer certificate"
        REVOKED = "revoked", "Revoked"
        REINSTATED = "reinstated", "Reinstated"
        EMAILED = "emailed", "Emailed to the learner"
        EMAIL_FAILED = "email_failed", "Email to the learner failed"

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, blank=True, help_text="Who acted, kept if the account is deleted."
    )
    reason = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class VerificationLookup(models.Model):
    """Checks of a certificate, scanned or typed, found or not: one row for each client,
    certificate, result and hour, counting its checks (`hits`), so a phone re-opening a page
    or a script walking codes adds to a count rather than a row per request. Repeated checks
    reach the count from the cache, in batches a few seconds late (lookups.py)."""

    class Outcome(models.TextChoices):
        FOUND = "found", "Found"
        NOT_FOUND = "not_found", "No such certificate"
        MALFORMED = "malformed", "Not a certificate code"
        RATE_LIMITED = "rate_limited", "Too many lookups"

    at = models.DateTimeField(default=timezone.now, db_index=True, help_text="The first check.")
    last_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="The latest check."
    )
    hits = models.PositiveIntegerField(default=1, help_text="How many checks this row counts.")
    window_start = models.DateTimeField(
        default=timezone.now, help_text="The start of the hour these checks fell in."
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.SET_NULL, null=True, blank=True, related_name="lookups"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_in = models.BooleanField(default=False, help_text="Checked by a signed-in account.")
    client_hash = models.CharField(max_length=64, help_text="A keyed hash, never the address.")
    typed = models.BooleanField(default=False, help_text="Typed into /verify/, not scanned.")

    class Meta:
        constraints = [
            # The counting key, enforced so that concurrent first checks meet in one row.
            # Rows whose account or certificate was later deleted (emptied by SET_NULL) leave
            # the key, so a deletion can never collide with a row already there.
            models.UniqueConstraint(
                "client_hash",
                "outcome",
                "typed",
                "signed_in",
                Coalesce("certificate", Value(0), output_field=models.BigIntegerField()),
                Coalesce("officer", Value(0), output_field=models.BigIntegerField()),
                "window_start",
                condition=(Q(signed_in=False) | Q(officer__isnull=False))
                & (Q(certificate__isnull=False) | ~Q(outcome="found")),
                name="verification_lookup_counted",
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} at {self.at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """An expiry reminder sent: one row per certificate and kind, so each goes once."""

    class Kind(models.TextChoices):
        DAYS_60 = "60_days", "60 days before expiry"
        DAYS_14 = "14_days", "14 days before expiry"
        EXPIRED = "expired", "On expiry"

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "kind"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.certificate_id}"


class SigningKey(models.Model):
    """The public half of a key that has signed certificates' QR codes (certificates.signing),
    kept so that what it signed still checks after the next key replaces it. Withdrawing a
    key (it leaked, say) makes everything it signed show "Not genuine"; a fresh PDF is
    signed with the current key."""

    kid = models.CharField(max_length=16, unique=True, help_text="base64url key id")
    public_key = models.TextField(help_text="PEM SubjectPublicKeyInfo")
    first_used_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.kid
