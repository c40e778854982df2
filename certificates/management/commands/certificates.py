"""Operator commands: list, pdf, revoke, reinstate, remind, reconcile and flush-checks (run
them from cron: remind daily, reconcile hourly or so, flush-checks every minute)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ... import services
from ...lookups import lookups_flush
from ...models import RevocationReason, Status
from ...pdf import certificate_pdf
from ...reconcile import certificates_reconcile
from ...reminders import reminders_send
from ...selectors import certificate_by_code, certificates_listing


class Command(BaseCommand):
    help = "Work with certificates: list, pdf, revoke, reinstate, remind, reconcile, flush-checks."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        listing = commands.add_parser("list", help="List certificates.")
        listing.add_argument("--json", action="store_true", help="One JSON array.")
        listing.add_argument("--status", choices=Status.values, default="")
        pdf = commands.add_parser("pdf", help="Write a certificate's PDF to a file.")
        pdf.add_argument("code")
        pdf.add_argument("-o", "--output", required=True)
        revoke = commands.add_parser("revoke", help="Revoke a certificate.")
        revoke.add_argument("code")
        revoke.add_argument(
            "--reason", required=True, help="Why, in words (kept in the audit trail)."
        )
        revoke.add_argument(
            "--reason-code", choices=RevocationReason.values, default=RevocationReason.OTHER
        )
        reinstate = commands.add_parser("reinstate", help="Reinstate a revoked certificate.")
        reinstate.add_argument("code")
        reinstate.add_argument("--note", default="")
        commands.add_parser("remind", help="Send the expiry reminders due today (run daily).")
        commands.add_parser(
            "reconcile", help="Issue the certificates that failed to issue (safe to rerun)."
        )
        commands.add_parser(
            "flush-checks",
            help="Write the counts of certificate checks waiting in the cache to the database.",
        )

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action.replace('-', '_')}")(**options)

    def certificate(self, code):
        certificate = certificate_by_code(code)
        if certificate is None:
            raise CommandError(f"No certificate has the code {code!r}.")
        return certificate

    def do_list(self, *, json: bool = False, status: str = "", **options):
        rows = [
            {
                "code": certificate.display_code,
                "status": certificate.status,
                "course": certificate.course_title,
                "learner_name": certificate.full_name,
                "valid_until": certificate.valid_until.isoformat()
                if certificate.valid_until
                else None,
            }
            for certificate in certificates_listing(status=status)
        ]
        if json:
            self.stdout.write(dumps(rows))
            return
        for row in rows:
            self.stdout.write(
                f"{row['code']}  {row['status']:<10}  {row['valid_until'] or 'no expiry':<10}  "
                f"{row['learner_name']}  ({row['course']})"
            )

    def do_pdf(self, *, code, output, **options):
        certificate = self.certificate(code)
        path = Path(output)
        path.write_bytes(certificate_pdf(certificate))
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")

    def do_revoke(self, *, code, reason, reason_code, **options):
        certificate = services.certificate_revoke(
            certificate=self.certificate(code), actor=None, reason=reason_code, note=reason
        )
        self.stdout.write(f"{certificate.display_code} is revoked.")

    def do_reinstate(self, *, code, note, **options):
        certificate = services.certificate_reinstate(
            certificate=self.certificate(code), actor=None, note=note
        )
        self.stdout.write(f"{certificate.display_code} is {certificate.status}.")

    def do_remind(self, **options):
        sent = reminders_send(today=timezone.localdate())
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in sent.items()))

    def do_reconcile(self, **options):
        done = certificates_reconcile()
        self.stdout.write(
            f"Completions without a certificate: {done.found}; issued: {done.found - done.left}."
        )
        if done.left:
            # A failing exit code, so cron reports what is still owed.
            raise CommandError(
                f"{done.left} still without a certificate; the log says why. "
                "Run it again once that is fixed."
            )

    def do_flush_checks(self, **options):
        self.stdout.write(f"Checks written: {lookups_flush()}.")


def dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False)
