"""After a load or fault rehearsal: did the database lose or double anything?

    python tests/load/check_db.py [--events events.jsonl]

Run with the rehearsal's DATABASE_URL and settings. Looks for duplicates (a lesson completed
twice by one learner, two certificates for one completion, two attempts with one number),
unscored attempts (submitted without a score), passes without a certificate, and, given
the locust event log, lost progress: every mark-complete and every submitted test the
server accepted must be in the database. Prints the figures as JSON; exits 1 on any finding.
"""

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_site.settings.dev")
django.setup()

from django.db.models import Count, Q  # noqa: E402 (needs django.setup())

from certificates.models import Certificate  # noqa: E402
from courses.models import Attempt, LessonCompletion, LessonPage  # noqa: E402


def duplicates(queryset, *fields: str) -> int:
    """How many groups of rows share the same values of `fields`."""
    return queryset.values(*fields).annotate(rows=Count("pk")).filter(rows__gt=1).count()


def lost_progress(events_path: Path) -> dict[str, int]:
    """Events the server answered with success whose row is not in the database."""
    events = [json.loads(line) for line in events_path.read_text().splitlines() if line]
    kinds = Counter(event["kind"] for event in events)
    lesson_ids = {lesson.url: lesson.pk for lesson in LessonPage.objects.live()}
    done = set(LessonCompletion.objects.values_list("learner__email", "lesson_id"))
    lessons_missing = sum(
        (event["email"], lesson_ids.get(event["lesson"])) not in done
        for event in events
        if event["kind"] == "lesson_complete"
    )
    submitted = {
        str(pk)
        for pk in Attempt.objects.filter(submitted_at__isnull=False).values_list("pk", flat=True)
    }
    attempts_missing = sum(
        event["attempt"] not in submitted
        for event in events
        if event["kind"] == "attempt_submitted"
    )
    return {
        "logged_lesson_completions": kinds["lesson_complete"],
        "logged_submissions": kinds["attempt_submitted"],
        "lost_lesson_completions": lessons_missing,
        "lost_submissions": attempts_missing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, help="The locust run's LOAD_EVENTS file.")
    options = parser.parse_args()

    attempts = Attempt.objects.all()
    findings = {
        "duplicate_lesson_completions": duplicates(LessonCompletion.objects, "learner", "lesson"),
        "duplicate_certificates": duplicates(Certificate.objects, "completion_ref"),
        "duplicate_attempt_numbers": duplicates(attempts, "learner", "quiz", "number"),
        "unscored_attempts": attempts.filter(
            Q(score_percent__isnull=True) | Q(passed__isnull=True), submitted_at__isnull=False
        ).count(),
        "passes_without_certificate": Attempt.objects.awaiting_certificate().count(),
    }
    lost = lost_progress(options.events) if options.events else {}
    findings.update({key: value for key, value in lost.items() if key.startswith("lost_")})
    figures = {
        "lesson_completions": LessonCompletion.objects.count(),
        "attempts_submitted": attempts.filter(submitted_at__isnull=False).count(),
        "attempts_passed": attempts.filter(passed=True).count(),
        "certificates": Certificate.objects.count(),
        **{key: value for key, value in lost.items() if key.startswith("logged_")},
        **findings,
    }
    print(json.dumps(figures, indent=1))
    problems = {key: value for key, value in findings.items() if value}
    if problems:
        print(f"DATABASE CHECK FAILED: {problems}", file=sys.stderr)
        return 1
    print("Database check clean: nothing duplicated, lost, unscored or uncertified.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
