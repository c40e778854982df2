"""`certificates reconcile`: issue the certificates that completions are still owed.

Completions belong to a higher layer (a course's passes), so certificates cannot find
them itself: the setting CERTIFICATES_RECONCILE names the function that finds each one
still without its certificate and hands it on to issuing again, as settings compose the
parts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Reconciliation:
    """Completions that had no certificate, and how many of them still have none."""

    found: int
    left: int


def certificates_reconcile() -> Reconciliation:
    """Idempotent and safe to run from cron, or twice at once."""
    return import_string(settings.CERTIFICATES_RECONCILE)()
