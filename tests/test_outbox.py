"""Every email goes through the outbox and the mail worker (`manage.py mailworker`), on real
parts: an SMTP server that is down, one that comes back (aiosmtpd), and one that hangs.
Requests only queue email, so none of these can fail or hold up a learner."""

import email
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message, MessageLog

from certificates.services import certificate_email
from training_site.management.commands import mailworker
from training_site.people.models import User

from .certificates.factories import driver_with_licence, issue
from .people.factories import UserFactory

pytestmark = pytest.mark.django_db


def worker_once() -> None:
    call_command("mailworker", "--once")


def recipients(server) -> list[str]:
    return sorted(address for envelope in server.messages for address in envelope.rcpt_tos)


def test_with_smtp_down_every_journey_answers_and_the_worker_delivers_once_it_is_back(
    client, smtp_server
):
    """Sign-up, a sign-in code, a password reset and "email me my certificate" while the
    mail server refuses connections: each answers as usual and queues its email; once the
    server is back, one run of the worker delivers each email, and a second run nothing."""
    response = client.post(reverse("account_signup"), {"email": "new.driver@example.org"})
    assert response.status_code == 302
    assert User.objects.filter(email="new.driver@example.org").count() == 1
    client.logout()

    UserFactory(email="driver@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "driver@example.org"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "It can take a minute to arrive" in page
    assert "Sign in with your password" in page
    client.logout()

    UserFactory(email="hotel@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "hotel@example.org"})
    assert response.status_code == 302

    certificate = issue(driver_with_licence())
    client.force_login(certificate.learner)
    response = client.post(reverse("certificates:email", args=[certificate.code]))
    assert response.status_code == 302

    worker_once()  # the server refuses: the mail is deferred, not lost
    assert not smtp_server.messages
    assert Message.objects.count() == 4
    assert Message.objects.deferred().exists()
    assert MessageLog.objects.filter(result="3").exists()  # a failure, logged

    smtp_server.start()
    worker_once()
    expected = sorted(
        [
            "new.driver@example.org",
            "driver@example.org",
            "hotel@example.org",
            certificate.learner.email,
        ]
    )
    assert recipients(smtp_server) == expected
    assert not Message.objects.exists()
    worker_once()
    assert recipients(smtp_server) == expected

    subjects = {
        email.message_from_bytes(envelope.content)["Subject"] for envelope in smtp_server.messages
    }
    assert f"Your certificate: {certificate.course_title}" in subjects


def test_the_worker_gives_up_on_a_hung_server_after_its_timeout(client, hung_smtp_server, settings):
    settings.EMAIL_TIMEOUT = 1
    UserFactory(email="driver@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "driver@example.org"})
    assert response.status_code == 302
    worker_once()
    assert Message.objects.deferred().count() == 1
    assert "timed out" in MessageLog.objects.get().log_message


@pytest.mark.django_db(transaction=True)
def test_a_hung_smtp_server_does_not_hold_up_a_request(client, hung_smtp_server, on_postgres):
    """While the worker waits on a server that accepted it and went quiet, a learner asks
    for a sign-in code and gets the next page: the request only queued the email.

    PostgreSQL only: on SQLite the worker's transaction holds the one write lock while it
    talks to the mail server, so a request's write waits for it (README: use PostgreSQL)."""
    UserFactory(email="hotel@example.org")
    client.post(reverse("account_request_login_code"), {"email": "hotel@example.org"})
    client.logout()

    def worker():
        try:
            mailworker.outbox_send(retry=False)
        finally:
            connection.close()

    sending = threading.Thread(target=worker)
    sending.start()
    hung_smtp_server.wait_for_client()

    UserFactory(email="driver@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "driver@example.org"})
    assert response.status_code == 302
    assert sending.is_alive()  # still waiting on the server
    assert Message.objects.count() == 2

    hung_smtp_server.close()
    sending.join(timeout=30)
    assert not sending.is_alive()
    assert Message.objects.deferred().count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_running_worker_retries_what_an_earlier_run_deferred(smtp_server, monkeypatch):
    certificate = issue(driver_with_licence())  # committed, so its email is queued
    worker_once()  # refused: deferred
    assert Message.objects.deferred().count() == 1
    smtp_server.start()

    def stop(seconds):
        raise KeyboardInterrupt

    # One turn of the loop: it starts by retrying what an earlier run left deferred.
    monkeypatch.setattr(mailworker.time, "sleep", stop)
    call_command("mailworker", stdout=StringIO())
    assert recipients(smtp_server) == [certificate.learner.email]
    assert not Message.objects.exists()


def test_retention_deletes_the_mail_log_after_30_days(smtp_server):
    smtp_server.start()
    certificate_email(certificate=issue(driver_with_licence()))
    worker_once()
    log = MessageLog.objects.get()
    assert log.message_data is None  # what was sent is not kept, only that it went
    MessageLog.objects.update(when_attempted=timezone.now() - timedelta(days=29))
    call_command("retention", "--apply", stdout=StringIO())
    assert MessageLog.objects.exists()
    MessageLog.objects.update(when_attempted=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("retention", stdout=out)  # a dry run deletes nothing
    assert "Would delete 1 mail log entries" in out.getvalue()
    call_command("retention", "--apply", stdout=StringIO())
    assert not MessageLog.objects.exists()
