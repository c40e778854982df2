"""Delete what the privacy page says is no longer kept: every period it states, each kind of
record by its own app's purge. A dry run by default: it says what would go; `--apply`
deletes. Safe to repeat; run it daily from cron (README, "Retention")."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates import retention as certificates
from courses.classroom.models import QUESTION_KEEP_DAYS
from courses.classroom.services import classroom_records_purge
from training_site.people import retention as people
from training_site.people.mail import LOG_KEEP_DAYS, email_logs_purge
from training_site.reports import retention as reports


@dataclass(frozen=True)
class Kind:
    name: str
    period: str
    purge: Callable[..., int]


def accounts_purge(*, now: datetime, apply: bool) -> int:
    """Learners two years past their last sign-in, unless a certificate of theirs is valid."""
    due = certificates.learners_without_valid_certificate(
        people.learners_inactive(now=now), day=timezone.localdate(now)
    )
    return people.accounts_purge(accounts=due, apply=apply)


KINDS = (
    Kind(
        "ended sessions, with any sign-in codes in them",
        "12 hours after signing in",
        people.sessions_purge,
    ),
    Kind(
        "learner accounts, with their profiles and training progress",
        f"{people.ACCOUNT_KEEP_YEARS} years after the last sign-in, "
        "unless they hold a valid certificate",
        accounts_purge,
    ),
    Kind(
        "records of learners viewing, downloading or closing their records",
        f"after {people.ACCOUNT_EVENT_KEEP_YEARS} years",
        people.account_events_purge,
    ),
    Kind(
        "certificates, with their audit trail",
        f"{certificates.KEEP_YEARS} years after they expired or were revoked",
        certificates.certificates_purge,
    ),
    Kind(
        "records of revocations and reinstatements",
        f"after {certificates.KEEP_YEARS} years",
        certificates.revocation_records_purge,
    ),
    Kind(
        "records of certificate checks",
        f"{certificates.KEEP_YEARS} years after the latest check each counts",
        certificates.checks_purge,
    ),
    Kind(
        "records of staff look-ups and exports",
        f"after {reports.KEEP_YEARS} years",
        reports.access_log_purge,
    ),
    Kind("mail log entries", f"after {LOG_KEEP_DAYS} days", email_logs_purge),
)


class Command(BaseCommand):
    help = "Enforce the retention periods on the privacy page (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Delete; without it, only count.")

    def handle(self, *args, apply: bool, **options):
        now = timezone.now()
        verb = "Deleted" if apply else "Would delete"
        for kind in KINDS:
            count = kind.purge(now=now, apply=apply)
            self.stdout.write(f"{verb} {count} {kind.name} ({kind.period}).")
        for name, count in classroom_records_purge(now=now, apply=apply).items():
            self.stdout.write(
                f"{verb} {count} {name} ({QUESTION_KEEP_DAYS} days after their class session)."
            )
        self.stdout.write(
            f"Failed sign-ins are counted in the cache only, which forgets them after "
            f"{failed_sign_in_minutes()} minutes: nothing to delete."
        )
        if not apply:
            self.stdout.write("Dry run: nothing was deleted. Run with --apply to delete.")


def failed_sign_in_minutes() -> int:
    """The longest window of allauth's failed sign-in limits: how long a failure is kept."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    return max(math.ceil(rate.duration / 60) for rate in rates)
