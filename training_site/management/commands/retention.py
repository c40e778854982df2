"""Delete what the privacy page says is no longer kept. A dry run by default: it says what
would go; `--apply` deletes. Run it daily from cron (README)."""

from django.core.management.base import BaseCommand

from courses.classroom.services import classroom_records_purge
from training_site.people.mail import LOG_KEEP_DAYS, email_logs_purge


class Command(BaseCommand):
    help = "Enforce the retention periods on the privacy page (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Delete; without it, only count.")

    def handle(self, *args, apply: bool, **options):
        counts = classroom_records_purge(apply=apply)
        verb = "Deleted" if apply else "Would delete"
        for kind, count in counts.items():
            self.stdout.write(f"{verb} {count} {kind} (30 days after their class session).")
        count = email_logs_purge(apply=apply)
        self.stdout.write(f"{verb} {count} mail log entries (after {LOG_KEEP_DAYS} days).")
        if not apply:
            self.stdout.write("Dry run: nothing was deleted. Run with --apply to delete.")
