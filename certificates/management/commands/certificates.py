"""Operator commands: list, pdf, revoke, reinstate, remind, reconcile and flush-checks (run
them from cron: remind daily, reconcile hourly or so, flush-checks every minute); keygen,
withdraw-key and verify-qr for the signed QR codes (see "Certificate signing keys" in
README.md)."""

import json
import os
from pathlib import Path

import zxingcpp
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from ... import services
from ...keys import key_generate_pem
from ...lookups import lookups_flush
from ...models import RevocationReason, Status
from ...offline import status_list_open, verdict
from ...pdf import certificate_pdf
from ...reconcile import certificates_reconcile
from ...reminders import reminders_send
from ...selectors import certificate_by_code, certificates_listing
from ...signing import published_keys, signing_key_withdraw
from ...status_list import status_list


class Command(BaseCommand):
    help = (
        "Work with certificates: list, pdf, revoke, reinstate, remind, reconcile, flush-checks, "
        "keygen, withdraw-key, verify-qr."
    )

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
        keygen = commands.add_parser(
            "keygen", help="Make a new signing key for QR codes (then point the site at it)."
        )
        keygen.add_argument("--out", required=True, help="File to write; must not exist.")
        withdraw = commands.add_parser(
            "withdraw-key",
            help="Stop publishing a retired key: whatever it signed no longer checks offline.",
        )
        withdraw.add_argument("kid", help="The key id, as /verify/keys.json lists it.")
        check = commands.add_parser(
            "verify-qr",
            help="Check a QR code offline, as an officer's phone does, and print the verdict.",
        )
        check.add_argument("text_or_image", help="The QR code's text, or a PNG or JPEG of it.")

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

    def do_keygen(self, *, out, **options):
        try:
            # Created, never overwritten, readable by its owner only.
            descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from error
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key_generate_pem())
        self.stdout.write(
            f"Wrote a new signing key to {out}. Set CERTIFICATE_SIGNING_KEY_FILE={out} and "
            "restart the site; keep the file out of any repository and backed up safely."
        )

    def do_withdraw_key(self, *, kid, **options):
        try:
            signing_key_withdraw(kid=kid)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Key {kid} withdrawn: what it signed no longer checks offline.")

    def do_verify_qr(self, *, text_or_image, **options):
        text = qr_text_from(text_or_image)
        keys = published_keys()
        found = verdict(
            text,
            keys=keys,
            status_list=status_list_open(status_list(), keys=keys),
            today=timezone.localdate(),
            now=timezone.now(),
        )
        self.stdout.write(found.status + (f": {found.reason}" if found.reason else ""))
        claims = found.claims
        if claims:
            licences = "; ".join(f"{authority} {number}" for authority, number in claims["l"])
            for label, value in (
                ("Name", claims["n"]),
                ("Course", f"{claims['t']} ({claims['v']})"),
                ("Council", claims["i"]),
                ("Licences", licences or "none"),
                ("Completed", claims["d"]),
                ("Valid until", claims["x"] or "does not expire"),
                ("Code", claims["c"]),
            ):
                self.stdout.write(f"{label}: {value}")
        if found.list_made_at:
            made = timezone.localtime(found.list_made_at)
            self.stdout.write(f"Checked against revocations as of {made:%Y-%m-%d %H:%M}.")


def qr_text_from(text_or_image: str) -> str:
    """The argument itself, or the text of the QR code in the image file it names."""
    path = Path(text_or_image)
    try:
        is_image = path.is_file()
    except OSError:  # a QR text is often longer than a file name may be
        is_image = False
    if not is_image:
        return text_or_image
    try:
        with Image.open(path) as image:
            found = zxingcpp.read_barcodes(image.convert("L"))
    except (UnidentifiedImageError, OSError) as error:
        raise CommandError(f"{path} is not an image this can read (PNG or JPEG).") from error
    codes = [barcode.text for barcode in found if barcode.format == zxingcpp.BarcodeFormat.QRCode]
    if not codes:
        raise CommandError(f"No QR code found in {path}.")
    return codes[0]


def dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False)
