"""Expiry reminders: 60 and 14 days before a certificate expires, and on expiry. Each is
sent once: the Reminder row and the queued email go together, or not at all."""

from datetime import date

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from training_site.people.mail import email_queue

from .links import training_url
from .models import Reminder
from .selectors import reminders_due

SUBJECTS = {
    Reminder.Kind.DAYS_60: "Your safeguarding certificate expires in two months",
    Reminder.Kind.DAYS_14: "Your safeguarding certificate expires in two weeks",
    Reminder.Kind.EXPIRED: "Your safeguarding certificate has expired",
}


def refresher_url(certificate) -> str:
    """The course page, a plain Wagtail page, while it is live; else where training is."""
    page = certificate.course_page
    url = page.full_url if page is not None and page.live else None
    return url or training_url()


def reminders_send(*, today: date) -> dict[str, int]:
    sent = dict.fromkeys(Reminder.Kind.values, 0)
    for kind in Reminder.Kind.values:
        for certificate in reminders_due(kind=kind, today=today):
            try:
                with transaction.atomic():
                    Reminder.objects.create(certificate=certificate, kind=kind)
                    email_queue(
                        EmailMessage(
                            subject=SUBJECTS[kind],
                            body=render_to_string(
                                "certificates/email/reminder.txt",
                                {
                                    "certificate": certificate,
                                    "kind": kind,
                                    "refresher_url": refresher_url(certificate),
                                },
                            ),
                            to=[certificate.learner.email],
                        )
                    )
            except IntegrityError:
                continue  # another run sent this one a moment ago
            sent[kind] += 1
    return sent
