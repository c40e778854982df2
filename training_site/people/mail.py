"""The site's email. Everything goes into the outbox, django-mailer's queue in the database,
and the mail worker (`manage.py mailworker`) sends it. A request never talks to the mail
server, so one that is down or hung cannot fail or hold up a page; queued inside a
transaction, an email is kept or dropped with the rest of the write.

Django's own sending (allauth's sign-in codes, confirmations and password resets, Wagtail's
notices) reaches the outbox through EMAIL_BACKEND at django-mailer's medium priority. Our
own parts call `email_queue`, which queues behind that: a certificate or a reminder can wait
a minute, someone at the sign-in page cannot.
"""

import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import DatabaseError
from django.utils import timezone
from mailer.models import PRIORITY_LOW, RESULT_FAILURE, Message, MessageLog

# The log of what was sent and what failed (never the emails themselves: settings turn that
# off) is kept this long, as the privacy page says.
LOG_KEEP_DAYS = 30

logger = logging.getLogger(__name__)


def email_queue(message: EmailMessage) -> None:
    """Put `message` in the outbox, behind anything someone is waiting at the screen for."""
    Message.objects.create(email=message, priority=PRIORITY_LOW)


def email_failed(connection, message: Message, error: Exception) -> tuple[None, str]:
    """The worker's error handler (MAILER_ERROR_HANDLER). django-mailer defers a message the
    mail server refuses, and stops on any other error; defer those too, with the traceback
    logged, so one message that cannot be sent never halts the rest of the outbox."""
    if isinstance(error, DatabaseError):
        raise error
    # smtplib's errors, refused connections and timeouts are all OSErrors: expected.
    if not isinstance(error, OSError):
        logger.error("An email could not be sent; it stays in the outbox", exc_info=error)
    message.defer()
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=str(error))
    # No connection: the worker opens a fresh one for the next message.
    return None, "deferred"


def email_logs_purge(*, now: datetime | None = None, apply: bool) -> int:
    """Delete the mail log older than LOG_KEEP_DAYS. A dry run counts what would go."""
    now = now or timezone.now()
    old = MessageLog.objects.filter(when_attempted__lt=now - timedelta(days=LOG_KEEP_DAYS))
    if not apply:
        return old.count()
    deleted, _ = old.delete()
    return deleted
