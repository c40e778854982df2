"""One command from a fresh checkout to a running demo site on SQLite."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from training_site.demo import demo_accounts_create, demo_certificates_create
from training_site.fixtures import fixture_read

HOST = "127.0.0.1"
SERVED_SETTINGS = "training_site.settings.quickstart"


def served_address(port: int) -> str:
    """Where the site answers, so the address certificates, emails and QR codes must carry."""
    return f"http://{HOST}:{port}"


def serve_environment(port: int) -> dict[str, str]:
    """The served site reads its settings from the environment, as a deployed one does."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SERVED_SETTINGS,
        "PUBLIC_BASE_URL": served_address(port),
    }


class Command(BaseCommand):
    help = (
        "Migrate, load the content and demo accounts (safe to repeat), then serve the "
        "site on 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything, then stop."
        )
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")

    def signing_key_ensure(self) -> None:
        """A signing key for QR codes on this machine only (settings.dev reads it), made
        once, unless the environment names one."""
        if settings.CERTIFICATE_SIGNING_KEY:
            return
        call_command("certificates", "keygen", "--out", str(settings.DEV_SIGNING_KEY_FILE))
        # This process read its settings before the file existed.
        settings.CERTIFICATE_SIGNING_KEY = settings.DEV_SIGNING_KEY_FILE.read_text("ascii")

    def handle(self, *args, no_serve=False, port=8000, **options):
        if not settings.DEBUG:
            raise CommandError(
                "quickstart creates demo accounts with a published password; run it with "
                "the development settings only (the default for manage.py)."
            )
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535.")
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("load_content", verbosity=verbosity)
        self.signing_key_ensure()
        demo = fixture_read("demo_accounts.yaml")
        accounts = demo_accounts_create(data=demo)
        certificates = demo_certificates_create(data=demo)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(accounts)} demo accounts and {len(certificates)} demo certificates ready."
            )
        )
        self.stdout.write(
            f"Password for every demo account: {demo['password']}\n"
            "Staff accounts use two-step sign-in; on this machine the code 000000 works.\n"
            "Sign-in codes and other emails are printed in this terminal, by the mail worker "
            "that runs beside the site, a few seconds after they are sent."
        )
        if no_serve:
            return
        self.stdout.write(self.style.SUCCESS(f"Serving on {served_address(port)}/"))
        # The site and the mail worker get processes of their own: their settings differ
        # from those loaded here. The worker sends (here, prints) the email the site queues.
        manage = str(settings.BASE_DIR / "manage.py")
        environment = serve_environment(port)
        worker = subprocess.Popen([sys.executable, manage, "mailworker"], env=environment)  # noqa: S603
        try:
            served = subprocess.run(  # noqa: S603
                [sys.executable, manage, "runserver", f"{HOST}:{port}", "--noreload"],
                env=environment,
                check=False,
            )
        except KeyboardInterrupt:
            # Ctrl+C reaches the server and the worker too (they share the terminal).
            return
        finally:
            worker.terminate()
            worker.wait()
        if served.returncode:
            raise CommandError("The site stopped with an error (see above).")
