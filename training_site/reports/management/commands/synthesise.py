import json
import time

from django.core.management.base import BaseCommand, CommandError

from training_site.reports.synthetic import synthesise


class Command(BaseCommand):
    help = (
        "Add synthetic learners with 24 months of enrolments, progress, attempts and "
        "certificates, for benchmarks and demos. Needs the places and courses loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True, help="How many learners.")
        parser.add_argument("--seed", type=int, help="Repeat the same data set.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the counts as JSON."
        )

    def handle(self, *args, learners, seed, as_json, **options):
        if not 1 <= learners <= 2_000_000:
            raise CommandError("--learners must be between 1 and 2,000,000.")
        started = time.perf_counter()
        try:
            counts = synthesise(learners=learners, seed=seed)
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        figures = {**vars(counts), "progress_rows": counts.progress_rows}
        figures["seconds"] = round(time.perf_counter() - started, 1)
        if as_json:
            self.stdout.write(json.dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key.replace('_', ' ')}: {value:,}")
