"""The operator's `manage.py certificates` commands."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from certificates.lookups import lookup_count
from certificates.models import VerificationLookup

from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db


def run(*args) -> str:

    out = StringIO()
    call_command("certificates", *args, stdout=out)
    return out.getvalue()


def test_list_json():
    certificate = issue(driver_with_licence())
    rows = json.loads(run("list", "--json"))
    assert rows == [
        {
            "code": certificate.display_code,
            "status": "valid",
            "course": "Taxi and private hire safeguarding",
            "learner_name": "Łukasz Wiśniewski",
            "valid_until": certificate.valid_until.isoformat(),
        }
    ]
    assert json.loads(run("list", "--json", "--status", "revoked")) == []


def test_pdf_revoke_reinstate(tmp_path):
    certificate = issue(driver_with_licence())
    output = tmp_path / "cert.pdf"
    assert "Wrote" in run("pdf", certificate.display_code.lower(), "-o", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert "revoked" in run("revoke", certificate.code, "--reason", "Licence revoked at committee")
    certificate.refresh_from_db()
    assert certificate.revocation_note == "Licence revoked at committee"
    assert certificate.events.last().actor_label == "Operator (command line)"
    assert "valid" in run("reinstate", certificate.code)


def test_unknown_codes_are_an_error():
    with pytest.raises(CommandError, match="No certificate"):
        run("revoke", "NOPE", "--reason", "x")


def checks_counted_a_minute_ago(times: int) -> None:
    certificate = issue(driver_with_licence())
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    for _ in range(times):
        lookup_count(
            outcome="found",
            certificate=certificate,
            client_hash="c1",
            typed=False,
            now=a_minute_ago,
        )


def test_flush_checks_writes_the_repeats_counted_in_the_cache():
    checks_counted_a_minute_ago(5)

    assert run("flush-checks") == "Checks written: 4.\n"
    assert run("flush-checks") == "Checks written: 0.\n"
    assert VerificationLookup.objects.get().hits == 5


def test_the_mail_worker_writes_them_too():
    checks_counted_a_minute_ago(3)

    call_command("mailworker", "--once", stdout=StringIO())
    assert VerificationLookup.objects.get().hits == 3
