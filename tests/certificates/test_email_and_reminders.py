"""Certificates are emailed through the outbox and a real SMTP server (aiosmtpd), their PDF
attached; a PDF that cannot be made is recorded and tried again; reminders go once each."""

import email
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from mailer.models import Message

from certificates import services
from certificates.models import CertificateEvent, Reminder, Status
from certificates.pdf import PDFRenderError
from certificates.reminders import reminders_send

from ..people.mail import sent_mail
from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


def test_emailed_copy_arrives_with_the_pdf_attached(client, smtp_server):
    certificate = issue(driver_with_licence())
    client.force_login(certificate.learner)
    smtp_server.start()
    response = client.post(reverse("certificates:email", args=[certificate.code]))
    assert response.status_code == 302
    assert not smtp_server.messages  # queued: the mail worker sends it
    call_command("mailworker", "--once")
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
    assert len(sent_mail()) == 1
    assert "expires in two months" in sent_mail()[0].subject

    assert reminders_send(today=today + timedelta(days=50))["14_days"] == 1
    assert reminders_send(today=today + timedelta(days=60))["expired"] == 1
    assert reminders_send(today=today + timedelta(days=61)) == {
        "60_days": 0,
        "14_days": 0,
        "expired": 0,
    }
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"60_days", "14_days", "expired"}
    assert "http://127.0.0.1:8000/courses/" in sent_mail()[-1].body


def test_superseded_and_revoked_certificates_get_no_reminders():
    today = timezone.localdate()
    driver = driver_with_licence()
    old = issue(driver, days_ago=1090)
    issue(driver)
    revoked = services.certificate_revoke(
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
    assert len(sent_mail()) == 1
    assert "14_days: 1" in capsys.readouterr().out


def fail_to_draw(certificate):
    raise PDFRenderError("The certificate PDF could not be made (1 errors).")


def test_a_certificate_whose_pdf_fails_stands_and_its_email_is_tried_again(client, monkeypatch):
    certificate = issue(driver_with_licence())
    client.force_login(certificate.learner)
    monkeypatch.setattr(services, "certificate_pdf", fail_to_draw)
    response = client.post(reverse("certificates:email", args=[certificate.code]), follow=True)
    assert response.status_code == 200
    assert "We could not make the copy to email just now" in response.content.decode()
    assert not Message.objects.exists()
    failed = certificate.events.get(action=CertificateEvent.Action.EMAIL_FAILED)
    assert "PDFRenderError" in failed.note
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID

    monkeypatch.undo()
    assert services.certificate_emails_retry() == 1
    (message,) = sent_mail()
    assert message.to == [certificate.learner.email]
    assert message.attachments[0][1].startswith(b"%PDF")
    assert certificate.events.filter(action=CertificateEvent.Action.EMAILED).count() == 1
    assert services.certificate_emails_retry() == 0  # emailed since it failed: done


def test_a_pdf_that_keeps_failing_is_tried_three_times_then_left(monkeypatch):
    certificate = issue(driver_with_licence())
    monkeypatch.setattr(services, "certificate_pdf", fail_to_draw)
    assert services.certificate_email(certificate=certificate) is False
    for _ in range(3):
        services.certificate_emails_retry()
    failures = certificate.events.filter(action=CertificateEvent.Action.EMAIL_FAILED)
    assert failures.count() == services.EMAIL_TRIES
    assert not Message.objects.exists()
