"""A learner's own records, put together from every app that keeps some, and closing their
account across all of them. Settings name these two functions (PEOPLE_RECORDS and
PEOPLE_ACCOUNT_CLOSE) for people's pages, which may not import the apps above them."""

from django.db import transaction
from django.utils import timezone

from certificates import records as certificate_records
from certificates.services import certificates_detach
from courses import records as course_records
from training_site.people import records as people_records
from training_site.people.models import User
from training_site.people.services import account_delete, account_lock


def records_for(user: User) -> dict:
    """Everything held about the learner, in plain data: people first, then training."""
    return {
        **people_records.records_for(user),
        **course_records.records_for(user),
        **certificate_records.records_for(user),
    }


@transaction.atomic
def account_close(*, user: User) -> bool:
    """Close the account: certificates let go of the learner (kept, naming no one), then the
    account and all it holds go. Idempotent: False when it was already closed, by this
    request's twin or anyone."""
    if not account_lock(user=user):
        return False
    certificates_detach(learner=user, closed_at=timezone.now())
    account_delete(user=user)
    return True
