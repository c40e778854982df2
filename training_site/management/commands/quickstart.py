"""One command from a fresh checkout to a running demo site on SQLite."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from training_site.demo import demo_accounts_create, demo_certificates_create
from training_site.fixtures import fixture_read


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
            "Sign-in codes and other emails are printed in this terminal."
        )
        if no_serve:
            return
        self.stdout.write(self.style.SUCCESS(f"Serving on http://127.0.0.1:{port}/"))
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
