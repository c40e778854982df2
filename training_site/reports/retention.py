"""The record of staff look-ups and exports is kept six years, as the privacy page says, so
every look at a learner's record can be accounted for; then it goes."""

from datetime import datetime

from training_site.people.retention import rows_purge, years_before

from .models import ReportAccess

KEEP_YEARS = 6


def access_log_purge(*, now: datetime, apply: bool) -> int:
    """Delete the staff access log older than six years; a dry run counts it."""
    return rows_purge(
        ReportAccess.objects.filter(at__lt=years_before(now, KEEP_YEARS)), apply=apply
    )
