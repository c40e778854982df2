"""The mail worker: sends the email outbox (django-mailer's queue) and keeps sending it.

Requests only queue email (people/mail.py), so this is the one process that waits on the
mail server, for at most EMAIL_TIMEOUT a message. New mail is tried at once. Mail the server
refused, or timed out on, is deferred and retried after 15 s, then 30 s, 1 min and so on, at
most 5 min apart, for as long as it takes. A message leaves the queue in the transaction
that logs it sent, under a row lock, so no run and no second worker sends it twice.
"""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from mailer.engine import send_all
from mailer.models import Message

from certificates.lookups import FLUSH_SECONDS, lookups_flush
from certificates.services import certificate_emails_retry

logger = logging.getLogger(__name__)

POLL_SECONDS = 2
FIRST_RETRY_SECONDS = 15
LONGEST_RETRY_SECONDS = 300
# Certificate emails whose PDF could not be made are tried again this often.
CERTIFICATE_RETRY_SECONDS = 300
# Certificate checks counted in the cache are written to their rows about this often, so the
# log is complete soon after checks stop (certificates/lookups.py).
CHECKS_FLUSH_SECONDS = 3 * FLUSH_SECONDS


def outbox_send(*, retry: bool) -> None:
    """One pass: deferred mail back in the queue if `retry`, then everything queued sent."""
    if retry:
        Message.objects.retry_deferred()
    if Message.objects.non_deferred().exists():
        send_all()


class Command(BaseCommand):
    help = "Send the email outbox, and keep sending it (run it as a service beside the site)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Retry what failed, send everything queued, then stop.",
        )

    def handle(self, *args, once: bool, **options):
        if once:
            certificate_emails_retry()
            lookups_flush()
            outbox_send(retry=True)
            return
        self.stdout.write("Sending the email outbox. Stop with Ctrl+C.")
        try:
            self.run()
        except KeyboardInterrupt:
            return

    def run(self) -> None:
        # Due at once: whatever a previous run left deferred is retried on starting.
        retry_at = certificates_at = checks_at = 0.0
        retry_wait = FIRST_RETRY_SECONDS
        database_down = False
        while True:
            # As at the start of a request: drop a connection that broke or grew old, so
            # the worker recovers by itself when the database comes back.
            close_old_connections()
            now = time.monotonic()
            try:
                if now >= certificates_at:
                    certificate_emails_retry()
                    certificates_at = now + CERTIFICATE_RETRY_SECONDS
                if now >= checks_at:
                    lookups_flush()
                    checks_at = now + CHECKS_FLUSH_SECONDS
                deferred = Message.objects.deferred().exists()
                outbox_send(retry=deferred and now >= retry_at)
                if not Message.objects.deferred().exists():
                    retry_wait = FIRST_RETRY_SECONDS
                elif now >= retry_at:
                    # Failures since the last retry: wait longer before the next one.
                    retry_at = now + retry_wait
                    retry_wait = min(retry_wait * 2, LONGEST_RETRY_SECONDS)
            except DatabaseError as error:
                if not database_down:
                    logger.error("Mail worker: the database did not answer (%s)", error)
                database_down = True
            else:
                if database_down:
                    logger.warning("Mail worker: the database is back")
                database_down = False
            time.sleep(POLL_SECONDS)
