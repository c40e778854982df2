"""What people keeps, for as long as the privacy page says, and no longer. Each purge counts
what is due (a dry run) or deletes it (`apply`), and returns plain counts; `manage.py
retention` (training_site) composes them with the other apps' purges."""

from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from .models import AccountEvent, User

# The privacy page's periods, in years.
ACCOUNT_KEEP_YEARS = 2
ACCOUNT_EVENT_KEEP_YEARS = 6


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` earlier; 28 February for a 29th with no leap year to match."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def rows_purge(rows: QuerySet, *, apply: bool) -> int:
    """Count what a dry run would delete, or delete it; the number of rows either way."""
    if not apply:
        return rows.count()
    deleted, _ = rows.delete()
    return deleted


def learners_inactive(*, now: datetime) -> QuerySet[User]:
    """Learners' accounts not signed in to (or, never signed in, not opened) for two years.
    Staff accounts (roles, editors and reviewers, admins) are not learners' records and are
    the councils' to close."""
    return (
        User.objects.annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=years_before(now, ACCOUNT_KEEP_YEARS))
        .filter(is_staff=False, is_superuser=False, role_assignments=None, groups=None)
        .order_by("pk")
    )


def accounts_purge(*, accounts: QuerySet[User], apply: bool) -> int:
    """Delete `accounts` (learners_inactive, narrowed by the apps above: certificates keep
    anyone holding a valid one) with all that hangs from them: profile, licences, progress
    and attempts. Their certificates stay, as the privacy page says, no longer linked.

    Each account is checked again under its row's lock, so one that signs in while the
    purge runs is kept."""
    if not apply:
        return accounts.count()
    removed = 0
    for pk in list(accounts.values_list("pk", flat=True)):
        with transaction.atomic():
            if (
                User.objects.select_for_update().filter(pk=pk).exists()
                and accounts.filter(pk=pk).exists()
            ):
                User.objects.filter(pk=pk).delete()
                removed += 1
    return removed


def account_events_purge(*, now: datetime, apply: bool) -> int:
    """Records of learners viewing, downloading or closing their records: six years."""
    return rows_purge(
        AccountEvent.objects.filter(at__lt=years_before(now, ACCOUNT_EVENT_KEEP_YEARS)), apply=apply
    )


def sessions_purge(*, now: datetime, apply: bool) -> int:
    """Sessions that have ended (12 hours after sign-in), with any sign-in code they held:
    the session store keeps their rows until someone deletes them."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    return rows_purge(
        store_class.get_model_class().objects.filter(expire_date__lt=now), apply=apply
    )
