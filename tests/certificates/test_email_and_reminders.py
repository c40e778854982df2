"""Emails leave through a real SMTP server (aiosmtpd); reminders go once each."""

import email
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import Reminder
from certificates.reminders import reminders_send

from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_emailed_copy_arrives_with_the_pdf_attached(client, smtp_server):
    certificate = issue(driver_with_licence())
    client.force_login(certificate.learner)
    response = client.post(reverse("certificates:email", args=[certificate.code]))
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == [certificate.learner.email]
    message = email.message_from_bytes(envelope.content)
    attachments = [
        part for part in message.walk() if part.get_content_disposition() == "attachment"
    ]
    assert len(attachments) == 1
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_payload(decode=True).startswith(b"%PDF")
    body = (
        next(p for p in message.walk() if p.get_content_type() == "text/plain")
        .get_payload(decode=True)
        .decode()
    )
    assert certificate.display_code in body
    assert certificate.events.filter(action="emailed").exists()


def test_nobody_can_email_someone_elses_certificate(client):
    certificate = issue(driver_with_licence())
    client.force_login(driver_with_licence(number="PH5", full_name="Zoë Ó Briain"))
    assert client.post(reverse("certificates:email", args=[certificate.code])).status_code == 404
    assert client.get(reverse("certificates:email", args=[certificate.code])).status_code == 405


def test_reminders_go_at_60_and_14_days_and_on_expiry_once_each():
    today = timezone.localdate()
    driver = driver_with_licence()
    cert = issue(driver, days_ago=0, validity_months=36)
    cert_60 = type(cert).objects.filter(pk=cert.pk)
    cert_60.update(valid_until=today + timedelta(days=59))
    sent = reminders_send(today=today)
    assert sent == {"60_days": 1, "14_days": 0, "expired": 0}
    assert reminders_send(today=today) == {"60_days": 0, "14_days": 0, "expired": 0}
    assert len(mail.outbox) == 1
    assert "expires in two months" in mail.outbox[0].subject

    assert reminders_send(today=today + timedelta(days=50))["14_days"] == 1
    assert reminders_send(today=today + timedelta(days=60))["expired"] == 1
    assert reminders_send(today=today + timedelta(days=61)) == {
        "60_days": 0,
        "14_days": 0,
        "expired": 0,
    }
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"60_days", "14_days", "expired"}
    assert "http://127.0.0.1:8000/courses/" in mail.outbox[-1].body


def test_superseded_and_revoked_certificates_get_no_reminders():
    from certificates.services import certificate_revoke

    today = timezone.localdate()
    driver = driver_with_licence()
    old = issue(driver, days_ago=1090)
    issue(driver)
    revoked = certificate_revoke(
        certificate=issue(
            driver_with_licence(number="PH7", full_name="Ayşe Yılmaz"), days_ago=1090
        ),
        actor=None,
        reason="other",
    )
    assert old.pk and revoked.pk
    assert reminders_send(today=today)["60_days"] == 0


def test_remind_command_run_twice_sends_each_reminder_once(capsys):
    today = timezone.localdate()
    cert = issue(driver_with_licence())
    type(cert).objects.filter(pk=cert.pk).update(valid_until=today + timedelta(days=10))
    call_command("certificates", "remind")
    call_command("certificates", "remind")
    assert len(mail.outbox) == 1
    assert "14_days: 1" in capsys.readouterr().out
